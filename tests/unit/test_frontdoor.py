"""The front door with a fake Rasa: sanitising, crisis first, outages, buttons only as issued."""

import asyncio

import pytest

from bot.crisis import CRISIS_REPLY
from bot.frontdoor import FrontDoor, clean
from bot.pseudonym import sender_id
from bot.rasa_client import Button, RasaUnavailable, Reply, parse_replies
from bot.settings import Settings


class FakeRasa:
    def __init__(self, replies=None, fail=False):
        self.sent, self.replies, self.fail = [], replies or [Reply("ok")], fail

    async def send(self, sender, message, metadata=None):
        self.sent.append((sender, message))
        if self.fail:
            raise RasaUnavailable("down")
        return self.replies


def door(rasa):
    settings = Settings(("http://127.0.0.1:1",), 1.0, None, None, b"k", None, 1000)
    return FrontDoor(settings, rasa)


def test_slash_injection_never_reaches_rasa_as_intent():
    rasa = FakeRasa()
    asyncio.run(door(rasa).handle_text("t", 1, '/ask_shelter_tonight{"municipality": "Rīga"}'))
    assert not rasa.sent[0][1].startswith("/")


@pytest.mark.parametrize("raw", ["\ud800abc", "a\u202eb", "x\x00y", "  ", "\u200b"])
def test_clean_handles_broken_unicode_and_controls(raw):
    text, _ = clean(raw, 100)
    text.encode("utf-8")  # must be valid UTF-8
    assert "\u202e" not in text and "\x00" not in text


def test_long_message_is_cut_and_said():
    rasa = FakeRasa()
    replies = asyncio.run(door(rasa).handle_text("t", 1, "ā" * 5000))
    assert len(rasa.sent[0][1]) == 1000 and "ļoti gara" in replies[0].text


def test_crisis_numbers_come_first_and_rasa_repeat_is_dropped():
    rasa = FakeRasa([Reply("🆘 Ja ir briesmas dzīvībai, zvaniet 112 tagad."), Reply("Vai varu vēl palīdzēt?")])
    replies = asyncio.run(door(rasa).handle_text("t", 1, "es negribu vairs dzīvot"))
    assert replies[0].text == CRISIS_REPLY["lv"]
    assert [r.text for r in replies[1:]] == ["Vai varu vēl palīdzēt?"]


def test_crisis_numbers_even_when_rasa_is_down():
    replies = asyncio.run(door(FakeRasa(fail=True)).handle_text("t", 1, "хочу покончить с собой"))
    assert replies[0].text == CRISIS_REPLY["ru"] and "112" in replies[1].text


def test_rasa_down_gets_static_answer_with_numbers():
    replies = asyncio.run(door(FakeRasa(fail=True)).handle_text("t", 1, "kur pārnakšņot"))
    assert len(replies) == 1 and "112" in replies[0].text and "116123" in replies[0].text


def test_buttons_only_as_issued_and_only_to_that_person():
    rasa = FakeRasa()
    d = door(rasa)
    token = d.button_token(d.sender("t", 1), '/inform_municipality{"municipality": "Rīga"}')
    assert len(token) <= 64
    asyncio.run(d.handle_button("t", 2, token))  # another person replays it
    asyncio.run(d.handle_button("t", 1, "forged"))
    assert rasa.sent == []
    asyncio.run(d.handle_button("t", 1, token))
    assert rasa.sent[0][1] == '/inform_municipality{"municipality": "Rīga"}'


def test_unknown_command_is_answered_not_forwarded():
    rasa = FakeRasa()
    replies = asyncio.run(door(rasa).handle_command("t", 1, "restart"))
    assert rasa.sent == [] and "komandas nav" in replies[0].text


def test_pseudonym_is_keyed_and_stable():
    assert sender_id(b"a", "telegram", 42) == sender_id(b"a", "telegram", 42)
    assert sender_id(b"a", "telegram", 42) != sender_id(b"b", "telegram", 42)
    assert "42" not in sender_id(b"a", "telegram", 42)


def test_parse_replies_drops_malformed_items():
    body = [{"text": "a", "buttons": [{"title": "T", "payload": "/greet"}, {"title": "no payload"}]}, {"image": "x"}, 5]
    assert parse_replies(body) == [Reply("a", (Button("T", "/greet"),))]
    assert parse_replies({"not": "a list"}) == []
