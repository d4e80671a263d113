"""Storing a person's checklist (their answers and ticks) under the pseudonymous id, and deleting it."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import delete, select

from knowledge.checklist import Situation
from knowledge.db import session_scope
from knowledge.models import ChecklistState


def to_json(s: Situation) -> dict:
    """Only what the person entered."""
    return {
        "municipality": s.municipality, "release_date": s.release_date.isoformat() if s.release_date else None,
        "has": dict(s.has), "probation": s.probation, "working_age": s.working_age, "done": sorted(s.done),
    }


def from_json(d: dict) -> Situation:
    """Back from storage."""
    return Situation(
        municipality=d.get("municipality"),
        release_date=dt.date.fromisoformat(d["release_date"]) if d.get("release_date") else None,
        has=dict(d.get("has") or {}), probation=d.get("probation", "unknown"),
        working_age=d.get("working_age", "unknown"), done=frozenset(d.get("done") or ()),
    )


def save(url: str | None, sender: str, situation: Situation) -> None:
    """Insert or replace, in one transaction."""
    with session_scope(url) as s:
        row = s.get(ChecklistState, sender)
        now = dt.datetime.now(dt.timezone.utc)
        if row is None:
            s.add(ChecklistState(sender=sender, situation=to_json(situation), updated_at=now))
        else:
            row.situation, row.updated_at = to_json(situation), now


def load(url: str | None, sender: str) -> Situation | None:
    """The stored plan input, or None."""
    with session_scope(url) as s:
        row = s.scalar(select(ChecklistState).where(ChecklistState.sender == sender))
        return from_json(row.situation) if row else None


def forget(url: str | None, sender: str) -> int:
    """Delete the sender's checklist."""
    with session_scope(url) as s:
        return s.execute(delete(ChecklistState).where(ChecklistState.sender == sender)).rowcount
