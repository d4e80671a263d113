"""A check-in through the real bot process, a fake Telegram and the real Rasa and action server: the shelter answer
offers it, the person agrees, the bot is killed with SIGKILL, and the restarted one asks at the check-in hour, once;
the answer is counted for the survey and nothing of the check-in is kept. Time is simulated by moving the stored
check-in's time to now, as if the next day's hour had come."""

from __future__ import annotations

import datetime as dt
import signal

import pytest
from sqlalchemy import create_engine, text

from harness.wording import appears
from tests.e2e.test_handoff import T, button
from tests.e2e.test_telegram import Bot

PERSON = 402
OFFERS = ("Jā, pajautā", "✅ Pajautā man vēlāk, vai izdevās")  # by day a question of its own; at night a button of the plan


def rows(url: str, query: str) -> list[tuple]:
    with create_engine(url).connect() as c:
        return [tuple(r) for r in c.execute(text(query))]


def offered(fake) -> tuple[str, str] | None:
    """(title, callback data) of the check-in offer under the answer."""
    for title in OFFERS:
        try:
            return title, button(fake, PERSON, title)
        except AssertionError:
            continue
    return None


@pytest.mark.e2e
def test_a_shelter_answer_then_a_check_in_the_next_day_counted_and_forgotten(stack, tmp_path):
    env = dict(stack.env, REMINDER_TICK_SECONDS="0.5", CRISIS_MODEL="off", RATE_PER_MINUTE="600")
    url = env["KNOWLEDGE_DB_URL"]
    before = rows(url, "SELECT count(*) FROM survey_event")[0][0]
    first = Bot(env, tmp_path / "bot1.log")
    transcript = ["👤 nav kur gulēt Daugavpilī"]
    try:
        first.fake.message(PERSON, "nav kur gulēt Daugavpilī")
        assert first.fake.wait_for(lambda f: offered(f) is not None, 60), first.log()[-2000:]
        transcript += [f"🤖 {t}" for t in first.fake.texts(PERSON)]
        n = len(first.fake.texts(PERSON))
        title, data = offered(first.fake)
        first.fake.callback(PERSON, data)
        assert first.fake.wait_for(lambda f: len(f.texts(PERSON)) > n, 30)
        agreed = first.fake.texts(PERSON)[n]
        assert any(appears(T[key], agreed, time="10:00") for key in ("checkin_set", "checkin_today"))
        transcript += [f"👤 [{title}]", f"🤖 {agreed}"]
        assert rows(url, "SELECT topic, municipality, status FROM checkin") == [("shelter", "Daugavpils", "pending")]
    finally:
        first.proc.send_signal(signal.SIGKILL)
        first.proc.wait(10)
        first.fake.stop()
    counted = rows(url, f"SELECT topic, outcome, municipality FROM survey_event ORDER BY id LIMIT 100 OFFSET {before}")
    assert ("ask_shelter_tonight", "answered", "Daugavpils") in counted  # the answer was counted as it was given
    with create_engine(url).begin() as c:  # the night passes: the check-in hour has come
        c.execute(text("UPDATE checkin SET due_at = :t"), {"t": dt.datetime.now(dt.timezone.utc)})

    second = Bot(env, tmp_path / "bot2.log", secret=first.secret)
    try:
        assert second.fake.wait_for(lambda f: any(appears(T["checkin_q_shelter"], t) for t in f.texts(PERSON)), 60), \
            second.log()[-2000:]
        question = second.fake.texts(PERSON)[0]
        assert question == T["checkin_q_shelter"].format(name="Daugavpils Nakts patversme")
        second.fake.callback(PERSON, button(second.fake, PERSON, "Bija pilns"))
        assert second.fake.wait_for(lambda f: len(f.texts(PERSON)) >= 2, 30)
        thanks = second.fake.texts(PERSON)[1]
        assert thanks == T["checkin_doubt"]
        assert second.fake.texts(PERSON).count(question) == 1  # asked once
        assert rows(url, "SELECT count(*) FROM checkin") == [(0,)]  # answered: nothing of it is kept
        last = rows(url, "SELECT topic, outcome, municipality, reason, requester FROM survey_event "
                         "ORDER BY id DESC LIMIT 1")
        assert last == [("shelter", "checkin", "Daugavpils", "full", "person")]
        print("\n".join([*transcript, "(kill -9; the next day's hour comes; restart)", f"🤖 {question}",
                         "👤 [Bija pilns]", f"🤖 {thanks}"]))
    finally:
        second.stop()
