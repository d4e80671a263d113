"""Morning reminders a person asked for: one at most per person, sent once at the morning hour (Riga time), deleted
when sent, by /dzest, or a day after it was due.

Sending is claimed first (a conditional update: of several front doors exactly one claims it), then the row is
deleted once the message went out. A process killed between the two leaves the claim; after STALE_CLAIM it is
claimed again, so a reminder is never lost (in that one window it could be sent twice: at-least-once, by choice)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import and_, delete, or_, select, update
from sqlalchemy.exc import IntegrityError

from knowledge.db import affected, session_scope
from knowledge.hours import RIGA, is_working_day
from personal import rows, tombstone
from personal.crypto import ChatRefCipher
from personal.models import Reminder

KEEP_AFTER_DUE = dt.timedelta(days=1)  # a reminder that could not be delivered by then is dropped
SEND_WITHIN = dt.timedelta(hours=4)  # "Labrīt" after an outage, but not in the afternoon: later ones are not sent
STALE_CLAIM = dt.timedelta(minutes=5)
RETRY_AFTER = dt.timedelta(minutes=10)  # a delivery that failed is tried again this much later


@dataclass(frozen=True)
class Due:
    """A reminder to send now."""

    id: int
    sender: str
    channel: str
    chat_ref: str | None  # None when it was sealed with another key: it cannot be delivered
    language: str


def next_morning(now: dt.datetime, at: dt.time) -> dt.datetime:
    """The next working day's `at` o'clock in Riga after `now` (tomorrow's, asked in the evening; today's, asked after
    midnight; Monday's, asked on Friday night: the reminder sends the person to offices that are open), in UTC."""
    local = now.astimezone(RIGA)
    day = local.date()
    while True:
        due = dt.datetime.combine(day, at, tzinfo=RIGA)
        if due > local and is_working_day(day):
            return due.astimezone(dt.timezone.utc)
        day += dt.timedelta(days=1)


class ReminderStore:
    """The reminder table, with chat references sealed."""

    def __init__(self, url: str | None, cipher: ChatRefCipher):
        self._url = url
        self._cipher = cipher

    def ask(self, sender: str, channel: str, chat_ref: str, language: str, due_at: dt.datetime,
            now: dt.datetime | None = None) -> bool:
        """Set (or move) the person's one reminder; nothing for a person who has just asked to be forgotten."""
        if tombstone.is_buried(self._url, sender):
            return False
        now = now or dt.datetime.now(dt.timezone.utc)
        for _ in range(2):  # a double tap: the second insert meets the first row and updates it instead
            try:
                with session_scope(self._url) as s:
                    row = s.scalar(select(Reminder).where(Reminder.sender == sender))
                    if row is None:
                        s.add(Reminder(sender=sender, channel=channel, chat_ref=self._cipher.seal(chat_ref),
                                       language=language, due_at=due_at, status="pending", created_at=now))
                    else:
                        row.channel, row.chat_ref, row.language = channel, self._cipher.seal(chat_ref), language
                        row.due_at, row.status, row.claimed_at = due_at, "pending", None
                return True
            except IntegrityError:
                continue
        return False

    def cancel(self, sender: str) -> bool:
        """The person no longer wants it."""
        return forget(self._url, sender) > 0

    def claim_due(self, now: dt.datetime, limit: int = 50) -> list[Due]:
        """Reminders due now (and claims a crash left behind), each claimed by exactly one caller."""
        stale = now - STALE_CLAIM
        waited = or_(Reminder.claimed_at.is_(None), Reminder.claimed_at < now - RETRY_AFTER)  # since a failed try
        claimable = and_(Reminder.due_at <= now, Reminder.due_at > now - SEND_WITHIN,
                         or_(and_(Reminder.status == "pending", waited),
                             and_(Reminder.status == "sending", Reminder.claimed_at < stale)))
        out: list[Due] = []
        with session_scope(self._url) as s:
            candidates = s.execute(select(Reminder.id).where(claimable).order_by(Reminder.due_at).limit(limit)).all()
            for (rid,) in candidates:
                won = affected(s.execute(update(Reminder).where(Reminder.id == rid, claimable)
                                .values(status="sending", claimed_at=now)))
                if won:
                    row = s.execute(select(Reminder).where(Reminder.id == rid)).scalar_one()
                    out.append(Due(row.id, row.sender, row.channel, self._cipher.open(row.chat_ref), row.language))
        return out

    def done(self, reminder_id: int) -> None:
        """Sent: nothing of it is kept (unless the person asked again meanwhile: that one stays pending)."""
        with session_scope(self._url) as s:
            s.execute(delete(Reminder).where(Reminder.id == reminder_id, Reminder.status == "sending"))

    def retry(self, reminder_id: int, now: dt.datetime) -> None:
        """Not delivered this time: tried again RETRY_AFTER later, while it is still morning (SEND_WITHIN)."""
        with session_scope(self._url) as s:
            s.execute(update(Reminder).where(Reminder.id == reminder_id, Reminder.status == "sending")
                      .values(status="pending", claimed_at=now))  # claimed_at: when it was last tried


def count(url: str | None, sender: str) -> int:
    """The person's reminders (0 or 1)."""
    return rows.count(url, Reminder, Reminder.sender == sender)


def forget(url: str | None, sender: str) -> int:
    """Delete the person's reminder."""
    return rows.remove(url, Reminder, Reminder.sender == sender)


def purge(url: str | None, now: dt.datetime, dry_run: bool = False) -> int:
    """Delete (or count) reminders a day past their time: they could not be delivered."""
    return rows.remove(url, Reminder, Reminder.due_at < now - KEEP_AFTER_DUE, dry_run)
