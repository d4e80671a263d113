"""`rasa_server` (how Rasa is started here) checks action server answers exactly as stock Rasa 3.6 does, without
validating the unchanging schema again on every call."""

import json
import subprocess

import pytest

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
