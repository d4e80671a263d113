"""What the processes write to their logs: no message text, ids or tokens; and who may call the action server."""

import io
import logging
import subprocess
import sys

import httpx
import pytest

from bot.telegram_app import RedactUpdates, quiet_telegram_logs
from tests.conftest import ROOT, base_env, free_port, start_actions, stop_processes, wait_http

SECRET_WORDS = "Mani sauc Jānis, ID 123456789, es sēdēju Jelgavā"


@pytest.fixture
def root_log():
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    root = logging.getLogger()
    root.addHandler(handler)
    old = root.level
    root.setLevel(logging.INFO)
    quiet_telegram_logs()
    yield stream
    root.removeHandler(handler)
    root.setLevel(old)


@pytest.mark.parametrize("name", ["telegram.ext.Application", "telegram.ext.Updater", "telegram._bot",
                                  "telegram.ext._utils.networkloop", "telegram"])
def test_telegram_records_from_any_module_are_redacted(root_log, name):
    update = {"message": {"text": SECRET_WORDS, "from": {"id": 123456789}}}
    try:
        raise ValueError(SECRET_WORDS)
    except ValueError:
        logging.getLogger(name).error("No error handlers are registered, logging exception. %s", update, exc_info=True)
    logging.getLogger(name).warning(f"Update {update} caused error")  # pre-formatted, as some libraries do
    out = root_log.getvalue()
    assert "Jānis" not in out and "123456789" not in out
    assert "details withheld (ValueError)" in out


def test_constant_lines_and_other_loggers_pass(root_log):
    logging.getLogger("telegram.ext.Application").info("Application started")
    logging.getLogger("bot.frontdoor").info("forget: %d rows deleted", 3)
    assert "Application started" in root_log.getvalue() and "forget: 3 rows deleted" in root_log.getvalue()
    assert any(isinstance(f, RedactUpdates) for h in logging.getLogger().handlers for f in h.filters)


def test_every_process_that_starts_rasa_takes_the_quiet_logging_config():
    """rasa_server adds deploy/rasa-logging.yml to `run` unless a config is given; every launcher goes through it (the
    benchmark's stock baseline alone runs Rasa as shipped, on made-up messages)."""
    from rasa_server.__main__ import LOGGING, with_logging_config

    assert LOGGING.exists() and "rasa.core.channels.rest" in LOGGING.read_text()
    assert with_logging_config(["run", "--port", "1"])[-2:] == ["--logging-config-file", str(LOGGING)]
    assert with_logging_config(["run", "--logging-config-file", "x.yml"]) == ["run", "--logging-config-file", "x.yml"]
    for launcher in ("harness/processes.py", "scripts/services.sh", "deploy/systemd/celvedis-rasa@.service"):
        body = (ROOT / launcher).read_text()
        assert "-m\", \"rasa_server\", \"run" in body or "-m rasa_server run" in body, launcher
        assert "bin/rasa run" not in body and "-m rasa run" not in body, launcher


def test_the_action_server_refuses_calls_without_the_token(tmp_path):
    env = base_env(tmp_path)
    port = free_port()
    log = tmp_path / "actions.log"
    proc = start_actions(env, port, log)
    try:
        wait_http(f"http://127.0.0.1:{port}/health", [proc], 120, [log])
        call = {"next_action": "action_shelter", "sender_id": "x", "tracker": {"sender_id": "x", "slots": {},
                "latest_message": {}, "events": []}, "domain": {}}
        url = f"http://127.0.0.1:{port}/webhook"
        assert httpx.post(url, json=call, timeout=10).status_code == 403
        assert httpx.post(url, params={"token": "wrong"}, json=call, timeout=10).status_code == 403
        assert httpx.post(url, params={"token": env["ACTION_ENDPOINT_TOKEN"]}, json=call, timeout=30).status_code != 403
        assert httpx.get(f"http://127.0.0.1:{port}/health", timeout=10).status_code == 200
    finally:
        stop_processes([proc])
    assert env["ACTION_ENDPOINT_TOKEN"] not in log.read_text()


@pytest.mark.parametrize("token", ["", "short", "#" + "x" * 40])
def test_the_action_server_will_not_start_with_a_guessable_token(tmp_path, token):
    env = dict(base_env(tmp_path), ACTION_ENDPOINT_TOKEN=token)
    done = subprocess.run([sys.executable, "-m", "actions.server", "--actions", "actions", "--port", str(free_port())],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode != 0 and "ACTION_ENDPOINT_TOKEN" in done.stderr
