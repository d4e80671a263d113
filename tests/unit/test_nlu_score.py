"""The NLU scorer's temperature sweep on made-up parses: what a temperature does to confident mistakes."""

import math

from bench.nlu_score import Item, Parse, fallback_thresholds, temperature_sweep, with_temperature


def parse(ranking):
    return Parse(ranking[0][0], ranking[0][0], ranking[0][1], None, [], 1.0, [], ranking)


def test_a_temperature_keeps_the_order_and_flattens_above_one():
    ranked = with_temperature([("a", 0.9), ("b", 0.09), ("c", 0.01)], 2.0)
    assert [n for n, _ in ranked] == ["a", "b", "c"] and math.isclose(sum(p for _, p in ranked), 1.0)
    assert 0.5 < ranked[0][1] < 0.9 and with_temperature([("a", 0.9), ("b", 0.1)], 1.0)[0][1] == 0.9


def test_the_sweep_counts_a_confident_mistake_until_the_temperature_flattens_it():
    assert fallback_thresholds() == (0.30, 0.05)  # config.yml's FallbackClassifier
    items = [Item("x", "a"), Item("y", "b")]
    parses = [parse([("a", 0.95), ("b", 0.05)]), parse([("a", 0.85), ("b", 0.15)])]  # the second is wrong
    one, flat = temperature_sweep(items, parses, [1.0, 3.0])
    assert one["wrong_confident_share"] == 0.5 and flat["wrong_confident_share"] == 0.0
    assert math.isclose(one["nll"], -(math.log(0.95) + math.log(0.15)) / 2)
    assert one["fallback_share"] == 0.0
