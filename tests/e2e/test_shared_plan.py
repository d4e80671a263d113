"""A shared plan through the real bot process, a fake Telegram and the real Rasa and action server: a
mother builds the plan, the bot gives her a one-time link, her son opens it, sees the plan, agrees, and it is his;
she learns only that it was opened; a second use and an expired link are refused."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import create_engine, text

from bot.texts import TEXTS
from harness.wording import appears, label
from tests.e2e.test_handoff import button
from tests.e2e.test_privacy import answer
from tests.e2e.test_telegram import Bot

MOTHER, SON, STRANGER = 501, 502, 503


def say(b: Bot, uid: int, line: str, wait_for: str) -> list[str]:
    n = len(b.fake.texts(uid))
    b.fake.message(uid, line)
    assert b.fake.wait_for(lambda f: any(wait_for in t for t in f.texts(uid)[n:]), 30), (b.fake.texts(uid)[n:],
                                                                                       b.log()[-1500:])
    return b.fake.texts(uid)[n:]


def press(b: Bot, uid: int, title: str, wait_for: str) -> list[str]:
    n = len(b.fake.texts(uid))
    b.fake.callback(uid, button(b.fake, uid, title))
    assert b.fake.wait_for(lambda f: any(wait_for in t for t in f.texts(uid)[n:]), 30), (b.fake.texts(uid)[n:],
                                                                                       b.log()[-1500:])
    return b.fake.texts(uid)[n:]


@pytest.mark.e2e
def test_a_plan_is_shared_with_a_one_time_link(stack, tmp_path):
    env = dict(stack.env, CRISIS_MODEL="off", RATE_PER_MINUTE="600")
    b = Bot(env, tmp_path / "bot.log")
    transcript: list[str] = []
    try:
        for step in ("/saraksts", "2", "1", "2", "nezinu", "1", "2", "2", "2", "2", "1"):  # Daugavpils, yesterday...
            answer(b, MOTHER, step)
        assert b.fake.wait_for(lambda f: any(appears(label("plan_progress"), t) for t in f.texts(MOTHER)), 30)
        link_message = press(b, MOTHER, label("btn_give"), "t.me/celvedis_bot?start=")[-1]
        transcript += [f"👩 [{label('btn_give')}]", f"🤖 {link_message}"]
        token = re.search(r"start=([A-Za-z0-9_-]+)", link_message)[1]
        assert "Daugavpils" not in link_message  # nothing personal in the link or around it

        # The son opens t.me/celvedis_bot?start=<token>: Telegram sends "/start <token>".
        consent = TEXTS["lv"]["shared_plan_consent"].format(days=90)  # his own plan would be replaced
        seen = say(b, SON, f"/start {token}", consent)
        transcript += ["👦 /start <saite>", *(f"🤖 {t}" for t in seen)]
        assert appears(TEXTS["lv"]["start_privacy"], seen[0])  # someone new: who we are and what is kept, first
        assert seen[1].startswith(TEXTS["lv"]["shared_plan_preview"]) and "Pases vai eID kartes saņemšana" in seen[1]
        assert seen[2] == consent
        assert b.fake.wait_for(lambda f: TEXTS["lv"]["shared_plan_opened"] in f.texts(MOTHER), 30)
        transcript.append(f"🤖→👩 {TEXTS['lv']['shared_plan_opened']}")
        assert not any(str(SON) in t for t in b.fake.texts(MOTHER))  # she is never told who
        with create_engine(env["KNOWLEDGE_DB_URL"]).connect() as c:
            assert c.execute(text("SELECT count(*) FROM checklist_state WHERE sender = :s"),
                             {"s": b.sender(SON)}).scalar() == 0  # nothing is his before he agrees
        taken = press(b, SON, TEXTS["lv"]["btn_shared_plan_take"], TEXTS["lv"]["shared_plan_taken"])
        transcript += ["👦 [Jā, saglabāt]", f"🤖 {taken[-1]}"]
        with create_engine(env["KNOWLEDGE_DB_URL"]).connect() as c:
            assert c.execute(text("SELECT count(*) FROM checklist_state WHERE sender = :s"),
                             {"s": b.sender(SON)}).scalar() == 1
        pdf = press(b, SON, label("btn_pdf"), "Jūsu plāns")  # the plan is his now: Rasa's checklist actions read it
        assert pdf

        again = say(b, STRANGER, f"/start {token}", TEXTS["lv"]["shared_plan_invalid"])  # single use
        transcript += ["🧑 /start <tā pati saite>", f"🤖 {again[-1]}"]
        second = press(b, MOTHER, label("btn_give"), "start=")[-1]
        stale = re.search(r"start=([A-Za-z0-9_-]+)", second)[1]
        with create_engine(env["KNOWLEDGE_DB_URL"]).begin() as c:  # eight days later
            c.execute(text("UPDATE shared_plan SET expires_at = created_at - interval '1 day'")
                      if env["KNOWLEDGE_DB_URL"].startswith("postgresql")
                      else text("UPDATE shared_plan SET expires_at = '2000-01-01 00:00:00'"))
        say(b, SON, f"/start {stale}", TEXTS["lv"]["shared_plan_invalid"])
    finally:
        b.stop()
        print("\n".join(transcript))
