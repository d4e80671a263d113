"""The front door with a fake Rasa: sanitising, crisis first, outages, buttons only as issued."""

import asyncio
import datetime as dt

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.commands import COMMANDS, help_text, lookup
from bot.privacy import my_data
from bot.frontdoor import FrontDoor
from bot.intake import clean
from bot.pseudonym import sender_id
from bot.rasa_client import Button, Reply, parse_replies
from bot.settings import Settings
from bot.texts import text
from crisis import embedding
from crisis.signal import Assessment
from harness.wording import appears
from knowledge.hours import RIGA
from lvnorm.requester import PERSON, address
from personal.registry import Retention
from personal.store import PersonalSummary
from tests.fakes import Clock, FakeHandoff, FakePeople, FakeFacts, FakeRasa, FakeSignal, Later


NOON = dt.datetime(2026, 12, 7, 12, 0, tzinfo=RIGA)


def door(rasa, people=None, fallback=None, rate=20, crisis=None, handoff=None, clock=None, schedule=None,
         retention=Retention(), reminders=None, now=NOON, vector_to_rasa=True):
    settings = Settings(
        rasa_urls=("http://127.0.0.1:1",), rasa_timeout=1.0, telegram_token=None, telegram_base_url=None,
        sender_secret=b"k" * 32, tracker_db_url=None, knowledge_db_url=None, max_text_chars=1000, rate_per_minute=rate,
        retention=retention, sentence_vector_to_rasa=vector_to_rasa,
    )
    return FrontDoor(settings, rasa, people, fallback, crisis, handoff, schedule=schedule or Later(),
                     clock=clock or Clock(), reminders=reminders, now=lambda: now)


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
    assert len(rasa.sent[0][1]) == 1000 and text("too_long", "lv") in replies[0].text


def test_a_message_without_words_is_asked_for_words_not_guessed():
    # "???" got "Did you mean: Document plan / Clothes, shower / ..." from Rasa's fallback (the terminal chat, 2026-12-07)
    rasa = FakeRasa()
    for message in ("???", "...", "👍", "?!"):
        assert [r.text for r in asyncio.run(door(rasa).handle_text("t", 1, message))] == [text("not_text", "lv")]
    assert rasa.sent == []
    asyncio.run(door(rasa).handle_text("t", 1, "1"))  # a number is an answer (the plan's questions): Rasa reads it
    assert [m for _, m in rasa.sent] == ["1"]


def test_crisis_numbers_come_first_then_rasa_answer_and_rasa_is_told():
    rasa = FakeRasa([Reply("Es esmu šeit.")])
    replies = asyncio.run(door(rasa).handle_text("t", 1, "es negribu vairs dzīvot"))
    assert replies[0].text == text("crisis", "lv")
    assert [r.text for r in replies[1:]] == ["Es esmu šeit."]
    assert {k: rasa.metadata[0][k] for k in ("language", "crisis")} == {"language": "lv", "crisis": "explicit"}


def test_ordinary_messages_get_no_numbers_and_rasa_is_told_so():
    rasa = FakeRasa()
    for message in ("Sveiki, es esmu Jānis", "uzraksti dzejoli par mīlestību", "man vajag dušu un tīras drēbes",
                    "zāles beidzās, recepte palika cietumā", "nevaru gulēt, galva vēl kamerā"):
        replies = asyncio.run(door(rasa).handle_text("t", 1, message))
        assert [r.text for r in replies] == ["ok"], message
    assert {m["crisis"] for m in rasa.metadata} == {None}


def test_the_crisis_signals_sentence_vector_goes_to_rasa_with_the_message():
    vector = np.linspace(-1, 1, embedding.DIMENSIONS, dtype=np.float32)
    rasa = FakeRasa()
    asyncio.run(door(rasa, crisis=FakeSignal(Assessment("none", vector=vector))).handle_text("t", 1, "kur paēst"))
    assert np.array_equal(embedding.unpack(rasa.metadata[0][embedding.METADATA_KEY], "kur paēst"), vector)
    asyncio.run(door(rasa, crisis=FakeSignal(Assessment("none"))).handle_text("t", 1, "kur paēst"))
    assert embedding.METADATA_KEY not in rasa.metadata[1]  # none computed (no model): Rasa encodes the text
    signal = FakeSignal(Assessment("none", vector=vector))
    asyncio.run(door(rasa, crisis=signal, vector_to_rasa=False).handle_text("t", 1, "kur paēst"))
    assert embedding.METADATA_KEY not in rasa.metadata[2]  # RASA_SENTENCE_VECTOR=off


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


def test_a_button_sent_before_a_rename_still_works():
    """The handoff's intent and category were renamed (2026-12-06); buttons already in chats carry the old names."""
    rasa, offered = FakeRasa(), []

    class Handoff(FakeHandoff):
        async def on_payload(self, sender, chat_ref, channel, payload, lang):
            offered.append(payload)
            return []

    d = door(rasa, handoff=Handoff(True))
    asyncio.run(d.handle_button("t", 1, d.button_token(d.sender("t", 1), "/request_human")))
    asyncio.run(d.handle_button("t", 1, d.button_token(d.sender("t", 1), "#h:human")))
    assert rasa.sent[0][1] == "/request_handoff" and offered == ["#h:asked"]


def test_unknown_command_is_answered_not_forwarded():
    rasa = FakeRasa()
    replies = asyncio.run(door(rasa).handle_command("t", 1, "/restart"))
    assert rasa.sent == [] and replies[0].text == text("unknown_command")


def test_rasa_down_keeps_the_message_and_gives_knowledge_base_facts():
    people = FakePeople()
    d = door(FakeRasa(fail=True), people, fallback=FakeFacts("shelter", ["🏠 Daugavpils Nakts patversme"]))
    replies = asyncio.run(d.handle_text("t", 1, "kur pārnakšņot Daugavpilī"))
    assert [r.text for r in replies] == [text("unavailable"), text("held").format(held_days=7), "🏠 Daugavpils Nakts patversme"]
    assert people.held == [(d.sender("t", 1), "kur pārnakšņot Daugavpilī", "rasa_unavailable")]


def test_a_held_message_is_offered_back_once_when_rasa_answers_again():
    people, rasa = FakePeople(), FakeRasa(fail=True)
    d = door(rasa, people)
    asyncio.run(d.handle_text("t", 1, "kur pārnakšņot Daugavpilī"))
    rasa.fail = False
    replies = asyncio.run(d.handle_text("t", 1, "sveiki"))
    assert replies[0].text == "ok" and replies[1].text == text("held_offer").format(words="kur pārnakšņot Daugavpilī")
    assert people.held == []  # taken: offered once, kept no longer
    token = d.button_token(d.sender("t", 1), replies[1].buttons[0].payload)
    asyncio.run(d.handle_button("t", 1, token))
    assert rasa.sent[-1][1] == "kur pārnakšņot Daugavpilī"
    assert [r.text for r in asyncio.run(d.handle_text("t", 1, "paldies"))] == ["ok"]


def test_rasa_down_static_shelter_advice_without_place():
    d = door(FakeRasa(fail=True), FakePeople(), fallback=FakeFacts("shelter"))
    replies = asyncio.run(d.handle_text("t", 1, "kur pārnakšņot"))
    assert replies[-1].text == text("fallback_shelter")


def test_rate_limit_is_polite_once_and_crisis_still_answered():
    rasa = FakeRasa()
    d = door(rasa, rate=9)  # bursts of 3
    replies = [asyncio.run(d.handle_text("t", 1, f"ziņa {i}")) for i in range(6)]
    assert len(rasa.sent) == 3
    assert replies[3][0].text == text("slow_down") and replies[4] == [] and replies[5] == []
    crisis = asyncio.run(d.handle_text("t", 1, "negribu vairs dzīvot"))
    assert crisis[0].text == text("crisis")


def test_forget_walks_the_registry_and_schedules_the_second_pass():
    people, later, rasa = FakePeople(), Later(), FakeRasa()
    d = door(rasa, people, rate=3, schedule=later)
    token = d.button_token(d.sender("t", 1), "/greet")
    for _ in range(5):
        asyncio.run(d.handle_text("t", 1, "x"))
    replies = asyncio.run(d.handle_command("t", 1, "/dzest"))
    assert replies[0].text == text("forgotten") and people.forgotten == [d.sender("t", 1)]
    assert asyncio.run(d.handle_button("t", 1, token))[0].text == text("button_expired")
    sent = len(rasa.sent)
    asyncio.run(d.handle_text("t", 1, "y"))  # the rate-limit state went too
    assert len(rasa.sent) == sent + 1
    [(delay, job)] = later.jobs
    assert delay == d._settings.forget_recheck.total_seconds()
    asyncio.run(job())
    assert people.rechecked == [d.sender("t", 1)]


def test_a_failed_second_pass_is_tried_again_a_bounded_number_of_times():
    people, later = FakePeople(), Later()
    d = door(FakeRasa(), people, schedule=later)
    people.failing_rechecks = 5
    asyncio.run(d.forget_again("s"))
    while later.jobs:
        delay, job = later.jobs.pop()
        assert delay == d._settings.forget_recheck.total_seconds()
        asyncio.run(job())
    assert people.rechecked == ["s"] * 3  # then the retention job's own round, if a tombstone is left
    people.failing_rechecks = 1
    asyncio.run(d.forget_again("t"))
    asyncio.run(later.jobs.pop()[1]())
    assert people.rechecked[3:] == ["t", "t"] and later.jobs == []


def test_a_persons_second_pass_runs_once_at_a_time():
    """The retention round and the scheduled pass fall due together: the second one is skipped while the first runs."""
    import threading

    people, started, release = FakePeople(), threading.Event(), threading.Event()
    original = people.forget_again

    def slow(sender):
        started.set()
        release.wait(5)
        return original(sender)

    people.forget_again = slow
    d = door(FakeRasa(), people, schedule=Later())

    async def both():
        first = asyncio.create_task(d.forget_again("s"))
        await asyncio.to_thread(started.wait, 5)  # the first pass is in its worker thread
        await d.forget_again("s")  # skipped at once
        release.set()
        await first
        await d.forget_again("s")  # and runs again once the first has ended

    asyncio.run(both())
    assert people.rechecked == ["s", "s"]


def test_a_retention_round_whose_scrub_a_reader_blocks_still_runs_the_second_passes_due():
    from bot.compose import retention_round
    from knowledge.db import ScrubIncomplete
    from personal.registry import Store

    def blocked():
        raise ScrubIncomplete("a reader kept the log")

    people = FakePeople()
    people.registry.register(Store("old rows", "knowledge", (), "a day", purge=lambda now, dry_run: 2))
    people.registry.scrubs.append(blocked)
    people.due_rechecks = lambda now: ["s"]
    d = door(FakeRasa(), people, schedule=Later())
    assert asyncio.run(retention_round(d)) == {}
    assert people.rechecked == ["s"]


def test_forget_waits_for_the_turn_under_way():
    """/dzest takes the person's lock: it runs after the message Rasa is answering, never in the middle of it."""
    order = []

    class SlowRasa(FakeRasa):
        async def send(self, sender, message, metadata=None):
            order.append("rasa started")
            await asyncio.sleep(0.05)  # Rasa is mid-turn
            order.append("rasa answered")
            return [Reply("ok")]

    class Recording(FakePeople):
        def forget(self, sender):
            order.append("forgotten")
            return super().forget(sender)

    d = door(SlowRasa(), Recording())

    async def both():
        await asyncio.gather(d.handle_text("t", 1, "kur pārnakšņot"), d.handle_command("t", 1, "/dzest"))

    asyncio.run(both())
    assert order == ["rasa started", "rasa answered", "forgotten"]


def test_my_data_shows_counts_not_texts():
    replies = asyncio.run(door(FakeRasa(), FakePeople()).handle_command("t", 1, "/mani_dati"))
    assert appears(text("my_data"), replies[0].text, messages=3)
    assert f"{text('slot_municipality')}: Daugavpils" in replies[0].text
    assert f"{text('slot_declared_municipality')}: {text('no')}" in replies[0].text  # "none", in words


def test_my_data_names_a_relation_and_nothing_for_the_person_themselves():
    def shown(requester):
        held = PersonalSummary(1, {"municipality": "Ogre", "requester": requester}, 0)
        return my_data(held, Retention(), "lv")
    assert f"{text('slot_requester')}: {address('son', 'lv')}" in shown("son")
    assert text("slot_requester") not in shown(PERSON) and f"{text('slot_municipality')}: Ogre" in shown(PERSON)


def test_command_table_drives_lookup_and_help():
    for c in COMMANDS:
        assert lookup(f"/{c.name}") is c and all(lookup(f"/{a}@celvedis_bot") is c for a in c.aliases)
        assert f"/{c.name}" in help_text("lv") and c.title("ru") in help_text("ru")
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
    assert [r.text for r in near][1:] == ["🏠 A"] and text("location_intro") in near[0].text
    none = asyncio.run(door(rasa, fallback=FakeFacts()).handle_location("t", 1, 56.95, 24.1))
    assert text("location_none") in none[0].text and rasa.sent == []
    night = asyncio.run(door(rasa, fallback=FakeFacts(near=["🏠 A"]), now=NOON.replace(hour=23))
                        .handle_location("t", 1, 56.95, 24.1))
    assert night[1].text == "🌙 🏠 A" and night[1].buttons[0].payload == "#r:morning"


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


def test_urgent_puts_112_and_116123_first_and_a_stated_danger_soon_after_gets_the_reminder():
    """The model nearly sure, the patterns silent ('сижу на рельсах и жду поезд'): the numbers before the answer, even
    under a practical topic; a second alarm within ten minutes gets the one-line reminder, never silence."""
    clock = Clock()
    rasa = FakeRasa([Reply("atbilde"), Reply("", survey={"topic": "ask_shelter_tonight", "outcome": "answered"})])
    signal = FakeSignal(Assessment("urgent"))
    d = door(rasa, crisis=signal, clock=clock)
    first = [r.text for r in asyncio.run(d.handle_text("t", 1, "sēžu uz sliedēm, nav kur iet"))]
    assert first == [f"{text('urgent_line')}\n{text('distress_line')}", "atbilde"]
    signal.answer = Assessment("explicit")
    assert [r.text for r in asyncio.run(d.handle_text("t", 1, "negribu dzīvot"))][0] == text("crisis_again")
    assert rasa.metadata[0]["crisis"] is None and rasa.metadata[1]["crisis"] == "explicit"  # Rasa: the block only


def test_no_gentle_line_under_the_answer_to_a_practical_need():
    """'Мой сын вышел вчера, ему негде ночевать' may sound like distress to the model; the answer is the bed, and
    an ordinary message never gets a crisis number. The family's own worries and the fallback keep the line."""
    def turn(survey):
        d = door(FakeRasa([Reply("atbilde"), Reply("", survey=survey)]), crisis=FakeSignal(Assessment("distress")))
        return [r.text for r in asyncio.run(d.handle_text("t", 1, "dēlam nav kur palikt"))]

    assert turn({"topic": "ask_shelter_tonight", "outcome": "answered"}) == ["atbilde"]
    assert turn({"topic": "ask_id_document", "outcome": "no_data"}) == ["atbilde"]
    assert turn({"topic": "ask_family_support", "outcome": "answered"}) == ["atbilde", text("distress_line")]
    assert turn({"topic": "nlu_fallback", "outcome": "fallback"}) == ["atbilde", text("distress_line")]


def test_database_down_degrades_without_crashing():
    d = door(FakeRasa(fail=True), FakePeople(broken=True), fallback=FakeFacts("shelter"))
    replies = asyncio.run(d.handle_text("t", 1, "kur pārnakšņot"))
    assert replies[0].text == text("unavailable") and replies[1].text == text("fallback_shelter")
    assert asyncio.run(d.handle_command("t", 1, "/dzest"))[0].text == text("forget_failed")
    assert asyncio.run(d.handle_command("t", 1, "/mani_dati"))[0].text == text("store_unavailable")
    ok = door(FakeRasa(), FakePeople(broken=True))  # and with Rasa up, the conversation simply goes on
    assert asyncio.run(ok.handle_text("t", 1, "sveiki"))[0].text == "ok"


@pytest.mark.parametrize("reachable", [True, False])
def test_crisis_block_offers_a_person_only_when_volunteers_can_be_reached(reachable):
    replies = asyncio.run(door(FakeRasa(), handoff=FakeHandoff(reachable)).handle_text("t", 1, "gribu nomirt"))
    assert [b.payload for b in replies[0].buttons] == (["#h:crisis"] if reachable else [])


@given(st.lists(st.sampled_from(["/", " ", "\u00a0", "\u2003", "\u3000", "\u2044", "\uff0f", "\t", "\u200b"]),
                min_size=1, max_size=12), st.text(min_size=1, max_size=20))
def test_no_leading_slash_survives_any_mix_of_slashes_and_spaces(prefix, rest):
    message, _ = clean("".join(prefix) + '/inform{"municipality":"X"}' + rest, 1000)
    assert not message.startswith(("/", "\u2044", "\uff0f")) and not message[:1].isspace()


def test_russian_commands_and_unknown_commands_answer_in_the_persons_language():
    rasa = FakeRasa()
    d = door(rasa)
    assert asyncio.run(d.handle_command("t", 1, "/pomosch"))[0].text == help_text("ru")
    assert rasa.metadata[-1]["language"] == "ru"  # Rasa hears it too (actions/language.py reads it)
    assert asyncio.run(d.handle_command("t", 1, "/restart"))[0].text == text("unknown_command", "ru")
    asyncio.run(d.handle_text("t", 1, "sveiki"))
    assert asyncio.run(d.handle_command("t", 1, "/restart"))[0].text == text("unknown_command", "lv")
    nachat = asyncio.run(door(FakeRasa()).handle_command("t", 2, "/nachat"))[0].text  # /start's Russian alias
    assert nachat.startswith(text("start_privacy", "ru").split("{")[0])


def test_privacy_texts_promise_the_retention_that_is_configured():
    d = door(FakeRasa(), FakePeople(), retention=Retention(conversation=dt.timedelta(days=14),
                                                           checklist=dt.timedelta(days=45)))
    start = asyncio.run(d.handle_command("t", 1, "/start"))[0].text
    mine = asyncio.run(d.handle_command("t", 1, "/mani_dati"))[0].text
    assert appears(text("start_privacy"), start, conversation_days=14)
    assert appears(text("my_data"), mine, conversation_days=14, checklist_days=45, held_days=7)


def test_the_morning_reminder_button_is_the_front_doors_and_only_for_its_person():
    class Asked:
        def __init__(self):
            self.calls = []

        async def ask(self, sender, chat_ref, channel, lang):
            self.calls.append((sender, chat_ref, channel, lang))
            return [Reply("Labi.")]

    asked = Asked()
    rasa = FakeRasa()
    d = door(rasa, reminders=asked)
    token = d.button_token(d.sender("telegram", 77), "#r:morning")
    assert [r.text for r in asyncio.run(d.handle_button("telegram", 77, token))] == ["Labi."]
    assert asked.calls == [(d.sender("telegram", 77), "77", "telegram", "lv")] and rasa.sent == []
    other = asyncio.run(d.handle_button("telegram", 78, token))  # someone else's button
    assert other[0].text == text("button_expired", "lv") and len(asked.calls) == 1


class _Checkins:
    """Records the check-in buttons the front door passes on."""

    def __init__(self):
        self.payloads = []

    async def on_payload(self, sender, chat_ref, channel, payload, lang):
        self.payloads.append(payload)
        return [Reply("ok")]

    async def waiting(self, sender):
        return False


def test_a_typed_yes_or_no_answers_the_check_in_offer_under_the_last_answer():
    # "ja" typed under the offer got "Labi. Ar ko varu palīdzēt?" and no check-in; others typed "jā, var rīt
    # jautāt", "da, mozhno sprosit zavtra", "davai rit pajauta" (the terminal chat, 2026-12-07)
    from bot.checkins import Checkins

    offer = Reply("Vai drīkstu rīt pajautāt, vai izdevās?", (Button("Jā", "#c:ask:svc"), Button("Nē", "#c:no")))
    for typed, expected in (("jā, var rīt jautāt", "#c:ask:svc"), ("da, mozhno sprosit zavtra", "#c:ask:svc"),
                            ("Nē, paldies", "#c:no"), ("ja vyshel vchera", None), ("kur paēst?", None)):
        rasa, checkins = FakeRasa([Reply("🏠 Patversme"), offer]), _Checkins()
        d = door(rasa)
        d.checkins = checkins
        asyncio.run(d.handle_text("telegram", 1, "kur gulēt"))
        asyncio.run(d.handle_text("telegram", 1, typed))
        assert checkins.payloads == ([expected] if expected else []), typed
        assert len(rasa.sent) == (1 if expected else 2), typed
    rasa, checkins = FakeRasa([Reply("🏠 Patversme")]), _Checkins()  # no offer under the answer: a yes is Rasa's
    d = door(rasa)
    d.checkins = checkins
    asyncio.run(d.handle_text("telegram", 1, "kur gulēt"))
    asyncio.run(d.handle_text("telegram", 1, "jā"))
    assert checkins.payloads == [] and len(rasa.sent) == 2
    for between in ("time", "button", "command"):  # ten minutes on, or a button or command between: Rasa's again
        rasa, checkins, clock = FakeRasa([Reply("🏠 Patversme"), offer]), _Checkins(), Clock()
        d = door(rasa, clock=clock)
        d.checkins = checkins
        asyncio.run(d.handle_text("telegram", 1, "kur gulēt"))
        if between == "time":
            clock.now += d.OFFER_SECONDS
        elif between == "button":
            asyncio.run(d.handle_button("telegram", 1, "not-a-token"))
        else:
            asyncio.run(d.handle_command("telegram", 1, "/mani_dati"))
        asyncio.run(d.handle_text("telegram", 1, "jā"))
        assert checkins.payloads == [] and len(rasa.sent) == 2, between
    assert Checkins.typed_answer("davai rit pajauta") is True and Checkins.typed_answer("jā nē") is None
