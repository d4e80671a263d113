"""The real action server, Rasa server and front door on free loopback ports, as `make run` starts them."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator

import httpx

ROOT = Path(__file__).resolve().parent.parent
RASA_BIN = ROOT / ".venv" / "rasa" / "bin" / "rasa"
RASA_PY = ROOT / ".venv" / "rasa" / "bin" / "python"
APP_PY = ROOT / ".venv" / "app" / "bin" / "python" if (ROOT / ".venv" / "app").exists() else Path(sys.executable)


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def base_env(state: Path, **extra: str) -> dict[str, str]:
    """The environment every project process gets (no .env file, nothing from the developer's shell)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "RASA_", "TRACKER_", "KNOWLEDGE_"))}
    env.update(
        PYTHONPATH=str(ROOT), STATE_DIR=str(state), RASA_TELEMETRY_ENABLED="false", SANIC_HOST="127.0.0.1",
        OMP_NUM_THREADS="1", TF_CPP_MIN_LOG_LEVEL="2", PYTHONDONTWRITEBYTECODE="1",
        SENDER_ID_SECRET="test-secret-not-for-production-0123456789abcdef",
        CHAT_REF_KEY="test-chat-ref-key-not-for-production-0123456789",
        ACTION_ENDPOINT_TOKEN="test-action-token-not-for-production-0123456789",
    )
    env.update(extra)
    return env


def train_model() -> Path:
    """The trained Rasa model (trained now only if data or config changed since the last one)."""
    out = subprocess.run(["scripts/train.sh"], cwd=ROOT, capture_output=True, text=True, timeout=1800)
    if out.returncode != 0:
        raise RuntimeError(out.stderr[-3000:])
    return ROOT / out.stdout.strip().splitlines()[-1]


def start_actions(env: dict[str, str], port: int, log: Path) -> subprocess.Popen:
    """The rasa_sdk action server of this repository on 127.0.0.1:port."""
    return subprocess.Popen(
        [str(APP_PY), "-m", "actions.server", "--actions", "actions", "--port", str(port)],
        cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT,
    )


def start_rasa(env: dict[str, str], model: Path, port: int, log: Path,
               endpoints: str = "endpoints.yml", extra: tuple[str, ...] = ()) -> subprocess.Popen:
    """The Rasa server on 127.0.0.1:port, REST channel only, no HTTP API, as `make run` starts it (rasa_server)."""
    return subprocess.Popen(
        [str(RASA_PY), "-m", "rasa_server", "run", "--model", str(model), "--interface", "127.0.0.1", "--port", str(port),
         "--endpoints", endpoints, "--credentials", "credentials.yml", *extra],
        cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT,
    )


def wait_http(url: str, procs: list[subprocess.Popen], seconds: float, logs: list[Path]) -> float:
    """Until `url` answers; fails at once if one of the processes exited. Returns the monotonic time it answered."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        for p in procs:
            if p.poll() is not None:
                raise RuntimeError(f"process exited ({p.args[:4]}):\n" + "\n".join(l.read_text()[-2000:] for l in logs))
        try:
            httpx.get(url, timeout=2)
            return time.monotonic()
        except httpx.HTTPError:
            time.sleep(0.25)
    raise RuntimeError(f"{url} did not answer within {seconds} s")


def wait_for(predicate: Callable[[], bool], timeout: float, interval: float = 0.1) -> bool:
    """True as soon as `predicate()` holds, False if it never did within `timeout` seconds (never a bare sleep)."""
    deadline = time.monotonic() + timeout
    while True:
        if predicate():
            return True
        if time.monotonic() >= deadline:
            return False
        time.sleep(interval)


def stop_processes(procs: list[subprocess.Popen], timeout: float = 20) -> None:
    """SIGTERM to all, then wait for each; SIGKILL what has not exited in time."""
    for p in procs:
        if p.poll() is None:
            p.terminate()
    for p in procs:
        try:
            p.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()


@dataclass
class Stack:
    """The running action server and Rasa server."""

    rasa_url: str
    action_url: str
    env: dict[str, str]
    state: Path
    procs: list[subprocess.Popen]


@contextmanager
def running_stack(state: Path, kb_url: str, model: Path) -> Iterator[Stack]:
    """Action server + Rasa on free loopback ports, with their own tracker and the given knowledge base."""
    rasa_port, action_port = free_port(), free_port()
    env = base_env(
        state, KNOWLEDGE_DB_URL=kb_url, TRACKER_DB_URL=f"sqlite:///{state / 'tracker.sqlite'}",
        ACTION_ENDPOINT_URL=f"http://127.0.0.1:{action_port}/webhook", RASA_URLS=f"http://127.0.0.1:{rasa_port}",
    )
    logs = [state / "actions.log", state / "rasa.log"]
    procs = [start_actions(env, action_port, logs[0]), start_rasa(env, model, rasa_port, logs[1])]
    try:
        wait_http(f"http://127.0.0.1:{action_port}/health", procs, 60, logs)
        wait_http(f"http://127.0.0.1:{rasa_port}/", procs, 240, logs)
        yield Stack(f"http://127.0.0.1:{rasa_port}", f"http://127.0.0.1:{action_port}", env, state, procs)
    finally:
        stop_processes(procs)
