"""/dzest really deletes everything: through the real bot process, a fake Telegram, the real Rasa and action server.

One person talks, makes a document plan, has a message held while Rasa is stopped, asks for a human, whose volunteer
claims and answers, and then deletes everything in the middle of a turn. Another deletes while Rasa is stopped with
their message queued in it. Afterwards no row of any registered table and no tracker event names them, their
pseudonym is in no database file, the volunteer was told, and no log of any process holds what they wrote."""

from __future__ import annotations

import signal
from pathlib import Path

import pytest
from sqlalchemy import create_engine, make_url, text

from bot.texts import TEXTS
from harness.wording import appears, label, response
from personal import registry
from personal.crypto import ChatRefCipher
from personal.handoff import HandoffStore
from tests.e2e.test_handoff import ADMIN, ANNA, GROUP, Bot, button, env_for, say

WORDS = ["Kur es varu pārnakšņot šonakt Daugavpilī?", "Kur var paēst Daugavpilī?", "Mans brālis ir slims",
         "Paldies, rīt iešu uz turieni", "Vai Madonā ir patversme?"]


def with_buttons(b: Bot, uid: int) -> list[dict]:
    return [m for m in b.fake.sent if m["chat_id"] == uid and m["reply_markup"]]


def answer(b: Bot, uid: int, step: str) -> None:
    """Type the step, or press the n-th button of the newest question as the terminal chat numbers them; then wait
    for the next question (a message with buttons)."""
    asked = len(with_buttons(b, uid))
    if step.isdigit():
        buttons = [x for row in with_buttons(b, uid)[-1]["reply_markup"]["inline_keyboard"] for x in row]
        b.fake.callback(uid, buttons[int(step) - 1]["callback_data"])
    else:
        b.fake.message(uid, step)
    assert b.fake.wait_for(lambda f: len(with_buttons(b, uid)) > asked, 30), b.fake.texts(uid)[-3:]


def rows_about(env: dict, sender: str, reg: registry.Registry) -> dict[str, int]:
    """Rows naming the sender in every registered table of the knowledge base, and in Rasa's tracker."""
    out = {}
    with create_engine(env["KNOWLEDGE_DB_URL"]).connect() as c:
        for table in sorted(reg.tables("knowledge")):
            columns = {r[1] for r in c.execute(text(f"PRAGMA table_info({table})"))}
            if "sender" in columns:
                out[table] = c.execute(text(f"SELECT count(*) FROM {table} WHERE sender = :s"), {"s": sender}).scalar()
    with create_engine(env["TRACKER_DB_URL"]).connect() as c:
        out["events"] = c.execute(text("SELECT count(*) FROM events WHERE sender_id = :s"), {"s": sender}).scalar()
    return out


def files_of(url: str) -> list[Path]:
    db = Path(make_url(url).database)
    return [p for p in (db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-journal")) if p.exists()]


@pytest.mark.e2e
def test_forget_deletes_everything_also_mid_turn(stack, tmp_path):
    # The stack's knowledge base, where its action server keeps document plans, also holds the queue here.
    env = dict(env_for(stack, tmp_path), KNOWLEDGE_DB_URL=stack.env["KNOWLEDGE_DB_URL"], RASA_TIMEOUT="3",
               FORGET_RECHECK_SECONDS="8")
    reg = registry.build(env["KNOWLEDGE_DB_URL"], env["TRACKER_DB_URL"],
                         HandoffStore(env["KNOWLEDGE_DB_URL"], ChatRefCipher(env["CHAT_REF_KEY"].encode())))
    rasa = stack.procs[1]
    b = Bot(env, tmp_path / "bot.log")
    person, queued = 70135791, 70135792
    me, other = b.sender(person), b.sender(queued)
    try:
        say(b, ADMIN, "/pievienot 5001 Anna", "pievienots")
        say(b, person, "Sveiki", response("utter_menu"))  # the menu, the greeting's last message: a button pressed
        # before it arrived would be one of the menu's (the plan's "2" became "Ēdiens", 2026-12-07)
        for step in ("/saraksts", "2", "1", "2", "nezinu", "1", "2", "2", "2", "2", "1", "2"):  # test_front_door's plan
            answer(b, person, step)
        assert b.fake.wait_for(lambda f: any(appears(label("plan_progress"), t) for t in f.texts(person)), 30), \
            b.fake.texts(person)[-3:]
        say(b, person, WORDS[0], "Šaurā iela 23")

        rasa.send_signal(signal.SIGSTOP)  # Rasa hangs: the front door answers from the database and holds the words
        try:
            say(b, person, WORDS[1], TEXTS["lv"]["held"].format(held_days=7))
        finally:
            rasa.send_signal(signal.SIGCONT)

        say(b, person, "/cilveks", "Vai sūtīt?")
        n = len(b.fake.texts(person))
        b.fake.callback(person, button(b.fake, person, TEXTS["lv"]["btn_send"]))
        assert b.fake.wait_for(lambda f: any(appears(TEXTS["lv"]["handoff_sent"], t) for t in f.texts(person)[n:]), 30)
        assert b.fake.wait_for(lambda f: any("/nemt" in t for t in f.texts(GROUP)), 30)
        rid = int(b.fake.texts(GROUP)[-1].split("Nr. ")[1].split(" ")[0])
        say(b, ANNA, f"/nemt {rid}", f"Nr. {rid} ir jūsu")
        say(b, person, WORDS[2], "Nodots")
        say(b, ANNA, f"/atb {rid} Labi, palīdzēšu", TEXTS["lv"]["v_replied"].split("(")[0])

        before = rows_about(env, me, reg)
        assert all(before[t] > 0 for t in ("events", "held_message", "checklist_state", "handoff_request")), before

        a = len(b.fake.texts(ANNA))
        b.fake.message(person, WORDS[3])  # a turn under way ...
        b.fake.message(person, "/dzest")  # ... and the deletion right behind it
        assert b.fake.wait_for(lambda f: TEXTS["lv"]["forgotten"] in f.texts(person), 60), b.log()[-2000:]
        assert b.fake.wait_for(lambda f: TEXTS["lv"]["v_person_forgot"].format(id=rid) in f.texts(ANNA)[a:], 30)

        rasa.send_signal(signal.SIGSTOP)  # the second person's message waits inside a stopped Rasa ...
        try:
            b.fake.message(queued, WORDS[4])
            b.fake.message(queued, "/dzest")
            assert b.fake.wait_for(lambda f: TEXTS["lv"]["forgotten"] in f.texts(queued), 60), b.log()[-2000:]
        finally:
            rasa.send_signal(signal.SIGCONT)  # ... and Rasa finishes it after the deletion

        # Every second pass done, the files' scrub included: no tombstone left, and every pass that started has
        # ended (the tombstone goes before the scrub, so waiting for it alone read the files mid-scrub; the retention
        # round may run a person's pass a second time beside the scheduled one, 2026-12-07).
        with create_engine(env["KNOWLEDGE_DB_URL"]).connect() as c:
            tomb = lambda: c.execute(text("SELECT count(*) FROM forgotten_sender")).scalar()  # noqa: E731

            def done(_fake) -> bool:
                log = b.log()
                ended = log.count("files scrubbed") + log.count("second deletion failed")
                return ended >= 2 and ended == log.count("second deletion: started") and tomb() == 0

            assert b.fake.wait_for(done, 60), "the second passes did not run"
        for sender in (me, other):
            assert set(rows_about(env, sender, reg).values()) == {0}, rows_about(env, sender, reg)
        for url in (env["KNOWLEDGE_DB_URL"], env["TRACKER_DB_URL"]):
            for path in files_of(url):
                content = path.read_bytes()
                assert me.encode() not in content and other.encode() not in content, path.name
    finally:
        if rasa.poll() is None:
            rasa.send_signal(signal.SIGCONT)
        b.stop()
    logs = [b.log(), (stack.state / "rasa.log").read_text(), (stack.state / "actions.log").read_text()]
    for log in logs:
        for secret in (*WORDS, "Labi, palīdzēšu", str(person), str(queued)):
            assert secret not in log, secret
