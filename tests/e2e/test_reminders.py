"""The night plan and its morning reminder through the real bot process, a fake Telegram and the real Rasa and
action server; the bot is killed with SIGKILL before the reminder is due, and the restarted one sends it once.
Time is simulated by moving the stored reminder's time to now, as if the next working morning had come."""

from __future__ import annotations

import datetime as dt
import signal

import pytest
from sqlalchemy import create_engine, text

from tests.e2e.test_handoff import T, button
from tests.e2e.test_telegram import Bot

PERSON = 401


def reminders_of(url: str) -> int:
    with create_engine(url).connect() as c:
        return c.execute(text("SELECT count(*) FROM reminder")).scalar()


@pytest.mark.e2e
def test_a_night_plan_then_the_morning_reminder_survives_kill_9_and_comes_once(stack, tmp_path):
    env = dict(stack.env, REMINDER_TICK_SECONDS="0.5", CRISIS_MODEL="off", RATE_PER_MINUTE="600")
    url = env["KNOWLEDGE_DB_URL"]
    before = reminders_of(url)
    first = Bot(env, tmp_path / "bot1.log")
    try:
        first.fake.message(PERSON, "nav kur gulēt šonakt Daugavpilī")
        assert first.fake.wait_for(lambda f: any(t.startswith("🌙") for t in f.texts(PERSON)), 60), first.log()[-2000:]
        plan = next(t for t in first.fake.texts(PERSON) if t.startswith("🌙"))
        assert "Šaurā iela 23, Daugavpils" in plan and "65421500" in plan and "112" in plan
        n = len(first.fake.texts(PERSON))
        first.fake.callback(PERSON, button(first.fake, PERSON, "⏰ Atgādini man rīt no rīta"))
        assert first.fake.wait_for(lambda f: len(f.texts(PERSON)) > n, 30)
        asked = first.fake.texts(PERSON)[n]
        assert "plkst. 08:00" in asked  # the next working morning: tomorrow, today after midnight, or Monday
        assert reminders_of(url) == before + 1
    finally:
        first.proc.send_signal(signal.SIGKILL)  # no shutdown, no flush: what is not in the database is lost
        first.proc.wait(10)
        first.fake.stop()
    assert reminders_of(url) == before + 1  # the reminder outlived the process
    with create_engine(url).begin() as c:  # the night passes: its morning has come
        c.execute(text("UPDATE reminder SET due_at = :t"), {"t": dt.datetime.now(dt.timezone.utc)})

    second = Bot(env, tmp_path / "bot2.log", secret=first.secret)
    morning = T["morning_place"].format(municipality="Daugavpils")
    try:
        assert second.fake.wait_for(lambda f: any(t.startswith(morning) for t in f.texts(PERSON)), 120), \
            second.log()[-2000:]
        assert second.fake.wait_for(lambda f: reminders_of(url) == before, 30)  # sent, then nothing of it is kept
        texts = second.fake.texts(PERSON)
        assert sum(t.startswith(morning) for t in texts) == 1  # once: the row is gone, nothing can send it again
        assert any("65423700" in t for t in texts)  # the Daugavpils social service, from the knowledge base
        print("\n".join(["👤 nav kur gulēt šonakt Daugavpilī", f"🤖 {plan}", "👤 [⏰ Atgādini man rīt no rīta]",
                         f"🤖 {asked}", "(kill -9; the morning comes; restart)", *(f"🤖 {t}" for t in texts)]))
    finally:
        second.stop()
