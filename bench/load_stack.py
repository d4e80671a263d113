"""What a load benchmark starts: a fake Telegram that records arrival times, and a stack (bot, Rasa, action
server; one configuration) on loopback, with the constants every part of the benchmark shares."""

from __future__ import annotations

import itertools
import json
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict, deque
from dataclasses import dataclass, field
from pathlib import Path

import harness.fake_telegram as fake_telegram
from harness.rasa_domain import domain as rasa_domain
from bench import models
from bot.texts import TEXTS
from harness.fake_telegram import FakeTelegram
from harness import processes
from harness.processes import APP_PY, RASA_PY, ROOT, free_port, stop_processes, wait_http

RATE_PER_MINUTE = 1_000_000  # the front door's per-person limit (20/min) would throttle a user with no think time
# The front door gives up on Rasa after RASA_TIMEOUT (4 s by default) and sends its static 'unavailable' answer; a
# benchmark that kept that cut would report ~4 s for every slow turn. It waits longer here, so that latencies are
# Rasa's real ones, and the turns slower than the default are counted ("over 4 s": 'unavailable' in production).
RASA_TIMEOUT = 60.0
DEFAULT_RASA_TIMEOUT = 4.0
TURN_TIMEOUT = 90.0  # seconds; a turn without the bot's "done" by then counts as a timeout
UNAVAILABLE = tuple(TEXTS[l]["unavailable"].split("\n")[0] for l in ("lv", "ru"))


def _fallback_texts() -> tuple[str, ...]:
    """The beginnings of Rasa's 'I did not understand' answer (utter_default), in every language of the domain."""
    domain = rasa_domain()
    return tuple(v["text"][:24] for v in domain["responses"]["utter_default"] if v.get("text"))


FALLBACK = _fallback_texts()
EXPIRED = tuple(TEXTS[l]["button_expired"] for l in ("lv", "ru"))
LABELS = {
    "ours": "ours, embedded (config.yml; SQLite tracker; 1 Rasa (`rasa_server`) + 1 action server)",
    "stock": "stock Rasa 3.6.21 (`rasa init` pipeline and policies, plain `rasa run`; otherwise identical)",
    "stockfix": "stock's model (as above), started like ours through `rasa_server`: what its fixes alone do",
    "scaled": "ours, scaled out (2 Rasa + 2 action servers behind nginx; PostgreSQL; Redis lock store)",
}
# What each configuration serves: which trained model (bench/models.py), and the module that starts Rasa with it.
MODEL_OF = {"ours": "ours", "stock": "stock", "stockfix": "stock", "scaled": "ours"}
RASA_MODULE = {"stock": "rasa"}  # stock Rasa as shipped; every other configuration starts Rasa as `make run` does


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


# --- the fake Telegram, with arrival times ---------------------------------------------------------------------
class BenchTelegram(FakeTelegram):
    """harness/fake_telegram.py with the arrival time of every message the bot sends, kept per chat."""

    def __init__(self):
        super().__init__(token=f"{secrets.randbelow(10**9)}:BENCH-{secrets.token_hex(8)}")
        self.sent = deque(maxlen=100)  # the base class's full list would only grow
        self.arrivals: dict[int, list[tuple[float, str, dict | None]]] = defaultdict(list)
        self.arrival_lock = threading.Lock()
        self._ids = itertools.count(1)
        self._push_lock = threading.Lock()

    def _api(self, method: str, params: dict):
        t = time.monotonic()
        status, payload = super()._api(method, params)
        if method in ("sendMessage", "sendDocument") and status == 200:
            markup = params.get("reply_markup")
            if isinstance(markup, str):
                markup = json.loads(markup)
            with self.arrival_lock:
                self.arrivals[int(params["chat_id"])].append((t, str(params.get("text") or "[document]"), markup))
        return status, payload

    def push_update(self, body: dict) -> tuple[int, float]:
        """Push an update with the next update_id (in order: the bot's offset must never skip one)."""
        with self._push_lock:
            uid = next(self._ids)
            body["update_id"] = uid
            t = time.monotonic()
            self.push(body)
        return uid, t

    def message_update(self, chat: int, text: str) -> dict:
        msg = {"message_id": self._msg_id(), "date": int(time.time()), "chat": {"id": chat, "type": "private"},
               "from": {"id": chat, "is_bot": False, "first_name": "Bench", "language_code": "lv"}, "text": text}
        if text.startswith("/"):
            msg["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
        return {"message": msg}

    def callback_update(self, chat: int, data: str) -> dict:
        return {"callback_query": {
            "id": str(self._msg_id()), "chat_instance": "1", "data": data,
            "from": {"id": chat, "is_bot": False, "first_name": "Bench"},
            "message": {"message_id": self._msg_id(), "date": int(time.time()), "chat": {"id": chat, "type": "private"},
                        "from": {"id": 1, "is_bot": True, "first_name": "Bot"}, "text": "..."},
        }}

    def count(self, chat: int) -> int:
        with self.arrival_lock:
            return len(self.arrivals[chat])

    def since(self, chat: int, n: int) -> list[tuple[float, str, dict | None]]:
        with self.arrival_lock:
            return list(self.arrivals[chat][n:])

    def button(self, chat: int, title: str) -> str | None:
        """The callback data of the button with this title on the chat's latest keyboard."""
        with self.arrival_lock:
            msgs = list(self.arrivals[chat])
        for _, _, markup in reversed(msgs):
            if markup and markup.get("inline_keyboard"):
                for row in markup["inline_keyboard"]:
                    for b in row:
                        if b.get("text") == title:
                            return b.get("callback_data")
                return None
        return None

    def drop(self, chat: int) -> None:
        with self.arrival_lock:
            self.arrivals.pop(chat, None)


class DoneSignals:
    """`done <update_id>` lines from bench/bot_process.py's stdout."""

    def __init__(self, stream):
        self._done: set[int] = set()
        self._cv = threading.Condition()
        threading.Thread(target=self._read, args=(stream,), daemon=True).start()

    def _read(self, stream) -> None:
        for line in stream:
            if line.startswith(b"done "):
                with self._cv:
                    self._done.add(int(line.split()[1]))
                    self._cv.notify_all()

    def wait(self, uid: int, timeout: float) -> bool:
        with self._cv:
            ok = self._cv.wait_for(lambda: uid in self._done, timeout)
            self._done.discard(uid)
            return ok


# --- stacks --------------------------------------------------------------------------------------------------
def base_env(state: Path, **extra: str) -> dict[str, str]:
    """The tests' environment (harness.processes.base_env) with secrets of this run and no throttling."""
    return processes.base_env(
        state, OMP_NUM_THREADS=os.environ.get("OMP_NUM_THREADS", "1"),
        SENDER_ID_SECRET=secrets.token_hex(32), CHAT_REF_KEY=secrets.token_hex(32),
        ACTION_ENDPOINT_TOKEN=secrets.token_hex(32), RATE_PER_MINUTE=str(RATE_PER_MINUTE),
        TELEGRAM_RATE_PER_SECOND="1000000",  # Telegram's 30 messages/s would cap the assistant's throughput
        RASA_TIMEOUT=str(RASA_TIMEOUT), **extra)


def prepare_kb(url: str, env: dict[str, str]) -> None:
    """`python -m knowledge prepare` (migrations and data files) in its own process: the driver stays small."""
    subprocess.run([str(APP_PY), "-m", "knowledge", "prepare"], cwd=ROOT, env=dict(env, KNOWLEDGE_DB_URL=url),
                   check=True, capture_output=True)


@dataclass
class Stack:
    """Processes of one configuration, the fake Telegram, and what the driver needs to talk to them."""

    name: str
    state: Path
    fake: BenchTelegram
    done: DoneSignals | None = None
    procs: dict[str, subprocess.Popen] = field(default_factory=dict)
    extra_pids: dict[str, int] = field(default_factory=dict)  # roles not started here (nginx, Redis, PostgreSQL)
    startup: dict[str, float] = field(default_factory=dict)
    logs: list[Path] = field(default_factory=list)
    databases: list[str] = field(default_factory=list)  # PostgreSQL databases created for this run (dropped after)
    pg_admin: str | None = None

    def roles(self) -> dict[str, int]:
        return {**{r: p.pid for r, p in self.procs.items()}, **self.extra_pids}

    def signal(self, sig: int, roles: list[str]) -> None:
        for r in roles:
            if r in self.procs and self.procs[r].poll() is None:
                self.procs[r].send_signal(sig)

    def stop(self) -> None:
        stop_processes(list(self.procs.values()), timeout=30)
        self.fake.stop()
        shutil.rmtree(self.state, ignore_errors=True)
        if self.databases and self.pg_admin:
            from sqlalchemy import create_engine, text as sql

            admin = create_engine(self.pg_admin, isolation_level="AUTOCOMMIT")
            with admin.connect() as c:
                for db in self.databases:
                    c.execute(sql(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)'))
            admin.dispose()


def _cmd(py: Path, module: str, args: list[str], profile: Path | None) -> list[str]:
    return [str(py), "-m", "bench.profiled", str(profile), module, *args] if profile else [str(py), "-m", module, *args]


def start_stack(name: str, model: Path, args, profile_dir: Path | None = None) -> Stack:
    """Launch the configuration's processes at once, as `make run` would, and time them to the first answer."""
    state = Path(tempfile.mkdtemp(prefix=f"celvedis-bench-{name}-"))
    fake = BenchTelegram().start()
    st = Stack(name, state, fake)
    scaled = name == "scaled"
    extra: dict[str, str] = {}
    if scaled:
        # deploy/endpoints.scale.yml: PostgreSQL tracker store and Redis lock store, from the environment; each
        # configuration run gets databases and a Redis key prefix of its own. The knowledge base is on PostgreSQL too
        # (a SQLite file cannot be shared between hosts).
        from sqlalchemy import create_engine, make_url, text as sql

        pg = make_url(args.pg_url)
        tag = secrets.token_hex(4)
        st.databases = [f"celvedis_bench_tracker_{tag}", f"celvedis_bench_kb_{tag}"]
        st.pg_admin = args.pg_url
        admin = create_engine(pg, isolation_level="AUTOCOMMIT")
        with admin.connect() as c:
            for db in st.databases:
                c.execute(sql(f'CREATE DATABASE "{db}"'))
        admin.dispose()
        kb_url = pg.set(database=st.databases[1]).render_as_string(hide_password=False)
        tracker_url = pg.set(drivername="postgresql", database=st.databases[0]).render_as_string(hide_password=False)
        redis_host, _, redis_port = args.redis_url.removeprefix("redis://").partition(":")
        extra = dict(TRACKER_DB_HOST=pg.host, TRACKER_DB_PORT=str(pg.port), TRACKER_DB_NAME=st.databases[0],
                     TRACKER_DB_USER=pg.username or "", TRACKER_DB_PASSWORD=pg.password or "",
                     REDIS_HOST=redis_host, REDIS_PORT=redis_port.strip("/") or "6379", REDIS_DB="1",
                     REDIS_PASSWORD="", REDIS_KEY_PREFIX=f"celvedisbench{tag}",
                     SQL_POOL_SIZE="5", SQL_MAX_OVERFLOW="5")  # as deploy/ and the scale-out tests run it
        endpoints = ROOT / "deploy" / "endpoints.scale.yml"
        action_ports = [int(p) for p in args.action_ports.split(",")]
        rasa_ports = [free_port() for _ in range(2)]
        action_url = f"{args.actions_url}/webhook"
    else:
        kb_url, tracker_url = f"sqlite:///{state / 'knowledge.sqlite'}", f"sqlite:///{state / 'tracker.sqlite'}"
        endpoints = ROOT / "endpoints.yml"
        action_ports, rasa_ports = [free_port()], [free_port()]
        action_url = f"http://127.0.0.1:{action_ports[0]}/webhook"
    if MODEL_OF[name] == "stock":  # its pipeline would not take the vector out of the metadata, only store it
        extra["RASA_SENTENCE_VECTOR"] = "off"
    env = base_env(state, KNOWLEDGE_DB_URL=kb_url, TRACKER_DB_URL=tracker_url, ACTION_ENDPOINT_URL=action_url,
                   RASA_URLS=",".join(f"http://127.0.0.1:{p}" for p in rasa_ports),
                   TELEGRAM_BOT_TOKEN=fake.token, TELEGRAM_BASE_URL=fake.base_url, **extra)
    prepare_kb(kb_url, env)
    prof = (lambda role: profile_dir / f"{role}.prof") if profile_dir else (lambda role: None)
    t0 = time.monotonic()
    for i, port in enumerate(action_ports, 1):
        role = "action server" if len(action_ports) == 1 else f"action server {i}"
        st.logs.append(state / f"actions{i}.log")
        st.procs[role] = subprocess.Popen(
            _cmd(APP_PY, "actions.server", ["--actions", "actions", "--port", str(port)], prof("actions")),
            cwd=ROOT, env=env, stdout=st.logs[-1].open("w"), stderr=subprocess.STDOUT)
    for i, port in enumerate(rasa_ports, 1):
        role = "Rasa" if len(rasa_ports) == 1 else f"Rasa {i}"
        st.logs.append(state / f"rasa{i}.log")
        st.procs[role] = subprocess.Popen(
            _cmd(RASA_PY, RASA_MODULE.get(name, "rasa_server"),
                 ["run", "--model", str(model), "--interface", "127.0.0.1", "--port", str(port),
                  "--endpoints", str(endpoints), "--credentials", "credentials.yml"], prof("rasa")),
            cwd=ROOT, env=env, stdout=st.logs[-1].open("w"), stderr=subprocess.STDOUT)
    st.logs.append(state / "bot.log")
    bot = subprocess.Popen(_cmd(APP_PY, "bench.bot_process", [], prof("frontdoor")), cwd=ROOT, env=env,
                           stdout=subprocess.PIPE, stderr=st.logs[-1].open("w"))
    st.procs["front door"] = bot
    st.done = DoneSignals(bot.stdout)
    if scaled:
        st.extra_pids = {k: v for k, v in args.extra_pids.items()}
    procs = list(st.procs.values())
    try:
        for port in action_ports:
            st.startup["action server ready s"] = wait_http(f"http://127.0.0.1:{port}/health", procs, 120, st.logs) - t0
        if scaled:
            wait_http(f"{args.actions_url}/health", procs, 30, st.logs)
        for port in rasa_ports:
            st.startup["Rasa ready s"] = wait_http(f"http://127.0.0.1:{port}/", procs, 400, st.logs) - t0
        if not fake.wait_for(lambda f: "getUpdates" in f.calls, 120):
            raise RuntimeError("the bot never polled:\n" + st.logs[-1].read_text()[-2000:])
        st.startup["front door polling s"] = time.monotonic() - t0  # at the latest; it is usually ready first
        # First real answer: a greeting from a new chat until it is not the "unavailable" fallback.
        for attempt in itertools.count():
            chat = 900_000_000 + attempt
            n0 = fake.count(chat)
            uid, _ = fake.push_update(fake.message_update(chat, "Sveiki"))
            if not st.done.wait(uid, 120):
                raise RuntimeError("no first answer:\n" + "\n".join(l.read_text()[-1500:] for l in st.logs))
            msgs = fake.since(chat, n0)
            if msgs and not any(m[1].startswith(UNAVAILABLE) for m in msgs):
                st.startup["first answer s"] = max(m[0] for m in msgs) - t0
                break
            if attempt > 60:
                raise RuntimeError("only 'unavailable' answers:\n" + "\n".join(l.read_text()[-1500:] for l in st.logs))
            time.sleep(1)
    except BaseException:
        st.stop()
        raise
    return st
