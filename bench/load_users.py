"""Virtual users: each plays the conversations in a closed loop against a stack; a level is many of them at once."""

from __future__ import annotations

import itertools
import statistics
import sys
import threading
import time
from dataclasses import dataclass

from bench.conversations import SCRIPTS, Sentences, Step
from bench.procs import Monitor
from bench.load_stack import DEFAULT_RASA_TIMEOUT, EXPIRED, FALLBACK, TURN_TIMEOUT, UNAVAILABLE, Stack, log

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
