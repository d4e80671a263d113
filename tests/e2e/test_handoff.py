"""Volunteers through the real bot process, a fake Telegram API and the real Rasa + action server on loopback:
a whole shift, refusals, a kill -9 under load, expiry."""

from __future__ import annotations

import signal
import subprocess
import sys
import time

import pytest
from sqlalchemy import create_engine, text

from bot.texts import TEXTS
from knowledge import migrate
from tests.conftest import ROOT, free_port, start_rasa
from tests.e2e.test_telegram import Bot
from harness.fake_telegram import FakeTelegram
from cards.render import topic_titles
from harness.wording import appears, label

ADMIN, ANNA, JANIS, STRANGER = 9001, 5001, 5002, 6666
GROUP = -1001234
T = TEXTS["lv"]  # the people here write in Latvian, and the volunteers work in it


def env_for(stack, tmp_path, **extra) -> dict:
    """The stack's Rasa and tracker, a knowledge database of this test's own (the queue lives there)."""
    url = f"sqlite:///{tmp_path / 'kb.sqlite'}"
    migrate.upgrade(url)
    return dict(stack.env, KNOWLEDGE_DB_URL=url, ADMIN_TELEGRAM_IDS=str(ADMIN), VOLUNTEER_CHAT_ID=str(GROUP),
                HANDOFF_HOURS="00:00-24:00", HANDOFF_TICK_SECONDS="0.5", CRISIS_MODEL="off", RATE_PER_MINUTE="600",
                **extra)


def group_command(fake: FakeTelegram, user_id: int, line: str) -> int:
    """A command typed in the volunteer group."""
    return fake.push({"message": {
        "message_id": fake._msg_id(), "date": int(time.time()), "chat": {"id": GROUP, "type": "supergroup", "title": "B"},
        "from": {"id": user_id, "is_bot": False, "first_name": "V"}, "text": line,
        "entities": [{"type": "bot_command", "offset": 0, "length": len(line.split()[0])}]}})


def button(fake: FakeTelegram, chat_id: int, title: str) -> str:
    """The callback data of the newest button with this title in a chat."""
    for m in reversed(fake.sent):
        if m["chat_id"] == chat_id and m["reply_markup"]:
            for row in m["reply_markup"]["inline_keyboard"]:
                for b in row:
                    if b["text"] == title:
                        return b["callback_data"]
    raise AssertionError(f"no button {title!r} in chat {chat_id}: {fake.texts(chat_id)[-3:]}")


def say(b: Bot, chat_id: int, line: str, wait_for: str, timeout: float = 30, **blanks: object) -> list[str]:
    """Send a line (text or /command) and wait until a message showing `wait_for` (a text, or a template whose
    {blanks} may hold anything, except those given) arrives in that chat."""
    n = len(b.fake.texts(chat_id))
    b.fake.message(chat_id, line)
    assert b.fake.wait_for(lambda f: any(appears(wait_for, t, **blanks) for t in f.texts(chat_id)[n:]), timeout), \
        (line, b.fake.texts(chat_id)[n:], b.log()[-2000:])
    return b.fake.texts(chat_id)[n:]


def new_in(fake: FakeTelegram, chat_id: int, since: int) -> list[str]:
    return fake.texts(chat_id)[since:]


@pytest.mark.e2e
def test_a_volunteer_runs_a_shift_from_telegram(stack, tmp_path):
    b = Bot(env_for(stack, tmp_path), tmp_path / "bot.log")
    person, transcript = 7301917, []  # an id no log timestamp can contain
    try:
        say(b, ADMIN, "/pievienot 5001 Anna", T["v_added"].format(name="Anna"))
        say(b, person, "Kur es varu pārnakšņot šonakt Daugavpilī?", "Šaurā iela 23")
        offer = next(t for t in say(b, person, "/cilveks", T["handoff_consent"]) if appears(T["handoff_consent"], t))
        assert topic_titles("lv")["ask_shelter_tonight"] in offer and T["sum_place"].format(place="Daugavpils") in offer
        transcript += ["👤 /cilveks", f"🤖 {offer}"]

        n = len(b.fake.texts(person))
        b.fake.callback(person, button(b.fake, person, T["btn_send"]))
        assert b.fake.wait_for(lambda f: any(appears(T["handoff_sent"], t) for t in f.texts(person)[n:]), 30)
        sent = new_in(b.fake, person, n)[-1]
        rid = int(sent.split("Nr. ")[1].split(")")[0])
        transcript += ["👤 [Jā, sūtīt]", f"🤖 {sent}"]
        assert b.fake.wait_for(lambda f: any(f"/nemt {rid}" in t for t in f.texts(GROUP)), 30)
        announcement = b.fake.texts(GROUP)[-1]
        short = T["v_announce_short"].format(mark="🆕", id=rid, urgency=T["v_urgency_1"], place="Daugavpils")
        assert short in announcement
        assert str(person) not in announcement  # number, urgency, place: no person, no topic
        assert topic_titles("lv")["ask_shelter_tonight"] not in announcement
        transcript.append(f"👥 (grupa) {announcement}")

        g = len(b.fake.texts(GROUP))
        group_command(b.fake, ANNA, "/rinda")
        assert b.fake.wait_for(lambda f: any("Rinda (1)" in t for t in f.texts(GROUP)[g:]), 30)
        transcript += ["🙋 Anna (grupā): /rinda", f"👥 {new_in(b.fake, GROUP, g)[-1]}"]

        claimed = say(b, ANNA, f"/nemt {rid}", T["v_claimed"], id=rid)
        transcript += [f"🙋 Anna: /nemt {rid}", f"🤖→Anna: {claimed[-1]}"]
        assert b.fake.wait_for(lambda f: T["handoff_claimed"].format(name="Anna") in f.texts(person), 30)
        transcript.append(f"🤖→👤 {b.fake.texts(person)[-1]}")

        a = len(b.fake.texts(ANNA))
        relayed = say(b, person, "Vai tur vajag pasi?", T["relayed"])
        assert b.fake.wait_for(lambda f: any("Vai tur vajag pasi?" in t for t in f.texts(ANNA)[a:]), 30)
        assert not any("Šaurā" in t for t in relayed)  # the robot kept quiet
        transcript += ["👤 Vai tur vajag pasi?", f"🤖 {relayed[-1]}", f"🤖→Anna: {b.fake.texts(ANNA)[-1]}"]

        p = len(b.fake.texts(person))
        reply = f"/atb {rid} Nē, var bez pases. Ejiet uz Šauro ielu 23 pēc 18.00."
        say(b, ANNA, reply, T["v_replied"].format(id=rid))
        assert b.fake.wait_for(lambda f: any(t.startswith("🙋 Anna: Nē, var bez pases.") for t in f.texts(person)[p:]), 30)
        transcript += [f"🙋 Anna: {reply}", f"🤖→👤 {b.fake.texts(person)[-1]}"]

        a = len(b.fake.texts(ANNA))
        say(b, person, "Paldies, iešu!", T["relayed"])
        assert b.fake.wait_for(lambda f: any("Paldies, iešu!" in t for t in f.texts(ANNA)[a:]), 30)
        transcript += ["👤 Paldies, iešu!", f"🤖→Anna: {b.fake.texts(ANNA)[-1]}"]

        say(b, ANNA, f"/piezime {rid} Ieteicu Šauro ielu", T["v_noted"].format(id=rid))
        done = say(b, ANNA, f"/gatavs {rid}", T["v_resolved"].format(id=rid))
        assert b.fake.wait_for(lambda f: T["handoff_resolved"] in f.texts(person), 30)
        transcript += [f"🙋 Anna: /gatavs {rid}", f"🤖→Anna: {done[-1]}", f"🤖→👤 {b.fake.texts(person)[-1]}"]

        a = len(b.fake.texts(ANNA))
        back = say(b, person, "Kur var paēst?", "🏠")  # Rasa answers again, remembering Daugavpils
        # A person's messages are handled in order: Rasa answered this one, so it was not relayed to Anna.
        assert not any("Kur var paēst?" in t for t in b.fake.texts(ANNA)[a:])
        transcript += ["👤 Kur var paēst?", f"🤖 {back[-1]}"]

        with create_engine(b.env["KNOWLEDGE_DB_URL"]).connect() as c:
            actions = [r[0] for r in c.execute(text("SELECT action FROM handoff_audit WHERE request_id = :r ORDER BY id"),
                                               {"r": rid})]
            row = c.execute(text("SELECT status, chat_ref FROM handoff_request WHERE id = :r"), {"r": rid}).one()
        assert actions == ["consented", "announced", "claimed", "received", "replied", "received", "noted", "resolved"]
        assert tuple(row) == ("resolved", None)  # where to reach the person is gone with the conversation
        print("\n--- handoff transcript ---\n" + "\n".join(transcript))
    finally:
        b.stop()
    log = b.log()
    assert "Traceback" not in log
    for secret in ("Vai tur vajag pasi", "Šauro ielu", "Paldies, iešu", str(person)):
        assert secret not in log, secret


@pytest.mark.e2e
def test_everyone_else_is_refused(stack, tmp_path):
    from bot.handoff import VOLUNTEER_COMMANDS

    b = Bot(env_for(stack, tmp_path), tmp_path / "bot.log")
    try:
        say(b, ADMIN, "/pievienot 5001 Anna", T["v_added"].format(name="Anna"))
        say(b, 302, "/cilveks", T["handoff_consent"])
        n = len(b.fake.texts(302))
        b.fake.callback(302, button(b.fake, 302, T["btn_send"]))
        assert b.fake.wait_for(lambda f: any(appears(T["handoff_sent"], t) for t in f.texts(302)[n:]), 30)
        rid = int(b.fake.texts(302)[-1].split("Nr. ")[1].split(")")[0])
        for c in VOLUNTEER_COMMANDS:
            say(b, STRANGER, f"/{c.name} {rid} 7777 Ļaunais", T["v_refused"])
            g = len(b.fake.texts(GROUP))
            group_command(b.fake, STRANGER, f"/{c.name} {rid} 7777 Ļaunais")
            assert b.fake.wait_for(lambda f: T["v_refused"] in f.texts(GROUP)[g:], 30)
        for c in [c for c in VOLUNTEER_COMMANDS if c.admin]:
            say(b, ANNA, f"/{c.name} {rid} 7777 Ļaunais", T["v_refused"])
        with create_engine(b.env["KNOWLEDGE_DB_URL"]).connect() as c:
            status = c.execute(text("SELECT status FROM handoff_request WHERE id = :r"), {"r": rid}).scalar()
            refused = c.execute(text("SELECT count(*) FROM handoff_audit WHERE actor = 'refused'")).scalar()
            volunteers = c.execute(text("SELECT count(*) FROM volunteer")).scalar()
        assert status == "new" and volunteers == 1
        assert refused == 2 * len(VOLUNTEER_COMMANDS) + sum(c.admin for c in VOLUNTEER_COMMANDS)
        assert not any(t.startswith("🙋") for t in b.fake.texts(302))  # nothing reached the person
    finally:
        b.stop()


class RestartableBot(Bot):
    """The bot process can be killed with SIGKILL and started again against the same fake Telegram."""

    def kill9(self) -> None:
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(10)

    def restart(self) -> None:
        self.proc = subprocess.Popen([sys.executable, "-m", "bot"], cwd=ROOT, env=self.env,
                                     stdout=self.log_path.open("a"), stderr=subprocess.STDOUT)


def _acked(fake: FakeTelegram, uid: int) -> bool:
    return any(appears(T["handoff_sent"], t) or appears(T["handoff_already_open"], t) for t in fake.texts(uid))


@pytest.mark.e2e
def test_kill_9_under_load_loses_and_duplicates_nothing(stack, model, tmp_path):
    """N people ask for a human at once; the bot (and Rasa) are killed with SIGKILL mid-load; after a restart there
    are exactly N requests, each acknowledged to its person, and each announced once (a second, marked 🔁, only
    where the kill fell between the send and its record)."""
    port = free_port()
    rasa_env = dict(stack.env, RASA_URLS=f"http://127.0.0.1:{port}")
    rasa = start_rasa(rasa_env, model, port, tmp_path / "rasa.log")
    env = env_for(stack, tmp_path, RASA_URLS=f"http://127.0.0.1:{port}", HANDOFF_STALE_SECONDS="2")
    b = RestartableBot(env, tmp_path / "bot.log")
    people = list(range(401, 441))
    try:
        say(b, ADMIN, "/pievienot 5001 Anna", T["v_added"].format(name="Anna"))
        for uid in people:
            b.fake.message(uid, "Sveiki")
            b.fake.message(uid, "/cilveks")
        asked = lambda f, u: any(appears(T["handoff_consent"], t) for t in f.texts(u))  # noqa: E731
        assert b.fake.wait_for(lambda f: all(asked(f, u) for u in people), 120), b.log()
        presses = {}
        for uid in people:  # everyone presses "send" at once ...
            presses[uid] = b.fake.callback(uid, button(b.fake, uid, T["btn_send"]))
        # ... and the bot dies part-way through, as does Rasa (not on the request path, so it stays dead).
        assert b.fake.wait_for(lambda f: sum(_acked(f, u) for u in people) >= len(people) // 3, 60)
        b.kill9()
        rasa.send_signal(signal.SIGKILL)
        fetched = b.fake.acked  # presses up to here were taken by the dead process; later ones come again
        acked_before = sum(_acked(b.fake, u) for u in people)
        with create_engine(env["KNOWLEDGE_DB_URL"]).connect() as c:
            in_flight = {r[0] for r in c.execute(text("SELECT id FROM handoff_request WHERE announce_started_at IS NOT NULL "
                                                    "AND announced_at IS NULL"))}
            rows_before = c.execute(text("SELECT count(*) FROM handoff_request WHERE status = 'new'")).scalar()
        calls = len(b.fake.calls)
        b.restart()
        # Updates Telegram had already handed over when the process died are not sent again: a press whose answer
        # never came is lost with it. The person sees no confirmation and presses again (buttons survive restarts).
        assert b.fake.wait_for(lambda f: "getUpdates" in f.calls[calls:], 60), b.log()[-3000:]
        redelivered = [u for u in people if presses[u] > fetched]
        assert b.fake.wait_for(lambda f: all(_acked(f, u) for u in redelivered), 120), b.log()[-3000:]
        pressed_again = [u for u in people if not _acked(b.fake, u)]
        for uid in pressed_again:
            b.fake.callback(uid, button(b.fake, uid, T["btn_send"]))
        assert b.fake.wait_for(lambda f: all(_acked(f, u) for u in people), 120), b.log()[-3000:]
        with create_engine(env["KNOWLEDGE_DB_URL"]).connect() as c:
            rows = c.execute(text("SELECT id, sender FROM handoff_request WHERE status = 'new'")).all()
            drafts = c.execute(text("SELECT count(*) FROM handoff_request WHERE status = 'draft'")).scalar()
        assert len(rows) == len(people) and len({s for _, s in rows}) == len(people) and drafts == 0
        ids = {r for r, _ in rows}
        assert b.fake.wait_for(lambda f: all(any(f"Nr. {r} ·" in t for t in f.texts(GROUP)) for r in ids), 120)
        # Every request is recorded as announced: the outbox holds nothing more, so nothing more can be announced.
        with create_engine(env["KNOWLEDGE_DB_URL"]).connect() as c:
            assert c.execute(text("SELECT count(*) FROM handoff_request WHERE announced_at IS NULL AND status = 'new'"
                                  )).scalar() == 0
        firsts = {r: sum(t.count(f"🆕 Nr. {r} ·") for t in b.fake.texts(GROUP)) for r in ids}
        repeats = {r: sum(t.count(f"🔁 Nr. {r} ·") for t in b.fake.texts(GROUP)) for r in ids}
        assert all(firsts[r] + repeats[r] == 1 for r in ids - in_flight), (firsts, repeats)
        assert all(1 <= firsts[r] + repeats[r] <= 2 and firsts[r] <= 1 for r in in_flight), (firsts, repeats)
        print(f"\nkill -9: {len(people)} people, {acked_before} acknowledged and {rows_before} queued before the kill, "
              f"{len(pressed_again)} pressed again (no answer came), {len(rows)} requests after restart, "
              f"{sum(firsts.values())} first announcements, {sum(repeats.values())} marked repeats, "
              f"{len(in_flight)} in flight at the kill")
    finally:
        b.stop()
        if rasa.poll() is None:
            rasa.kill()


@pytest.mark.e2e
def test_unanswered_requests_expire(stack, tmp_path):
    b = Bot(env_for(stack, tmp_path, HANDOFF_EXPIRE_HOURS="0.001"), tmp_path / "bot.log")  # 3.6 seconds
    try:
        say(b, ADMIN, "/pievienot 5001 Anna", T["v_added"].format(name="Anna"))
        say(b, 303, "/cilveks", T["handoff_consent"])
        b.fake.callback(303, button(b.fake, 303, T["btn_send"]))
        assert b.fake.wait_for(lambda f: any(appears(T["handoff_sent"], t) for t in f.texts(303)), 30)
        rid = int([t for t in b.fake.texts(303) if appears(T["handoff_sent"], t)][-1].split("Nr. ")[1].split(")")[0])
        say(b, ANNA, f"/nemt {rid}", T["v_claimed"], id=rid)
        assert b.fake.wait_for(lambda f: T["handoff_expired"].format(id=rid) in f.texts(303), 30)
        assert b.fake.wait_for(lambda f: T["v_expired"].format(id=rid) in f.texts(ANNA), 30)
        assert "Šaurā iela" in " ".join(say(b, 303, "Kur pārnakšņot Daugavpilī?", "Šaurā iela"))  # the robot is back
    finally:
        b.stop()


@pytest.mark.e2e
def test_a_volunteer_verifies_a_shelter_by_phone_and_the_card_changes(stack, tmp_path):
    """Check-ins said the Jēkabpils shelter was closed (its listing is in /labojumi); a volunteer calls it from
    Telegram and confirms it; a person in Madona who shares a location sees the day of the call on the card."""
    import datetime as dt

    from knowledge import loader
    from knowledge.hours import RIGA
    from personal.crypto import ChatRefCipher
    from personal.handoff import HandoffStore

    env = env_for(stack, tmp_path)
    loader.load(env["KNOWLEDGE_DB_URL"])
    HandoffStore(env["KNOWLEDGE_DB_URL"], ChatRefCipher(b"c" * 32)).report_listing(
        "jekabpils-naktspatversme", "Jēkabpils novads", "Jēkabpils Naktspatversme")
    b = Bot(env, tmp_path / "bot.log")
    person, madona = 7303917, {"latitude": 56.8553, "longitude": 26.2170}  # an id no timestamp can contain
    try:
        say(b, ADMIN, "/pievienot 5001 Anna", T["v_added"].format(name="Anna"))
        n = len(b.fake.texts(person))
        b.fake.message(person, None, location=madona)
        assert b.fake.wait_for(lambda f: any("Jēkabpils Naktspatversme" in t for t in f.texts(person)[n:]), 30)
        before = next(t for t in new_in(b.fake, person, n) if "Jēkabpils Naktspatversme" in t)
        assert not appears(label("card_checked_by_phone"), before) and "Zaļā iela 9" in before

        asked = say(b, ANNA, "/parbaudit", T["v_check_head"].split("{")[0])[-1]
        assert "Jēkabpils Naktspatversme" in asked and T["v_check_reported"] in asked
        assert T["v_check_call"].format(phone="65236440") in asked
        n_anna = len(b.fake.texts(ANNA))
        b.fake.callback(ANNA, button(b.fake, ANNA, T["v_check_ok"]))
        confirmed = lambda f: any(appears(T["v_check_confirmed"], t) for t in f.texts(ANNA)[n_anna:])  # noqa: E731
        assert b.fake.wait_for(confirmed, 30), b.log()[-2000:]
        today = dt.datetime.now(RIGA).strftime("%d.%m.%Y")
        assert f"pārbaudīts pa tālruni {today}." in new_in(b.fake, ANNA, n_anna)[-1]
        assert say(b, ANNA, "/labojumi", T["v_moderation_empty"])  # the call answered the report

        n = len(b.fake.texts(person))
        b.fake.message(person, None, location=madona)
        assert b.fake.wait_for(lambda f: any("Jēkabpils Naktspatversme" in t for t in f.texts(person)[n:]), 30)
        after = next(t for t in new_in(b.fake, person, n) if "Jēkabpils Naktspatversme" in t)
        assert label("card_checked_by_phone").format(date=today) in after and "⚠️" not in after
        print("\n".join(["🙋 /parbaudit", f"🤖 {asked}", "🙋 [✅ Viss pareizi]", f"🤖 {new_in(b.fake, ANNA, n_anna)[0]}",
                         "👤 [atrašanās vieta: Madona]", f"🤖 {after}"]))
        assert str(person) not in b.log() and "Madona" not in b.log()
    finally:
        b.stop()
