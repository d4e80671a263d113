"""Check-ins a person agreed to: asked once, the next day at a sensible hour (Riga time), "did you get a bed?".

One per person at most (a second yes moves it), so never more than one a day. Sending is claimed first, as for the
morning reminders (personal/reminders.py): of several front doors exactly one asks, and a process killed while
asking leaves a claim that is taken again after STALE_CLAIM. Once asked, the row waits for the answer (it holds which
place was asked about, nothing of what was said); it is deleted when answered, by "stop" or /dzest, or KEEP_AFTER_DUE
after its time."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Callable

from sqlalchemy import and_, delete, or_, select, update
from sqlalchemy.exc import IntegrityError

from knowledge.db import affected, session_scope
from knowledge.hours import RIGA
from personal import rows, tombstone
from personal.crypto import ChatRefCipher
from personal.models import Checkin

KEEP_AFTER_DUE = dt.timedelta(days=3)  # an unanswered check-in goes then
SEND_WITHIN = dt.timedelta(hours=8)  # after an outage, not in the night: later ones are not asked
STALE_CLAIM = dt.timedelta(minutes=5)
RETRY_AFTER = dt.timedelta(minutes=10)
NIGHT_ENDS = dt.time(5, 0)  # said between midnight and five: "tomorrow" is the coming day


@dataclass(frozen=True)
class Asked:
    """A check-in: to ask now (from claim_due), or being answered."""

    id: int
    sender: str
    chat_ref: str | None  # None when sealed with another key: it cannot be delivered
    language: str
    requester: str
    topic: str
    service_id: str
    municipality: str | None


def next_day(now: dt.datetime, at: dt.time) -> dt.datetime:
    """Tomorrow's `at` o'clock in Riga (today's, when said in the small hours), in UTC."""
    local = now.astimezone(RIGA)
    day = local.date() + dt.timedelta(days=0 if local.time() < NIGHT_ENDS else 1)
    return dt.datetime.combine(day, at, tzinfo=RIGA).astimezone(dt.timezone.utc)


class CheckinStore:
    """The check-in table, with chat references sealed."""

    def __init__(self, url: str | None, cipher: ChatRefCipher):
        self._url = url
        self._cipher = cipher

    def _asked(self, row: Checkin) -> Asked:
        return Asked(row.id, row.sender, self._cipher.open(row.chat_ref), row.language, row.requester, row.topic,
                     row.service_id, row.municipality)

    def ask(self, sender: str, channel: str, chat_ref: str, language: str, requester: str, topic: str,
            service_id: str, municipality: str | None, due_at: dt.datetime, now: dt.datetime | None = None) -> bool:
        """Set (or move) the person's one check-in; nothing for a person who has just asked to be forgotten."""
        if tombstone.is_buried(self._url, sender):
            return False
        now = now or dt.datetime.now(dt.timezone.utc)
        values = dict(channel=channel, chat_ref=self._cipher.seal(chat_ref), language=language, requester=requester,
                      topic=topic, service_id=service_id, municipality=municipality, due_at=due_at,
                      status="pending", claimed_at=None)
        for _ in range(2):  # a double tap: the second insert meets the first row and updates it instead
            try:
                with session_scope(self._url) as s:
                    row = s.scalar(select(Checkin).where(Checkin.sender == sender))
                    if row is None:
                        s.add(Checkin(sender=sender, created_at=now, **values))
                    else:
                        for k, v in values.items():
                            setattr(row, k, v)
                return True
            except IntegrityError:
                continue
        return False

    def claim_due(self, now: dt.datetime, limit: int = 50) -> list[Asked]:
        """Check-ins to ask now (and claims a crash left behind), each claimed by exactly one caller."""
        waited = or_(Checkin.claimed_at.is_(None), Checkin.claimed_at < now - RETRY_AFTER)
        claimable = and_(Checkin.due_at <= now, Checkin.due_at > now - SEND_WITHIN,
                         or_(and_(Checkin.status == "pending", waited),
                             and_(Checkin.status == "sending", Checkin.claimed_at < now - STALE_CLAIM)))
        out: list[Asked] = []
        with session_scope(self._url) as s:
            for (cid,) in s.execute(select(Checkin.id).where(claimable).order_by(Checkin.due_at).limit(limit)).all():
                if affected(s.execute(update(Checkin).where(Checkin.id == cid, claimable)
                             .values(status="sending", claimed_at=now))):
                    out.append(self._asked(s.execute(select(Checkin).where(Checkin.id == cid)).scalar_one()))
        return out

    def sent(self, checkin_id: int) -> None:
        """Asked: the row now waits for the answer."""
        with session_scope(self._url) as s:
            s.execute(update(Checkin).where(Checkin.id == checkin_id, Checkin.status == "sending")
                      .values(status="asked"))

    def retry(self, checkin_id: int, now: dt.datetime) -> None:
        """Not delivered: tried again RETRY_AFTER later, while still within SEND_WITHIN."""
        with session_scope(self._url) as s:
            s.execute(update(Checkin).where(Checkin.id == checkin_id, Checkin.status == "sending")
                      .values(status="pending", claimed_at=now))

    def drop(self, checkin_id: int) -> None:
        """Undeliverable: nothing kept."""
        with session_scope(self._url) as s:
            s.execute(delete(Checkin).where(Checkin.id == checkin_id))

    def answer(self, sender: str, fits: Callable[[str], bool], then_reason: bool = False) -> Asked | None:
        """The person answered the question (once: a second tap finds nothing); an answer that does not `fit` the
        question's topic changes nothing. With `then_reason` the row stays, waiting for why they were refused;
        otherwise it is deleted. A row still `sending` counts: the question has reached the person, who tapped before
        `sent` was written."""
        with session_scope(self._url) as s:
            row = s.scalar(select(Checkin).where(Checkin.sender == sender, Checkin.status.in_(("asked", "sending"))))
            if row is None or not fits(row.topic):
                return None
            asked = self._asked(row)
            if then_reason:
                row.status = "reason"
            else:
                s.delete(row)
            return asked

    def reason(self, sender: str) -> Asked | None:
        """Why they were refused: the last answer; the row goes."""
        with session_scope(self._url) as s:
            row = s.scalar(select(Checkin).where(Checkin.sender == sender, Checkin.status == "reason"))
            if row is None:
                return None
            asked = self._asked(row)
            s.delete(row)
            return asked

    def waiting(self, sender: str) -> bool:
        """Whether the person has a check-in set or asked (typed "stop" then means: no more)."""
        return count(self._url, sender) > 0

    def stop(self, sender: str) -> bool:
        """The person does not want it."""
        return forget(self._url, sender) > 0


def count(url: str | None, sender: str) -> int:
    """The person's check-ins (0 or 1)."""
    return rows.count(url, Checkin, Checkin.sender == sender)


def forget(url: str | None, sender: str) -> int:
    """Delete the person's check-in."""
    return rows.remove(url, Checkin, Checkin.sender == sender)


def purge(url: str | None, now: dt.datetime, dry_run: bool = False) -> int:
    """Delete (or count) check-ins KEEP_AFTER_DUE past their time: unanswered."""
    return rows.remove(url, Checkin, Checkin.due_at < now - KEEP_AFTER_DUE, dry_run)
