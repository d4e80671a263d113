"""NLU figures with floors, on four sets none of which is in the training data (a test in test_rasa_data checks):
the blind sets (tests/nlu/blind_lv.yml, blind_ru.yml), written by someone who saw only the intent list and the
personas, and the team's old held-out sets (test_nlu_lv.yml, test_nlu_ru.yml). Plus municipality resolution on
tests/nlu/places_lv.yml. The floors are 0.02 below the figures reached (bench/results/nlu.md has the figures and
the targets): a later change may not quietly lose understanding."""

import json
import subprocess

import pytest
import yaml

from lvnorm.places import PlaceResolver, load_gazetteer
from tests.conftest import RASA_PY, ROOT, base_env

FLOORS = {  # reached on 2026-12-07 (blind macro-F1 0.954, 0.935; requester 0.870, 0.905; other needs offered 0.467
    # and 0.636 of those named; offers named by the message's labels 0.267 and 0.156) minus 0.02. The Russian one fell
    # from 0.297 with no offer lost: it counts an offer of the message's own topic under a wrong topic as right, and
    # with the topics right more often there were fewer of those (Latvian 7 -> 6, Russian 7 -> 1; offers of the other
    # needs the labels name: 5 -> 5 and 4 -> 4; single-need messages offered something: 35 -> 33 and 28 -> 24;
    # measured on the model before the last 8 training lines, whose Latvian figure was 0.250).
    "blind_lv.yml": {"macro_f1": 0.934, "requester_accuracy": 0.850, "also_recall": 0.447, "also_precision": 0.247},
    "blind_ru.yml": {"macro_f1": 0.915, "requester_accuracy": 0.885, "also_recall": 0.616, "also_precision": 0.136},
    # The old sets on accuracy (0.954 and 0.950 on 2026-12-07, after their relabelling: docs/blind-sets.md): some of
    # their topics have one or two messages, and one message moving there shifts macro-F1 by more than the margin.
    "test_nlu_lv.yml": {"accuracy": 0.934},
    "test_nlu_ru.yml": {"accuracy": 0.930},
}
WRONG_CONFIDENT_CEILING = 0.04  # share of messages given a wrong topic with confidence >= 0.8: reached 0.009-0.020,
# target 0.02
SINGLE_NEED_OFFERED_CEILING = 0.13  # single-need messages offered another need: reached 0.065 and 0.113
MUNICIPALITY_ACCURACY_FLOOR = 0.97


@pytest.fixture(scope="module")
def figures(model, tmp_path_factory) -> dict:
    tmp = tmp_path_factory.mktemp("nlu")
    out = subprocess.run(
        [str(RASA_PY), "-m", "bench.nlu_score", str(model), *(f"tests/nlu/{name}" for name in FLOORS),
         "--json", str(tmp / "figures.json")],
        cwd=ROOT, env=base_env(tmp), capture_output=True, text=True, timeout=1200,
    )
    assert out.returncode == 0, out.stderr[-3000:]
    return json.loads((tmp / "figures.json").read_text())


@pytest.mark.rasa
@pytest.mark.parametrize("name", FLOORS)
def test_understanding_holds_its_floor(figures, name):
    got = figures[name]
    print(f"{name}: macro-F1 {got['macro_f1']:.3f}, wrong and confident {got['wrong_confident_share']:.3f}, "
          f"ECE {got['ece']:.3f}")
    for key, floor in FLOORS[name].items():
        assert got[key] >= floor, (key, got[key], got["confusions"])
    # no message text in a failure: a blind set is read by nobody who may tune the model to it
    assert got["wrong_confident_share"] <= WRONG_CONFIDENT_CEILING, got["confusions"]
    assert got.get("single_need_offered_share", 0.0) <= SINGLE_NEED_OFFERED_CEILING


def test_municipality_resolution_on_held_out_mentions():
    resolver = PlaceResolver(load_gazetteer(ROOT / "knowledge" / "data" / "municipalities.yaml"))
    items = yaml.safe_load((ROOT / "tests" / "nlu" / "places_lv.yml").read_text())["places"]
    wrong = [(i["text"], i["municipality"], resolver.resolve(i["text"])) for i in items
             if resolver.resolve(i["text"]) != i["municipality"]]
    accuracy = 1 - len(wrong) / len(items)
    print(f"municipality accuracy {accuracy:.3f} on {len(items)} mentions")
    assert accuracy >= MUNICIPALITY_ACCURACY_FLOOR, wrong
