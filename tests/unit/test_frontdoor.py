"""The front door with a fake Rasa: sanitising, crisis first, outages, buttons only as issued."""

import asyncio

import pytest

from bot.commands import COMMANDS, help_text, lookup
from bot.frontdoor import FrontDoor, clean
from bot.pseudonym import sender_id
from bot.rasa_client import Button, RasaUnavailable, Reply, parse_replies
from bot.settings import Settings
from bot.store import PersonalSummary
from bot.texts import text
from crisis.signal import NONE, Assessment


class FakeRasa:
    def __init__(self, replies=None, fail=False):
        self.sent, self.replies, self.fail, self.metadata = [], replies or [Reply("ok")], fail, []

    async def send(self, sender, message, metadata=None):
        self.sent.append((sender, message))
        self.metadata.append(metadata)
        if self.fail:
            raise RasaUnavailable("down")
        return self.replies


class FakeStore:
    def __init__(self):
        self.held, self.forgotten = [], []

    def hold(self, sender, text, language, reason):
        self.held.append((sender, text, reason))

    def describe(self, sender):
        return PersonalSummary(3, {"municipality": "Daugavpils"}, len([h for h in self.held if h[0] == sender]))

    def forget(self, sender):
        self.forgotten.append(sender)
        return 7


class FakeFacts:
    def __init__(self, topic=None, cards=(), near=()):
        self.topic, self.cards, self.near = topic, list(cards), list(near)

    def for_message(self, message, language="lv"):
        return self.topic, self.cards

    def nearby(self, latitude, longitude):
        return self.near


class Clock:
    """A clock the test moves by hand."""

    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def door(rasa, store=None, fallback=None, rate=20, crisis=None, triage=None, clock=None):
    settings = Settings(
        rasa_urls=("http://127.0.0.1:1",), rasa_timeout=1.0, telegram_token=None, telegram_base_url=None,
        sender_secret=b"k", tracker_db_url=None, knowledge_db_url=None, max_text_chars=1000, rate_per_minute=rate,
    )
    return FrontDoor(settings, rasa, store, fallback, crisis, triage, clock=clock or Clock())


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


def test_crisis_numbers_come_first_then_rasa_answer_and_rasa_is_told():
    rasa = FakeRasa([Reply("Es esmu šeit.")])
    replies = asyncio.run(door(rasa).handle_text("t", 1, "es negribu vairs dzīvot"))
    assert replies[0].text == text("crisis", "lv")
    assert [r.text for r in replies[1:]] == ["Es esmu šeit."]
    assert rasa.metadata[0] == {"language": "lv", "crisis": "explicit"}


def test_ordinary_messages_get_no_numbers_and_rasa_is_told_so():
    rasa = FakeRasa()
    for message in ("Sveiki, es esmu Jānis", "uzraksti dzejoli par mīlestību", "man vajag dušu un tīras drēbes",
                    "zāles beidzās, recepte palika cietumā", "nevaru gulēt, galva vēl kamerā"):
        replies = asyncio.run(door(rasa).handle_text("t", 1, message))
        assert [r.text for r in replies] == ["ok"], message
    assert {m["crisis"] for m in rasa.metadata} == {None}


def test_third_person_crisis_gets_what_a_helper_should_do():
    replies = asyncio.run(door(FakeRasa()).handle_text("t", 1, "mans draugs teica, ka pēc cietuma šonakt pakārsies"))
    assert replies[0].text == text("crisis_third", "lv")
    replies = asyncio.run(door(FakeRasa()).handle_text("t", 2, "друг сказал, что после тюрьмы повесится"))
    assert replies[0].text == text("crisis_third", "ru")


def test_one_crisis_block_per_ten_minutes_then_a_one_line_reminder():
    clock = Clock()
    d = door(FakeRasa(), clock=clock)
    assert asyncio.run(d.handle_text("t", 1, "šonakt visu izbeigšu"))[0].text == text("crisis", "lv")
    clock.now += 60
    assert asyncio.run(d.handle_text("t", 1, "virve jau ir"))[0].text == text("crisis_again", "lv")
    assert asyncio.run(d.handle_text("t", 2, "gribu nomirt"))[0].text == text("crisis", "lv")  # another person
    clock.now += 600
    assert asyncio.run(d.handle_text("t", 1, "gribu nomirt"))[0].text == text("crisis", "lv")


def test_crisis_numbers_even_when_rasa_is_down():
    replies = asyncio.run(door(FakeRasa(fail=True)).handle_text("t", 1, "хочу покончить с собой"))
    assert replies[0].text == text("crisis", "ru") and replies[1].text == text("unavailable", "ru")


def test_rasa_down_gets_a_static_answer_without_crisis_numbers():
    replies = asyncio.run(door(FakeRasa(fail=True)).handle_text("t", 1, "kur pārnakšņot"))
    assert [r.text for r in replies] == [text("unavailable", "lv")]


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
    replies = asyncio.run(door(rasa).handle_command("t", 1, "/restart"))
    assert rasa.sent == [] and "komandas nav" in replies[0].text


def test_rasa_down_keeps_the_message_and_gives_knowledge_base_facts():
    store = FakeStore()
    d = door(FakeRasa(fail=True), store, fallback=FakeFacts("shelter", ["🏠 Daugavpils Nakts patversme"]))
    replies = asyncio.run(d.handle_text("t", 1, "kur pārnakšņot Daugavpilī"))
    assert replies[0].text == text("unavailable") and replies[1].text == "🏠 Daugavpils Nakts patversme"
    assert store.held == [(d.sender("t", 1), "kur pārnakšņot Daugavpilī", "rasa_unavailable")]


def test_rasa_down_static_shelter_advice_without_place():
    d = door(FakeRasa(fail=True), FakeStore(), fallback=FakeFacts("shelter"))
    replies = asyncio.run(d.handle_text("t", 1, "kur pārnakšņot"))
    assert replies[1].text == text("fallback_shelter")


def test_rate_limit_is_polite_once_and_crisis_still_answered():
    rasa = FakeRasa()
    d = door(rasa, rate=9)  # bursts of 3
    replies = [asyncio.run(d.handle_text("t", 1, f"ziņa {i}")) for i in range(6)]
    assert len(rasa.sent) == 3
    assert replies[3][0].text == text("slow_down") and replies[4] == [] and replies[5] == []
    crisis = asyncio.run(d.handle_text("t", 1, "negribu vairs dzīvot"))
    assert crisis[0].text == text("crisis")


def test_forget_clears_store_buttons_and_rate_state():
    store = FakeStore()
    rasa = FakeRasa()
    d = door(rasa, store, rate=3)
    token = d.button_token(d.sender("t", 1), "/greet")
    for _ in range(5):
        asyncio.run(d.handle_text("t", 1, "x"))
    replies = asyncio.run(d.handle_command("t", 1, "/dzest"))
    assert "izdzēsts" in replies[0].text and store.forgotten == [d.sender("t", 1)]
    assert "vairs nedarbojas" in asyncio.run(d.handle_button("t", 1, token))[0].text
    sent = len(rasa.sent)
    asyncio.run(d.handle_text("t", 1, "y"))  # the rate-limit state went too
    assert len(rasa.sent) == sent + 1


def test_my_data_shows_counts_not_texts():
    store = FakeStore()
    replies = asyncio.run(door(FakeRasa(), store).handle_command("t", 1, "/mani_dati"))
    assert "3 ziņas" in replies[0].text and "vieta: Daugavpils" in replies[0].text


def test_command_table_drives_lookup_and_help():
    for c in COMMANDS:
        assert lookup(f"/{c.name}") is c and all(lookup(f"/{a}@celvedis_bot") is c for a in c.aliases)
        assert f"/{c.name}" in help_text("lv") and c.ru in help_text("ru")
        assert all(ch.isascii() and (ch.islower() or ch == "_") for ch in c.name)  # Telegram's rule for commands
    assert lookup("/restart") is None and lookup("") is None


def test_pseudonym_is_keyed_and_stable():
    assert sender_id(b"a", "telegram", 42) == sender_id(b"a", "telegram", 42)
    assert sender_id(b"a", "telegram", 42) != sender_id(b"b", "telegram", 42)
    assert "42" not in sender_id(b"a", "telegram", 42)


def test_parse_replies_drops_malformed_items():
    body = [{"text": "a", "buttons": [{"title": "T", "payload": "/greet"}, {"title": "no payload"}]}, {"image": "x"}, 5]
    assert parse_replies(body) == [Reply("a", (Button("T", "/greet"),))]
    assert parse_replies({"not": "a list"}) == []


def test_location_gives_nearby_cards_or_asks_for_a_town():
    rasa = FakeRasa()
    near = asyncio.run(door(rasa, fallback=FakeFacts(near=["🏠 A"])).handle_location("t", 1, 56.95, 24.1))
    assert [r.text for r in near][1:] == ["🏠 A"] and "neglabāju" in near[0].text
    none = asyncio.run(door(rasa, fallback=FakeFacts()).handle_location("t", 1, 56.95, 24.1))
    assert "pilsētas vai novada" in none[0].text and rasa.sent == []


class FakeSignal:
    """A crisis signal that answers what the test says."""

    def __init__(self, answer=NONE):
        self.answer, self.seen = answer, []

    def assess(self, message, vector=None):
        self.seen.append(message)
        return self.answer


def test_the_signal_can_add_the_crisis_block():
    d = door(FakeRasa(), crisis=FakeSignal(Assessment("explicit")))
    assert asyncio.run(d.handle_text("t", 1, "suni atdevu kaimiņam"))[0].text == text("crisis")


def test_distress_gets_one_gentle_line_under_the_answer_once_per_conversation():
    clock = Clock()
    d = door(FakeRasa([Reply("atbilde")]), crisis=FakeSignal(Assessment("distress")), clock=clock)
    first = asyncio.run(d.handle_text("t", 1, "viss ir slikti, neviens mani negaida"))
    assert [r.text for r in first] == ["atbilde", text("distress_line")]
    assert [r.text for r in asyncio.run(d.handle_text("t", 1, "nav spēka"))] == ["atbilde"]
    clock.now += 13 * 3600
    assert asyncio.run(d.handle_text("t", 1, "nav spēka"))[-1].text == text("distress_line")


class BrokenStore:
    """A database that is locked or down."""

    def hold(self, *a):
        raise RuntimeError("database is locked")

    describe = forget = hold


def test_database_down_degrades_without_crashing():
    d = door(FakeRasa(fail=True), BrokenStore(), fallback=FakeFacts("shelter"))
    replies = asyncio.run(d.handle_text("t", 1, "kur pārnakšņot"))
    assert replies[0].text == text("unavailable") and replies[1].text == text("fallback_shelter")
    assert "mēģiniet vēlreiz" in asyncio.run(d.handle_command("t", 1, "/dzest"))[0].text
    assert "Šobrīd nevaru" in asyncio.run(d.handle_command("t", 1, "/mani_dati"))[0].text
    ok = door(FakeRasa(), BrokenStore())  # and with Rasa up, the conversation simply goes on
    assert asyncio.run(ok.handle_text("t", 1, "sveiki"))[0].text == "ok"


class FakeTriage:
    """Volunteers reachable or not; nobody holds the conversation."""

    def __init__(self, reachable):
        self._reachable = reachable

    async def reachable(self):
        return self._reachable

    async def intercept(self, sender, message, lang, crisis):
        return None


@pytest.mark.parametrize("reachable", [True, False])
def test_crisis_block_offers_a_person_only_when_volunteers_can_be_reached(reachable):
    replies = asyncio.run(door(FakeRasa(), triage=FakeTriage(reachable)).handle_text("t", 1, "gribu nomirt"))
    assert [b.payload for b in replies[0].buttons] == (["#h:crisis"] if reachable else [])
