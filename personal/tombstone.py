"""Tombstones: for a while after `/dzest`, nothing more is stored for that person, and then everything an in-flight
turn wrote back is deleted again (Rasa's tracker store, a checklist save, a hold after a timeout)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import delete, select

from knowledge.db import affected, aware, now_utc as _now, session_scope
from personal.models import ForgottenSender


def bury(url: str | None, sender: str, recheck_after: dt.timedelta, now: dt.datetime | None = None) -> dt.datetime:
    """Mark the sender forgotten now; returns when the second deletion is due."""
    now = now or _now()
    with session_scope(url) as s:
        row = s.get(ForgottenSender, sender)
        if row is None:
            s.add(ForgottenSender(sender=sender, forgotten_at=now, recheck_at=now + recheck_after))
        else:
            row.forgotten_at, row.recheck_at = now, now + recheck_after
    return now + recheck_after


def is_buried(url: str | None, sender: str) -> bool:
    """Is this sender inside the window after `/dzest` (so nothing may be stored for them)?"""
    with session_scope(url) as s:
        return s.get(ForgottenSender, sender) is not None


def forgotten_at(url: str | None, sender: str) -> dt.datetime | None:
    """When this sender asked to be forgotten, while the tombstone stands."""
    with session_scope(url) as s:
        row = s.get(ForgottenSender, sender)
        return aware(row.forgotten_at) if row else None


def due(url: str | None, now: dt.datetime | None = None) -> list[tuple[str, dt.datetime]]:
    """(sender, forgotten_at) of every tombstone whose second deletion is due."""
    now = now or _now()
    with session_scope(url) as s:
        rows = s.scalars(select(ForgottenSender).where(ForgottenSender.recheck_at <= now)).all()
        return [(r.sender, aware(r.forgotten_at)) for r in rows]


def lift(url: str | None, sender: str) -> int:
    """The second deletion is done: the tombstone goes (it holds a pseudonym too)."""
    with session_scope(url) as s:
        return affected(s.execute(delete(ForgottenSender).where(ForgottenSender.sender == sender)))
