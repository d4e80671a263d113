"""The real bot process against a fake Telegram Bot API on loopback, with the real Rasa and action server."""

from __future__ import annotations

import json
import subprocess
import sys
import time
import uuid

import httpx
import pytest
from sqlalchemy import create_engine, func, select, text

from bot.pseudonym import sender_id
from bot.texts import TEXTS
from cards.render import topic_titles
from harness.wording import appears, label, response
from personal.models import HeldMessage
from tests.conftest import ROOT, free_port, start_rasa, wait_http
from harness.fake_telegram import FakeTelegram

SHELTER = topic_titles("lv")["ask_shelter_tonight"]  # the menu's first button


class Bot:
    """`python -m bot` in Telegram mode, talking to a FakeTelegram."""

    def __init__(self, env: dict, log_path, ready: str = "getUpdates", secret: str | None = None):
        self.fake = FakeTelegram().start()
        self.secret = secret or uuid.uuid4().hex  # the same secret again: the same people after a restart
        self.env = dict(env, TELEGRAM_BOT_TOKEN=self.fake.token, TELEGRAM_BASE_URL=self.fake.base_url,
                        SENDER_ID_SECRET=self.secret)
        self.log_path = log_path
        self.proc = subprocess.Popen([sys.executable, "-m", "bot"], cwd=ROOT, env=self.env,
                                     stdout=log_path.open("w"), stderr=subprocess.STDOUT)
        assert self.fake.wait_for(lambda f: ready in f.calls, 60), self.log()

    def log(self) -> str:
        return self.log_path.read_text()

    def sender(self, user_id: int) -> str:
        return sender_id(self.secret.encode(), "telegram", user_id)

    def replies(self, user_id: int, count: int, timeout: float = 30) -> list[str]:
        """Wait until at least `count` messages went to this chat; return all of them."""
        self.fake.wait_for(lambda f: len(f.texts(user_id)) >= count, timeout)
        return self.fake.texts(user_id)

    def menu(self, user_id: int, timeout: float = 30) -> dict:
        """Wait for the main menu (a greeting's buttons) in this chat; its keyboard. Waiting for the content, not a
        count of messages, never sits out a timeout when an answer has fewer messages than a test expected."""
        def found(f: FakeTelegram) -> dict | None:
            return next((m["reply_markup"] for m in reversed(f.sent) if m["chat_id"] == user_id and m["reply_markup"]
                         and any(b["text"] == SHELTER for row in m["reply_markup"].get("inline_keyboard", [])
                                 for b in row)), None)
        assert self.fake.wait_for(lambda f: found(f) is not None, timeout), self.fake.texts(user_id)
        return found(self.fake)

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self.fake.stop()


@pytest.fixture(scope="module")
def bot(stack, tmp_path_factory):
    b = Bot(stack.env, tmp_path_factory.mktemp("bot") / "bot.log")
    yield b
    b.stop()
    log = b.log()
    assert "Traceback" not in log and "handler error" not in log, log[-3000:]
    # Privacy: no bot token, no message text, no raw Telegram id in any log line.
    for secret in (b.fake.token, b.fake.token.split(":")[1], "pārnakšņot", "Sveiki", "dzīvot"):
        assert secret not in log, secret


@pytest.mark.e2e
def test_start_says_who_privacy_and_buttons(bot):
    bot.fake.message(101, "/start")
    menu = bot.menu(101)
    joined = "\n".join(bot.fake.texts(101))
    assert appears(response("utter_greet"), joined) and appears(TEXTS["lv"]["start_privacy"], joined)
    assert "112" not in joined
    buttons = [b for row in menu["inline_keyboard"] for b in row]
    assert SHELTER in [b["text"] for b in buttons]
    assert all(len(b["callback_data"].encode()) <= 64 and "/" not in b["callback_data"] for b in buttons)


@pytest.mark.e2e
def test_shelter_by_button_and_forged_button(bot):
    bot.fake.message(102, "Sveiki")
    menu = bot.menu(102)
    shelter = next(b for row in menu["inline_keyboard"] for b in row if b["text"] == SHELTER)
    before = len(bot.fake.texts(102))
    bot.fake.callback(102, shelter["callback_data"])
    assert bot.replies(102, before + 1)[-1] == response("utter_ask_municipality")
    ask = [m for m in bot.fake.sent if m["chat_id"] == 102 and m["reply_markup"]][-1]["reply_markup"]
    daugavpils = next(b for row in ask["inline_keyboard"] for b in row if b["text"] == "Daugavpils")
    bot.fake.callback(103, daugavpils["callback_data"])  # another person replays someone else's button
    assert bot.replies(103, 1)[-1] == TEXTS["lv"]["button_expired"]
    bot.fake.callback(102, '/inform_municipality{"municipality": "Rīga"}')  # a modified client
    assert bot.replies(102, before + 2)[-1] == TEXTS["lv"]["button_expired"]
    bot.fake.callback(102, daugavpils["callback_data"])
    assert bot.fake.wait_for(lambda f: any("Šaurā iela 23, Daugavpils" in t for t in f.texts(102)[before:]), 30), \
        bot.fake.texts(102)[before:]


@pytest.mark.e2e
def test_non_text_gets_a_kind_answer(bot):
    bot.fake.message(104, None, sticker={"file_id": "s", "file_unique_id": "s", "type": "regular", "width": 1, "height": 1,
                                         "is_animated": False, "is_video": False})
    bot.fake.message(104, None, voice={"file_id": "v", "file_unique_id": "v", "duration": 3})
    bot.fake.push({"edited_message": {"message_id": 5, "date": 1, "edit_date": 2, "chat": {"id": 104, "type": "private"},
                                      "from": {"id": 104, "is_bot": False, "first_name": "T"}, "text": "labots"}})
    texts = bot.replies(104, 3)
    assert texts.count(TEXTS["lv"]["not_text"]) == 2 and TEXTS["lv"]["edited"] in texts


@pytest.mark.e2e
def test_group_chats_are_ignored(bot):
    bot.fake.push({"message": {"message_id": 9, "date": 1, "chat": {"id": -100, "type": "group"},
                               "from": {"id": 105, "is_bot": False, "first_name": "T"}, "text": "Sveiki"}})
    bot.fake.message(105, "Sveiki")
    bot.menu(105)  # the private chat's greeting came, so the group's message (sent first) was read and left alone
    assert bot.fake.texts(-100) == []


@pytest.mark.e2e
def test_duplicate_update_has_one_effect(bot):
    update = {"update_id": 900_000, "message": {"message_id": 77, "date": 1, "chat": {"id": 106, "type": "private"},
                                               "from": {"id": 106, "is_bot": False, "first_name": "T"}, "text": "Paldies"}}
    bot.fake.push(json.loads(json.dumps(update)))
    bot.fake.wait_for(lambda f: f.acked >= 900_000, 20)
    bot.fake.push(json.loads(json.dumps(update)))  # redelivered
    bot.fake.message(106, "Paldies")  # a later message of the same person, handled after the duplicate in any case
    thanked = lambda f: f.texts(106).count(response("utter_thank"))  # noqa: E731
    bot.fake.wait_for(lambda f: thanked(f) >= 2, 30)
    assert thanked(bot.fake) == 2  # the first and the later one only


@pytest.mark.e2e
def test_slash_intent_injection(bot):
    bot.fake.message(107, '/ask_shelter_tonight{"municipality": "Rīga"}')
    assert bot.replies(107, 1)[0] == TEXTS["lv"]["unknown_command"]


@pytest.mark.e2e
def test_an_answer_survives_a_network_blip(bot):
    bot.fake.fail["sendMessage"] = "blip"
    bot.fake.message(111, "Paldies")
    assert bot.replies(111, 1)[0] == response("utter_thank")
    assert "sendMessage" not in bot.fake.fail, "the blip should have happened"


@pytest.mark.e2e
def test_burst_respects_429_and_loses_nothing(bot):
    bot.fake.message(108, "/start")
    # One answer of eight messages at any hour (a bed is one message at night): the first steps for two places.
    bot.fake.message(108, "šodien atbrīvoja, nav pases un nav naudas, ko darīt. Biju deklarēts Cēsīs, tagad esmu Rīgā")
    texts = bot.replies(108, 9, timeout=60)
    assert bot.fake.too_many > 0, "the burst should have met Telegram's limit"
    assert any("Bērzaines iela 16/18" in t for t in texts) and any(appears(response("utter_greet"), t) for t in texts)


@pytest.mark.e2e
def test_a_flood_of_any_kind_is_limited_and_a_crisis_still_answered(bot):
    """60 stickers, presses and edits from one account: at most the per-minute allowance is answered, the person is
    told once to slow down, and a stated danger inside the flood still gets the crisis block."""
    uid = 112
    for i in range(20):
        bot.fake.message(uid, None, sticker={"file_id": "s", "file_unique_id": "s", "type": "regular", "width": 1,
                                             "height": 1, "is_animated": False, "is_video": False})
        bot.fake.callback(uid, "/greet")
        bot.fake.push({"edited_message": {"message_id": 5 + i, "date": 1, "edit_date": 2, "chat": {"id": uid, "type":
                       "private"}, "from": {"id": uid, "is_bot": False, "first_name": "T"}, "text": "labots"}})
    last = bot.fake.message(uid, "es negribu vairs dzīvot")
    assert bot.fake.wait_for(lambda f: f.acked >= last, 60)
    assert bot.fake.wait_for(lambda f: any("116123" in t for t in f.texts(uid)), 60), bot.log()[-2000:]
    # Answers to different updates may arrive in any order (each waits out Telegram's 429 on its own).
    assert bot.fake.wait_for(lambda f: TEXTS["lv"]["slow_down"] in f.texts(uid), 60), bot.log()[-2000:]
    texts = bot.fake.texts(uid)
    assert texts.count(TEXTS["lv"]["slow_down"]) == 1
    assert len(texts) <= 20 * 3 + 2, len(texts)  # at most 20 updates answered (a greeting is 3 messages) + 2


@pytest.mark.e2e
def test_delete_my_data_empties_every_table(bot, stack):
    bot.fake.message(109, "Kur es varu pārnakšņot šonakt Daugavpilī?")
    assert bot.fake.wait_for(lambda f: any("Šaurā iela 23" in t for t in f.texts(109)), 60), bot.fake.texts(109)
    bot.fake.message(109, "/mani_dati")
    assert bot.fake.wait_for(lambda f: any("vieta: Daugavpils" in t for t in f.texts(109)), 60), bot.fake.texts(109)
    sender = bot.sender(109)
    tracker = create_engine(stack.env["TRACKER_DB_URL"])
    knowledge = create_engine(stack.env["KNOWLEDGE_DB_URL"])
    with knowledge.begin() as c:  # as if Rasa had been down for one of their messages
        c.execute(text("INSERT INTO held_message (sender, text, language, reason, created_at, expires_at) "
                       "VALUES (:s, 'x', 'lv', 'test', '2026-11-25', '2026-12-02')"), {"s": sender})
    with tracker.connect() as c:
        assert c.execute(text("SELECT count(*) FROM events WHERE sender_id = :s"), {"s": sender}).scalar() > 0
    n = len(bot.fake.texts(109))
    bot.fake.message(109, "/dzest")
    assert bot.fake.wait_for(lambda f: TEXTS["lv"]["forgotten"] in f.texts(109)[n:], 60), bot.fake.texts(109)[n:]
    with tracker.connect() as c:
        assert c.execute(text("SELECT count(*) FROM events WHERE sender_id = :s"), {"s": sender}).scalar() == 0
    with knowledge.connect() as c:
        assert c.execute(select(func.count()).select_from(HeldMessage).where(HeldMessage.sender == sender)).scalar() == 0
    with tracker.connect() as c:  # the raw Telegram id is nowhere in the conversation store
        assert c.execute(text("SELECT count(*) FROM events WHERE data LIKE '%\"109\"%' OR sender_id = '109'")).scalar() == 0


@pytest.mark.e2e
def test_rasa_killed_mid_conversation(stack, model, tmp_path):
    """A Rasa of its own, killed after the first answer: the next answer is static, fast, and the message is kept."""
    port = free_port()
    env = dict(stack.env, RASA_URLS=f"http://127.0.0.1:{port}", RASA_TIMEOUT="3")
    rasa = start_rasa(env, model, port, tmp_path / "rasa.log")
    try:
        wait_http(f"http://127.0.0.1:{port}/", [rasa], 240, [tmp_path / "rasa.log"])
        b = Bot(env, tmp_path / "bot.log")
        try:
            b.fake.message(110, "Sveiki")
            b.menu(110)
            rasa.kill()
            rasa.wait(10)
            n = len(b.fake.texts(110))
            started = time.monotonic()
            b.fake.message(110, "Kur es varu pārnakšņot šonakt Daugavpilī?")
            texts = b.replies(110, n + 3)
            elapsed = time.monotonic() - started
            assert elapsed < 5, elapsed
            assert texts[n] == TEXTS["lv"]["unavailable"]  # no crisis numbers for an ordinary question
            assert texts[n + 1] == TEXTS["lv"]["held"].format(held_days=7)  # the person is told the question is kept, and for how long
            assert any("Šaurā iela 23" in t for t in texts[n:])  # facts straight from the knowledge base
            with create_engine(stack.env["KNOWLEDGE_DB_URL"]).connect() as c:
                kept = c.execute(select(HeldMessage.text).where(HeldMessage.sender == b.sender(110))).scalars().all()
            assert kept == ["Kur es varu pārnakšņot šonakt Daugavpilī?"]
            m = len(b.fake.texts(110))
            b.fake.message(110, "es negribu vairs dzīvot")
            crisis = b.replies(110, m + 2)
            assert crisis[m].startswith("🆘") and "116123" in crisis[m]
        finally:
            b.stop()
        assert "Traceback" not in b.log()
    finally:
        if rasa.poll() is None:
            rasa.kill()


@pytest.mark.e2e
def test_webhook_rejects_requests_without_the_secret(stack, tmp_path):
    port = free_port()
    env = dict(stack.env, TELEGRAM_WEBHOOK_URL="https://bot.example/telegram", TELEGRAM_WEBHOOK_SECRET="s3cret-Token_1",
               TELEGRAM_WEBHOOK_PORT=str(port))
    b = Bot(env, tmp_path / "bot.log", ready="setWebhook")
    try:
        url = f"http://127.0.0.1:{port}/telegram"
        update = {"update_id": 1, "message": {"message_id": 1, "date": 1, "chat": {"id": 111, "type": "private"},
                                              "from": {"id": 111, "is_bot": False, "first_name": "T"}, "text": "Paldies"}}
        wait_http(f"http://127.0.0.1:{port}/", [b.proc], 30, [tmp_path / "bot.log"])
        no_secret = httpx.post(url, json=update, timeout=5)
        wrong = httpx.post(url, json=update, headers={"X-Telegram-Bot-Api-Secret-Token": "nope"}, timeout=5)
        garbage = httpx.post(url, content=b"{not json", headers={"X-Telegram-Bot-Api-Secret-Token": "nope"}, timeout=5)
        assert (no_secret.status_code, wrong.status_code, garbage.status_code) == (403, 403, 403)
        assert b.fake.texts(111) == []  # refused before it was parsed: nothing was ever handled
        ok = httpx.post(url, json=update, headers={"X-Telegram-Bot-Api-Secret-Token": "s3cret-Token_1"}, timeout=5)
        assert ok.status_code == 200
        assert response("utter_thank") in b.replies(111, 1)
    finally:
        b.stop()


@pytest.mark.e2e
def test_a_location_shared_in_sigulda_finds_the_nearest_shelters_with_distance(bot):
    bot.fake.message(127, None, location={"latitude": 57.1537, "longitude": 24.8534})  # Sigulda, which has none
    texts = bot.replies(127, 2)
    assert texts[0].startswith(TEXTS["lv"]["location_intro"])
    # By day the cards, at night one plan with the morning button: either way the nearest first, with its distance.
    assert "Cēsu naktspatversme" in texts[1]  # across the municipal border, with its distance
    assert label("card_distance").format(km=31) in texts[1]
