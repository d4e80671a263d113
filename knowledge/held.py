"""Messages held while the assistant could not answer, for a volunteer to see; kept a short time only."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import delete, func, select

from knowledge.db import session_scope
from knowledge.models import HeldMessage

RETENTION = dt.timedelta(days=7)


def keep(url: str | None, sender: str, text: str, language: str, reason: str, now: dt.datetime | None = None) -> None:
    """Store one message in its own transaction."""
    now = now or dt.datetime.now(dt.timezone.utc)
    with session_scope(url) as s:
        s.add(HeldMessage(sender=sender, text=text, language=language, reason=reason, created_at=now,
                          expires_at=now + RETENTION))


def count(url: str | None, sender: str) -> int:
    """How many held messages a sender has."""
    with session_scope(url) as s:
        return s.scalar(select(func.count()).select_from(HeldMessage).where(HeldMessage.sender == sender)) or 0


def forget(url: str | None, sender: str) -> int:
    """Delete a sender's held messages."""
    with session_scope(url) as s:
        return s.execute(delete(HeldMessage).where(HeldMessage.sender == sender)).rowcount


def purge_expired(url: str | None, now: dt.datetime | None = None) -> int:
    """Delete what is past its retention."""
    now = now or dt.datetime.now(dt.timezone.utc)
    with session_scope(url) as s:
        return s.execute(delete(HeldMessage).where(HeldMessage.expires_at < now)).rowcount
