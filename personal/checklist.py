"""A person's checklist (their answers and ticks) under the pseudonymous id: stored, deleted on request, and deleted
after RETENTION without changes."""

from __future__ import annotations

import datetime as dt
import hashlib
import json

from sqlalchemy import select

from knowledge.checklist import Situation
from knowledge.db import session_scope
from knowledge.records import JsonObject
from personal import rows, tombstone
from personal.models import ChecklistState

RETENTION = dt.timedelta(days=90)


def to_json(s: Situation) -> JsonObject:
    """Only what the person entered."""
    return {
        "municipality": s.municipality, "release_date": s.release_date.isoformat() if s.release_date else None,
        "has": dict(s.has), "probation": s.probation, "working_age": s.working_age, "done": sorted(s.done),
        "declared": s.declared,
    }


def from_json(d: JsonObject) -> Situation:
    """Back from storage."""
    return Situation(
        municipality=d.get("municipality"),
        release_date=dt.date.fromisoformat(d["release_date"]) if d.get("release_date") else None,
        has=dict(d.get("has") or {}), probation=d.get("probation", "unknown"),
        working_age=d.get("working_age", "unknown"), done=frozenset(d.get("done") or ()), declared=d.get("declared"),
    )


def version(s: Situation) -> str:
    """Changes whenever what the plan is made of changes: the PDF is rendered once per version."""
    return hashlib.sha256(json.dumps(to_json(s), sort_keys=True).encode()).hexdigest()[:16]


def save(url: str | None, sender: str, situation: Situation) -> bool:
    """Insert or replace, in one transaction; nothing for a person who has just asked to be forgotten."""
    if tombstone.is_buried(url, sender):
        return False
    with session_scope(url) as s:
        row = s.get(ChecklistState, sender)
        now = dt.datetime.now(dt.timezone.utc)
        if row is None:
            s.add(ChecklistState(sender=sender, situation=to_json(situation), updated_at=now))
        else:
            row.situation, row.updated_at = to_json(situation), now
    return True


def load(url: str | None, sender: str) -> Situation | None:
    """The stored plan input, or None."""
    with session_scope(url) as s:
        row = s.scalar(select(ChecklistState).where(ChecklistState.sender == sender))
        return from_json(row.situation) if row else None


def count(url: str | None, sender: str) -> int:
    """1 when the person has a checklist."""
    return rows.count(url, ChecklistState, ChecklistState.sender == sender)


def forget(url: str | None, sender: str) -> int:
    """Delete the sender's checklist."""
    return rows.remove(url, ChecklistState, ChecklistState.sender == sender)


def purge(url: str | None, now: dt.datetime, retention: dt.timedelta = RETENTION, dry_run: bool = False) -> int:
    """Delete (or count) checklists nobody changed within the retention."""
    return rows.remove(url, ChecklistState, ChecklistState.updated_at < now - retention, dry_run)
