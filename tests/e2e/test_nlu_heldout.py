"""Held-out NLU figures with floors: intent macro-F1 on tests/nlu/test_nlu_lv.yml (never in training data) and
municipality resolution on tests/nlu/places_lv.yml. bench/nlu.py reports the same against other pipelines."""

import json
import subprocess

import pytest
import yaml

from lvnorm.places import PlaceResolver, load_gazetteer
from tests.conftest import RASA_BIN, ROOT, base_env

INTENT_MACRO_F1_FLOOR = 0.90
MUNICIPALITY_ACCURACY_FLOOR = 0.97


@pytest.mark.rasa
def test_intent_macro_f1_on_held_out_set(model, tmp_path):
    out = subprocess.run(
        [str(RASA_BIN), "test", "nlu", "--model", str(model), "--nlu", "tests/nlu/test_nlu_lv.yml", "--out", str(tmp_path)],
        cwd=ROOT, env=base_env(tmp_path), capture_output=True, text=True, timeout=900,
    )
    assert out.returncode == 0, out.stderr[-3000:]
    report = json.loads((tmp_path / "intent_report.json").read_text())
    macro = report["macro avg"]["f1-score"]
    print(f"held-out intent macro-F1 {macro:.3f}, accuracy {report['accuracy']:.3f}")
    assert macro >= INTENT_MACRO_F1_FLOOR


def test_municipality_resolution_on_held_out_mentions():
    resolver = PlaceResolver(load_gazetteer(ROOT / "knowledge" / "data" / "municipalities.yaml"))
    items = yaml.safe_load((ROOT / "tests" / "nlu" / "places_lv.yml").read_text())["places"]
    wrong = [(i["text"], i["municipality"], resolver.resolve(i["text"])) for i in items
             if resolver.resolve(i["text"]) != i["municipality"]]
    accuracy = 1 - len(wrong) / len(items)
    print(f"municipality accuracy {accuracy:.3f} on {len(items)} mentions")
    assert accuracy >= MUNICIPALITY_ACCURACY_FLOOR, wrong
