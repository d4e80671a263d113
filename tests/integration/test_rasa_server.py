"""`rasa_server` (how Rasa is started here) checks action server answers exactly as stock Rasa 3.6 does, without
validating the unchanging schema again on every call."""

import io
import json
import subprocess
import tarfile
from pathlib import Path

import httpx
import pytest

from rasa_server import without_tensorflow
from tests.conftest import RASA_PY, ROOT, base_env

# Runs in the Rasa virtual environment. Each answer is checked by stock Rasa first, then by the patched method;
# `jsonschema.validate` is counted, since the stock method calls it (the meta-schema check happens inside it).
SCRIPT = r"""
import json, sys
import jsonschema
from rasa.core.actions.action import RemoteAction
import rasa_server

cases = json.loads(sys.argv[1])
calls = []
real_validate = jsonschema.validate
jsonschema.validate = lambda *a, **k: (calls.append(1), real_validate(*a, **k))[1]

def check(action, result):
    try:
        return {"ok": action._validate_action_result(result)}
    except jsonschema.ValidationError as e:
        return {"error": e.message}

action = RemoteAction("action_shelter", None)
stock = [check(action, c) for c in cases]
stock_calls = len(calls)
rasa_server.patch()
rasa_server.patch()  # a second call changes nothing
del calls[:]
patched = [check(action, c) for c in cases]
print(json.dumps({"stock": stock, "patched": patched, "stock_calls": stock_calls, "patched_calls": len(calls)}))
"""

CARD = {"response": "utter_shelter_card", "text": "Daugavpils, Lāčplēša iela 1", "buttons": [{"title": "Zvanīt",
                                                                                             "payload": "/call"}]}
CASES = [
    {"events": [{"event": "slot", "name": "municipality", "value": "daugavpils", "timestamp": None}],
     "responses": [CARD, CARD]},
    {"events": [], "responses": []},
    {"events": [{"event": "followup", "name": "action_listen"}, {"event": "reset_slots"}], "responses": [CARD]},
    {"events": "not a list", "responses": []},
    {"events": [{"event": "no_such_event"}], "responses": []},
    {"events": [], "responses": ["not an object"]},
]


@pytest.mark.rasa
def test_patched_check_agrees_with_stock_and_skips_the_schema_check(tmp_path):
    out = subprocess.run([str(RASA_PY), "-c", SCRIPT, json.dumps(CASES)], cwd=ROOT, env=base_env(tmp_path),
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-3000:]
    got = json.loads(out.stdout.strip().splitlines()[-1])
    assert got["patched"] == got["stock"]
    assert [("ok" in r) for r in got["stock"]] == [True, True, True, False, False, False]
    assert all("Failed to validate Action server response" in r["error"] for r in got["stock"][3:])
    assert got["stock_calls"] == len(CASES)
    # Valid answers never reach jsonschema.validate any more; invalid ones go through stock Rasa for its error.
    assert got["patched_calls"] == 3


@pytest.mark.rasa
def test_skops_is_imported_before_rasa_and_its_modules(tmp_path):
    """skops searches every loaded module for each numpy and scipy function it lists at import (rasa_server's
    docstring): imported after Rasa, that is 4 s of every start. The order of sys.modules is the order of imports."""
    script = "import sys, rasa_server; rasa_server.patch(); print(' '.join(sys.modules))"
    out = subprocess.run([str(RASA_PY), "-c", script], cwd=ROOT, env=base_env(tmp_path), capture_output=True,
                         text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-3000:]
    order = out.stdout.split()
    assert order.index("skops.io") < order.index("rasa")


# Runs in the Rasa virtual environment: every event name resolved by stock Rasa, then (twice) by the patched method.
EVENTS = r"""
import json
from rasa.shared.core.events import Event, UserUttered
from rasa.shared.utils.common import all_subclasses
import rasa_server

def resolve(name, default=None):
    try:
        cls = Event.resolve_by_type(name, default)
        return None if cls is None else cls.__name__
    except ValueError as e:
        return "error: " + str(e)

names = sorted({c.type_name for c in all_subclasses(Event)}) + ["topic", "no_such_event"]
stock = [resolve(n) for n in names] + [resolve("no_such_event", UserUttered)]
rasa_server.patch()
patched = [[resolve(n) for n in names] + [resolve("no_such_event", UserUttered)] for _ in range(2)]
print(json.dumps({"n": len(names), "stock": stock, "patched": patched}))
"""


@pytest.mark.rasa
def test_event_classes_are_remembered_and_resolve_exactly_as_stock(tmp_path):
    """rasa_server's fourth fix: the same class for every event name, and for an unknown one Rasa's own default or
    error, also when asked again."""
    out = subprocess.run([str(RASA_PY), "-c", EVENTS], cwd=ROOT, env=base_env(tmp_path), capture_output=True,
                         text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-3000:]
    got = json.loads(out.stdout.strip().splitlines()[-1])
    assert got["n"] > 20  # user, bot, action, slot, followup, restart, ... and the two unknown names
    assert got["patched"] == [got["stock"], got["stock"]]
    assert got["stock"][-3:] == [None, "error: Unknown event name 'no_such_event'.", "UserUttered"]


# Runs in the Rasa virtual environment: the project's model loaded by stock Rasa, then by the patched load.
WEIGHTS = r"""
import asyncio, json, sys
from rasa.core.agent import Agent
from rasa.core.channels.channel import UserMessage
import rasa_server

def load():
    agent = Agent.load(sys.argv[1])
    (lr,) = [n._component for n in agent.processor.graph_runner._instantiated_nodes.values()
             if type(getattr(n, "_component", None)).__name__ == "LogisticRegressionClassifier"]
    return agent, lr.clf.coef_

def rankings(agent):
    return [asyncio.run(agent.processor.parse_message(UserMessage(t)))["intent_ranking"] for t in json.loads(sys.argv[2])]

def signature():  # what Rasa validates a component's `load` by, when it trains (rasa.engine.validation)
    import inspect, typing
    from rasa.nlu.classifiers.logistic_regression_classifier import LogisticRegressionClassifier as LR
    return [str(typing.get_type_hints(LR.load)), str(inspect.signature(LR.load))]

stock, stock_coef = load()
before, stock_signature = rankings(stock), signature()
rasa_server.patch()
patched, coef = load()
print(json.dumps({"same": rankings(patched) == before, "equal": bool((coef == stock_coef).all()),
                  "same_signature": signature() == stock_signature,
                  "stock_column_order": bool(stock_coef.T.flags["C_CONTIGUOUS"]),
                  "column_order": bool(coef.T.flags["C_CONTIGUOUS"])}))
"""


@pytest.mark.rasa
def test_the_classifier_keeps_its_weights_in_column_order_and_ranks_exactly_as_stock(tmp_path, model):
    """rasa_server's third fix: scipy copies a non-contiguous `coef_.T` on every product; the patched load keeps the
    same weights so that it is contiguous, and every ranking stays what stock Rasa gives."""
    texts = ["kur pārnakšņot Daugavpilī", "pazaudēju pasi", "мне нужна еда", "nav naudas, ko darīt", "sveiki"]
    out = subprocess.run([str(RASA_PY), "-c", WEIGHTS, str(model), json.dumps(texts)], cwd=ROOT,
                         env=base_env(tmp_path), capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stderr[-3000:]
    got = json.loads(out.stdout.strip().splitlines()[-1])
    assert got == {"same": True, "equal": True, "same_signature": True, "stock_column_order": False,
                   "column_order": True}


@pytest.mark.e2e
def test_the_stacks_rasa_runs_without_tensorflow_and_answers(stack):
    """Rasa started as `make run` starts it (rasa_server run) with this project's model maps no TensorFlow library,
    and answers through its REST channel (rasa_server/without_tensorflow.py)."""
    rasa = stack.procs[1]
    maps = Path(f"/proc/{rasa.pid}/maps").read_text()
    assert "sklearn" in maps  # Rasa's process, with the libraries its logistic regression loaded
    assert "tensorflow" not in maps.lower()  # libtensorflow_framework.so and the rest are mapped when it is imported
    r = httpx.post(f"{stack.rasa_url}/webhooks/rest/webhook", timeout=60,
                   json={"sender": "no-tensorflow-check", "message": "kur pārnakšņot Daugavpilī",
                         "metadata": {"language": "lv"}})
    assert r.status_code == 200 and any("Daugavpils" in (m.get("text") or "") for m in r.json())


def _model_with(tmp_path: Path, uses: list[str]) -> Path:
    metadata = {"train_schema": {"nodes": {f"n{i}": {"uses": u} for i, u in enumerate(uses)}},
                "predict_schema": {"nodes": {}}}
    path = tmp_path / "model.tar.gz"
    with tarfile.open(path, "w:gz") as archive:
        data = json.dumps(metadata).encode()
        info = tarfile.TarInfo("metadata.json")
        info.size = len(data)
        archive.addfile(info, io.BytesIO(data))
    return path


def test_tensorflow_is_left_out_only_for_a_model_file_that_uses_none_of_its_components(tmp_path):
    ours = ["rasa.nlu.classifiers.logistic_regression_classifier.LogisticRegressionClassifier",
            "rasa.core.policies.rule_policy.RulePolicy"]
    assert not without_tensorflow.needs_tensorflow(_model_with(tmp_path, ours))
    assert without_tensorflow.needs_tensorflow(
        _model_with(tmp_path, [*ours, "rasa.nlu.classifiers.diet_classifier.DIETClassifier"]))
    assert without_tensorflow.needs_tensorflow(_model_with(tmp_path, ["rasa.core.policies.ted_policy.TEDPolicy"]))
    assert without_tensorflow.needs_tensorflow(tmp_path)  # a directory: Rasa chooses the model, nothing is assumed
    model = _model_with(tmp_path, ours)
    assert without_tensorflow.wanted(["run", "--model", str(model), "--port", "1"])
    assert without_tensorflow.wanted(["run", f"--model={model}"])
    assert not without_tensorflow.wanted(["run", "--port", "1"])  # no model given: Rasa picks one
    assert not without_tensorflow.wanted(["test", "--model", str(model)])


def test_training_leaves_tensorflow_out_only_for_a_config_that_names_none_of_its_components(tmp_path):
    assert without_tensorflow.wanted(["train", "--config", str(ROOT / "config.yml")])  # ours
    assert not without_tensorflow.wanted(["train", "--config", str(ROOT / "bench" / "stock" / "config.yml")])  # DIET
    (tmp_path / "empty.yml").write_text("language: lv\n")  # Rasa fills in its defaults, DIET and TED among them
    assert not without_tensorflow.wanted(["train", "-c", str(tmp_path / "empty.yml")])
