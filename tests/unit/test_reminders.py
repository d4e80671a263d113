"""The morning reminder: when it is due, who may ask for it, and a round that sends what is due exactly once."""

import asyncio
import datetime as dt

from bot.reminders import Reminders
from bot.texts import text
from knowledge.hours import RIGA
from personal.reminders import next_morning
from tests.fakes import FakeReminderStore, FakeRepository, Messenger, service

UTC = dt.timezone.utc
EIGHT = dt.time(8, 0)


def riga(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=RIGA)


def test_asked_in_the_evening_it_is_tomorrow_morning_asked_after_midnight_it_is_this_morning():
    assert next_morning(riga(2026, 12, 7, 23, 0), EIGHT) == riga(2026, 12, 8, 8, 0)
    assert next_morning(riga(2026, 12, 8, 2, 30), EIGHT) == riga(2026, 12, 8, 8, 0)
    assert next_morning(riga(2026, 12, 8, 8, 0), EIGHT) == riga(2026, 12, 9, 8, 0)  # at eight: tomorrow's
    # Friday night: Monday's morning (the offices it sends the person to are closed at the weekend).
    assert next_morning(riga(2026, 12, 4, 23, 0), EIGHT) == riga(2026, 12, 7, 8, 0)
    assert next_morning(riga(2026, 12, 23, 22, 0), EIGHT) == riga(2026, 12, 28, 8, 0)  # past Christmas
    # Summer time: still eight in Riga (05:00 UTC, not 06:00).
    assert next_morning(riga(2026, 7, 1, 22, 0), EIGHT).astimezone(UTC).hour == 5


def reminders(store, messenger, now, place=None):
    repo = FakeRepository([service("social_service", "Madonas sociālais dienests", "Madonas novads",
                                   phones=("64860090",))])
    return Reminders(store, lambda: repo, lambda sender: None, lambda sender: place, EIGHT, messenger, clock=lambda: now)


def test_asking_says_when_and_the_round_sends_once_at_eight():
    store, messenger = FakeReminderStore(), Messenger()
    evening = riga(2026, 12, 7, 23, 0).astimezone(UTC)
    r = reminders(store, messenger, evening)
    reply = asyncio.run(r.ask("p1", "4242", "telegram", "lv"))
    assert reply[0].text.startswith(text("reminder_set").format(time="08:00"))
    assert reply[0].buttons[0].payload == "#r:cancel"  # cancelling it deletes nothing else
    assert asyncio.run(r.round(riga(2026, 12, 8, 7, 59).astimezone(UTC))) == 0 and messenger.sent == []
    assert asyncio.run(r.round(riga(2026, 12, 8, 8, 0).astimezone(UTC))) == 1
    assert messenger.to("4242") == [text("morning_unknown")]  # nothing known about the person
    assert store.done_ids == [1]
    assert asyncio.run(r.round(riga(2026, 12, 8, 8, 1).astimezone(UTC))) == 0  # never twice


def test_not_delivered_is_tried_again_and_the_terminal_cannot_be_woken():
    store, messenger = FakeReminderStore(), Messenger(ok=False)
    r = reminders(store, messenger, riga(2026, 12, 7, 23, 0).astimezone(UTC))
    asyncio.run(r.ask("p1", "4242", "telegram", "ru"))
    assert asyncio.run(r.round(riga(2026, 12, 8, 8, 0).astimezone(UTC))) == 0 and store.retried == [1]
    assert asyncio.run(r.ask("p2", "x", "terminal", "lv"))[0].text == text("reminder_telegram_only")


def test_the_morning_message_is_made_from_what_the_person_has_then():
    store, messenger = FakeReminderStore(), Messenger()
    r = reminders(store, messenger, riga(2026, 12, 7, 23, 0).astimezone(UTC), place="Madonas novads")
    replies = r.morning("p1", "lv")
    assert replies[0].text.startswith(text("morning_place").format(municipality="Madonas novads"))
    assert "64860090" in replies[1].text  # the social service's card, with its hours and phone
