"""The survey's check-ins and counts on SQLite and a real PostgreSQL: a check-in is asked once at its hour, the
answer is counted without a sender, "full" twice in a week sends the listing to /labojumi once, a refusal is counted
with its reason, "stop" and /dzest end it — and the counts keep nothing that names a person."""

import asyncio
import datetime as dt

from sqlalchemy import create_engine, inspect
from sqlalchemy import text as sql

from bot.checkins import Checkins
from bot.compose import repository
from bot.texts import text
from cards.payloads import CHECKIN_ANSWER, CHECKIN_ASK, CHECKIN_REASON, CHECKIN_STOP
from harness.wording import appears
from knowledge.hours import RIGA
from personal import checkins as checkin_rows
from personal.checkins import CheckinStore, next_day
from personal.crypto import ChatRefCipher
from personal.handoff import HandoffStore
from survey.events import Event, EventLog
from tests.integration.test_knowledge_db import db_url  # noqa: F401  (the SQLite + PostgreSQL fixture)
from tests.fakes import Messenger
from tests.integration.test_personal import PERSON_COLUMNS

SHELTER = "riga-pins-naktspatversme"
OFFICE = "daugavpils-socialais-dienests"
EVENING = dt.datetime(2026, 12, 7, 21, 0, tzinfo=RIGA)  # a Monday evening
NEXT_MORNING = dt.datetime(2026, 12, 8, 10, 0, 30, tzinfo=RIGA)


def build(url, clock, messenger=None):
    handoffs = HandoffStore(url, ChatRefCipher(b"k" * 32))
    now = [clock]
    door = Checkins(CheckinStore(url, ChatRefCipher(b"k" * 32)), EventLog(url), lambda: repository(url),
                    lambda sender: "relative", handoffs.report_listing, dt.time(10, 0), messenger or Messenger(),
                    clock=lambda: now[0])
    return door, handoffs, now


def events(url, where=""):
    with create_engine(url).connect() as c:
        return [tuple(r) for r in c.execute(sql(
            f"SELECT topic, outcome, municipality, reason, requester FROM survey_event {where} ORDER BY id"))]


def reset(url):
    with create_engine(url).begin() as c:
        for table in ("survey_event", "service_outcome", "checkin"):
            c.execute(sql(f"DELETE FROM {table}"))
        c.execute(sql("DELETE FROM handoff_request WHERE sender LIKE 'listing:%'"))


def test_the_counts_hold_nothing_that_names_a_person(db_url):  # noqa: F811
    columns = {c["name"] for t in ("survey_event", "service_outcome")
               for c in inspect(create_engine(db_url)).get_columns(t)}
    assert not columns & PERSON_COLUMNS and not {"text", "created_at", "at", "day_at"} & columns
    assert "month" in columns and "day" in columns  # a month for the counts; a day only for "twice in a week"


def test_a_check_in_is_asked_once_at_its_hour_and_its_answer_counted(db_url):  # noqa: F811
    reset(db_url)
    CHAT = "5017302946"  # ten digits: a short id could turn up in a ciphertext by chance
    messenger = Messenger()
    door, _, now = build(db_url, EVENING.astimezone(dt.timezone.utc), messenger)
    agreed = asyncio.run(door.on_payload("p1", CHAT, "telegram", CHECKIN_ASK + SHELTER, "lv"))
    assert agreed[0].text.startswith(text("checkin_set").format(time="10:00"))
    assert agreed[0].buttons[0].payload == CHECKIN_STOP
    asyncio.run(door.on_payload("p1", CHAT, "telegram", CHECKIN_ASK + SHELTER, "lv"))  # a second yes moves it
    assert checkin_rows.count(db_url, "p1") == 1  # one per person: never two in a day
    with create_engine(db_url).connect() as c:  # the chat is sealed
        assert CHAT not in c.execute(sql("SELECT chat_ref FROM checkin WHERE sender = 'p1'")).scalar()

    assert asyncio.run(door.round(EVENING.astimezone(dt.timezone.utc))) == 0  # not before its hour
    assert asyncio.run(door.round(NEXT_MORNING.astimezone(dt.timezone.utc))) == 1
    assert asyncio.run(door.round(NEXT_MORNING.astimezone(dt.timezone.utc) + dt.timedelta(minutes=30))) == 0  # once
    (chat, question), = messenger.sent
    assert chat == CHAT and question.text == text("checkin_q_shelter").format(name="Biedrības \"PINS\" naktspatversme")
    assert [b.payload for b in question.buttons] == [CHECKIN_ANSWER + a for a in
                                                     ("yes", "full", "closed", "not_gone", "other")] + [CHECKIN_STOP]

    wrong = asyncio.run(door.on_payload("p1", CHAT, "telegram", CHECKIN_ANSWER + "refused", "lv"))
    assert wrong[0].text == text("button_expired") and checkin_rows.count(db_url, "p1") == 1  # kept
    thanks = asyncio.run(door.on_payload("p1", CHAT, "telegram", CHECKIN_ANSWER + "yes", "lv"))
    assert thanks[0].text == text("checkin_thanks")
    again = asyncio.run(door.on_payload("p1", CHAT, "telegram", CHECKIN_ANSWER + "yes", "lv"))
    assert again[0].text == text("button_expired")  # a second tap counts nothing
    assert events(db_url) == [("shelter", "checkin", "Rīga", "yes", "relative")]
    assert checkin_rows.count(db_url, "p1") == 0  # answered: nothing of it is kept


def test_an_answer_tapped_before_the_question_is_marked_sent_is_counted(db_url):  # noqa: F811
    """The question reaches the phone before the row says `asked`: a quick tap (or a slow database) must not hear
    'this button no longer works'."""
    reset(db_url)
    taps = []

    class QuickTapper(Messenger):
        async def send(self, chat_ref, replies, sender=None):
            delivered = await super().send(chat_ref, replies, sender)
            taps.append(await door.on_payload("p2", chat_ref, "telegram", CHECKIN_ANSWER + "yes", "lv"))
            return delivered

    door, _, _ = build(db_url, EVENING.astimezone(dt.timezone.utc), QuickTapper())
    asyncio.run(door.on_payload("p2", "5017302947", "telegram", CHECKIN_ASK + SHELTER, "lv"))
    assert asyncio.run(door.round(NEXT_MORNING.astimezone(dt.timezone.utc))) == 1
    assert taps[0][0].text == text("checkin_thanks") and checkin_rows.count(db_url, "p2") == 0
    assert events(db_url) == [("shelter", "checkin", "Rīga", "yes", "relative")]


def test_full_twice_in_a_week_sends_the_listing_to_labojumi_once(db_url):  # noqa: F811
    reset(db_url)
    door, handoffs, now = build(db_url, EVENING.astimezone(dt.timezone.utc))
    for person in ("a", "b", "c"):
        asyncio.run(door.on_payload(person, person, "telegram", CHECKIN_ASK + SHELTER, "lv"))
    asyncio.run(door.round(NEXT_MORNING.astimezone(dt.timezone.utc)))
    now[0] = NEXT_MORNING.astimezone(dt.timezone.utc)
    first = asyncio.run(door.on_payload("a", "a", "telegram", CHECKIN_ANSWER + "full", "lv"))
    assert first[0].text == text("checkin_doubt")
    assert _reports(db_url) == 0
    asyncio.run(door.on_payload("b", "b", "telegram", CHECKIN_ANSWER + "closed", "lv"))
    assert _reports(db_url) == 1  # the second doubt in a week
    asyncio.run(door.on_payload("c", "c", "telegram", CHECKIN_ANSWER + "full", "lv"))
    assert _reports(db_url) == 1  # still one open report for that listing
    with create_engine(db_url).connect() as c:
        shown, queue, chat, urgency = c.execute(sql("SELECT shown, queue, chat_ref, urgency FROM handoff_request "
                                                    "WHERE sender LIKE 'listing:%'")).one()
    assert queue == "moderation" and chat is None and "PINS" in str(shown)
    assert urgency == 1  # above a person's report of a wrong listing: people are being sent there


def _reports(url) -> int:
    with create_engine(url).connect() as c:
        return c.execute(sql("SELECT count(*) FROM handoff_request WHERE sender LIKE 'listing:%' "
                             "AND status = 'new'")).scalar()


def test_a_refusal_is_counted_with_the_surveys_reason(db_url):  # noqa: F811
    reset(db_url)
    messenger = Messenger()
    door, _, _ = build(db_url, EVENING.astimezone(dt.timezone.utc), messenger)
    asyncio.run(door.on_payload("r", "7", "telegram", CHECKIN_ASK + OFFICE, "ru"))
    asyncio.run(door.round(NEXT_MORNING.astimezone(dt.timezone.utc)))
    assert appears(text("checkin_q_social_service", "ru"), messenger.sent[0][1].text)  # the language agreed in
    why = asyncio.run(door.on_payload("r", "7", "telegram", CHECKIN_ANSWER + "refused", "lv"))
    assert why[0].text == text("checkin_why") and len(why[0].buttons) == 7
    after = asyncio.run(door.on_payload("r", "7", "telegram", CHECKIN_REASON + "deadline", "lv"))
    assert after[0].buttons[0].payload == "/ask_refusal"  # what can be done, from the knowledge base via Rasa
    assert events(db_url) == [("social_service", "checkin", "Daugavpils", "refused", "relative"),
                              ("social_service", "refused", "Daugavpils", "deadline", "relative")]
    assert checkin_rows.count(db_url, "r") == 0


def test_stop_ends_a_check_in_and_the_counts_outlive_dzest(db_url):  # noqa: F811
    reset(db_url)
    door, _, _ = build(db_url, EVENING.astimezone(dt.timezone.utc))
    asyncio.run(door.on_payload("s", "8", "telegram", CHECKIN_ASK + SHELTER, "lv"))
    assert asyncio.run(door.waiting("s")) and Checkins.is_stop("Stop") and Checkins.is_stop("стоп")
    assert not Checkins.is_stop("stop, kur ir patversme?")
    assert Checkins.is_stop("“stop”") and Checkins.is_stop("Stop!!") and Checkins.is_stop("«Стоп».")  # as the text quotes it
    assert asyncio.run(door.stop("s", "lv"))[0].text == text("checkin_stopped")
    assert not asyncio.run(door.waiting("s"))
    assert asyncio.run(door.round(NEXT_MORNING.astimezone(dt.timezone.utc))) == 0
    EventLog(db_url).record(Event("ask_food", "answered", "Rīga", language="lv"))
    checkin_rows.forget(db_url, "s")  # what /dzest does to this store; the counts have nothing of "s"
    assert events(db_url) == [("ask_food", "answered", "Rīga", None, "person")]


def test_the_check_in_hour_is_tomorrow_or_after_midnight_today():
    assert next_day(dt.datetime(2026, 12, 7, 23, 0, tzinfo=RIGA), dt.time(10, 0)).astimezone(RIGA) == \
        dt.datetime(2026, 12, 8, 10, 0, tzinfo=RIGA)
    assert next_day(dt.datetime(2026, 12, 8, 2, 0, tzinfo=RIGA), dt.time(10, 0)).astimezone(RIGA) == \
        dt.datetime(2026, 12, 8, 10, 0, tzinfo=RIGA)
