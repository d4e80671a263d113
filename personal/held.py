"""Messages held while the assistant could not answer: offered back to the person on their next answered message,
and deleted then, or after RETENTION at the latest."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import delete, select

from knowledge.db import session_scope
from personal import rows, tombstone
from personal.models import HeldMessage

RETENTION = dt.timedelta(days=7)


def keep(url: str | None, sender: str, text: str, language: str, reason: str, now: dt.datetime | None = None,
         retention: dt.timedelta = RETENTION) -> bool:
    """Store one message in its own transaction; nothing for a person who has just asked to be forgotten."""
    if tombstone.is_buried(url, sender):
        return False
    now = now or dt.datetime.now(dt.timezone.utc)
    with session_scope(url) as s:
        s.add(HeldMessage(sender=sender, text=text, language=language, reason=reason, created_at=now,
                          expires_at=now + retention))
    return True


def take(url: str | None, sender: str) -> list[str]:
    """The person's held messages, oldest first, deleted as they are read (they are offered back once)."""
    with session_scope(url) as s:
        rows = s.scalars(select(HeldMessage).where(HeldMessage.sender == sender).order_by(HeldMessage.id)).all()
        texts = [r.text for r in rows]
        s.execute(delete(HeldMessage).where(HeldMessage.id.in_([r.id for r in rows])))
    return texts


def count(url: str | None, sender: str) -> int:
    """How many held messages a sender has."""
    return rows.count(url, HeldMessage, HeldMessage.sender == sender)


def forget(url: str | None, sender: str) -> int:
    """Delete a sender's held messages."""
    return rows.remove(url, HeldMessage, HeldMessage.sender == sender)


def purge(url: str | None, now: dt.datetime, dry_run: bool = False) -> int:
    """Delete (or count, for a dry run) what is past its retention."""
    return rows.remove(url, HeldMessage, HeldMessage.expires_at < now, dry_run)
