"""Morning reminders a person asked for: one at most per person, sent once at the morning hour (Riga time), deleted
when sent, by /dzest, or a day after it was due.

Sending is claimed first (a conditional update: of several front doors exactly one claims it), then the row is
deleted once the message went out. A process killed between the two leaves the claim; after STALE_CLAIM it is
claimed again, so a reminder is never lost (in that one window it could be sent twice: at-least-once, by choice)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import and_, delete, func, or_, select, update

from knowledge.db import session_scope
from knowledge.hours import RIGA
from personal import tombstone
from personal.crypto import ChatRefCipher
from personal.models import Reminder

KEEP_AFTER_DUE = dt.timedelta(days=1)  # a reminder that could not be delivered by then is dropped
STALE_CLAIM = dt.timedelta(minutes=5)


@dataclass(frozen=True)
class Due:
    """A reminder to send now."""

    id: int
    sender: str
    channel: str
    chat_ref: str | None  # None when it was sealed with another key: it cannot be delivered
    language: str


def next_morning(now: dt.datetime, at: dt.time) -> dt.datetime:
    """The next moment it is `at` o'clock in Riga after `now` (tomorrow's, asked in the evening; today's, asked
    after midnight), in UTC."""
    local = now.astimezone(RIGA)
    due = dt.datetime.combine(local.date(), at, tzinfo=RIGA)
    if due <= local:
        due = dt.datetime.combine(local.date() + dt.timedelta(days=1), at, tzinfo=RIGA)
    return due.astimezone(dt.timezone.utc)


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
        with session_scope(self._url) as s:
            row = s.scalar(select(Reminder).where(Reminder.sender == sender))
            if row is None:
                s.add(Reminder(sender=sender, channel=channel, chat_ref=self._cipher.seal(chat_ref), language=language,
                               due_at=due_at, status="pending", created_at=now))
            else:
                row.channel, row.chat_ref, row.language = channel, self._cipher.seal(chat_ref), language
                row.due_at, row.status, row.claimed_at = due_at, "pending", None
        return True

    def claim_due(self, now: dt.datetime, limit: int = 50) -> list[Due]:
        """Reminders due now (and claims a crash left behind), each claimed by exactly one caller."""
        stale = now - STALE_CLAIM
        claimable = and_(Reminder.due_at <= now, or_(Reminder.status == "pending",
                                                     and_(Reminder.status == "sending", Reminder.claimed_at < stale)))
        out: list[Due] = []
        with session_scope(self._url) as s:
            candidates = s.execute(select(Reminder.id).where(claimable).order_by(Reminder.due_at).limit(limit)).all()
            for (rid,) in candidates:
                won = s.execute(update(Reminder).where(Reminder.id == rid, claimable)
                                .values(status="sending", claimed_at=now)).rowcount
                if won:
                    row = s.get(Reminder, rid)
                    out.append(Due(row.id, row.sender, row.channel, self._cipher.open(row.chat_ref), row.language))
        return out

    def done(self, reminder_id: int) -> None:
        """Sent: nothing of it is kept."""
        with session_scope(self._url) as s:
            s.execute(delete(Reminder).where(Reminder.id == reminder_id))

    def retry(self, reminder_id: int) -> None:
        """Not delivered this time: the next round tries again (until KEEP_AFTER_DUE)."""
        with session_scope(self._url) as s:
            s.execute(update(Reminder).where(Reminder.id == reminder_id).values(status="pending", claimed_at=None))


def count(url: str | None, sender: str) -> int:
    """The person's reminders (0 or 1)."""
    with session_scope(url) as s:
        return s.scalar(select(func.count()).select_from(Reminder).where(Reminder.sender == sender)) or 0


def forget(url: str | None, sender: str) -> int:
    """Delete the person's reminder."""
    with session_scope(url) as s:
        return s.execute(delete(Reminder).where(Reminder.sender == sender)).rowcount


def purge(url: str | None, now: dt.datetime, dry_run: bool = False) -> int:
    """Delete (or count) reminders a day past their time: they could not be delivered."""
    expired = Reminder.due_at < now - KEEP_AFTER_DUE
    with session_scope(url) as s:
        if dry_run:
            return s.scalar(select(func.count()).select_from(Reminder).where(expired)) or 0
        return s.execute(delete(Reminder).where(expired)).rowcount
