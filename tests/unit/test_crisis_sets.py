"""Crisis detection on a held-out labelled set (Latvian and Russian) written after the detector, by someone who saw
neither the patterns nor their training examples. Floors: recall high, false positives bounded.

bot/crisis_examples.yml, the earlier labelled set, is training data for the statistical signal, so it is not a
measure any more; tests/crisis/crisis_heldout.yml is.
"""

from pathlib import Path

import pytest
import yaml

from bot.crisis import is_crisis
from bot.crisis_model import CrisisModel

HELD_OUT = Path(__file__).resolve().parent.parent / "crisis" / "crisis_heldout.yml"
FLOORS = {"patterns": (0.50, 0.05), "patterns+model": (0.93, 0.20)}  # (min recall, max false-positive rate)


@pytest.fixture(scope="module")
def model():
    m = CrisisModel()
    m.build()  # cached in .cache/ by a hash of the training data
    return m


@pytest.mark.parametrize("detector", sorted(FLOORS))
@pytest.mark.parametrize("lang", ["lv", "ru"])
def test_recall_and_false_positives(detector, lang, model):
    data = yaml.safe_load(HELD_OUT.read_text(encoding="utf-8"))
    detect = is_crisis if detector == "patterns" else (lambda t: is_crisis(t) or model.is_crisis(t))
    crisis, calm = data["crisis"][lang], data["not_crisis"][lang]
    missed = [t for t in crisis if not detect(t)]
    flagged = [t for t in calm if detect(t)]
    recall, fp_rate = 1 - len(missed) / len(crisis), len(flagged) / len(calm)
    print(f"{detector} {lang}: recall {recall:.3f} ({len(crisis)} crisis), false positives {fp_rate:.3f} ({len(calm)} calm)")
    min_recall, max_fp = FLOORS[detector]
    assert recall >= min_recall, missed
    assert fp_rate <= max_fp, flagged


def test_model_missing_means_patterns_only(tmp_path):
    assert CrisisModel(cache_dir=tmp_path).probability("negribu vairs dzīvot") is None


@pytest.mark.parametrize("text", ["", "\ud800\udfff broken", "ā" * 20000, "🙂" * 3000, "\x00\x01", "/intent{}"])
def test_model_takes_hostile_text(model, text):
    p = model.probability(text)
    assert p is None or 0.0 <= p <= 1.0
