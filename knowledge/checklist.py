"""The personal document plan: the next step that is actually possible, what it needs, and what it unlocks.

Pure functions over the knowledge base's records (knowledge/data/checklist.yaml names the steps); no I/O here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

PHASES = ("today", "first_72h", "first_month")
DATA = Path(__file__).resolve().parent / "data" / "checklist.yaml"
YES, NO, UNKNOWN = "yes", "no", "unknown"


@dataclass(frozen=True)
class Situation:
    """What the person told us; anything not told is unknown. Never anything about the offence."""

    municipality: str | None = None  # where the person is (or will live)
    release_date: dt.date | None = None  # None: not released yet (planning ahead)
    has: dict[str, str] = field(default_factory=dict)  # document id -> yes | no | unknown
    probation: str = UNKNOWN
    working_age: str = UNKNOWN
    done: frozenset[str] = frozenset()  # steps ticked off
    declared: str | None = None  # where the residence was declared before prison; "none" / "unknown" (lvnorm.residence)


@dataclass(frozen=True)
class Item:
    """One line of the plan."""

    step: str
    record: str  # the procedure or benefit id behind it
    kind: str  # procedure | benefit
    phase: str
    status: str  # done | todo | blocked
    blocked_by: tuple[str, ...] = ()  # step ids that must come first
    deadline: dt.date | None = None
    overdue: bool = False


@dataclass(frozen=True)
class Plan:
    """The ordered items, and whether the person is at a dead end (no ID and no address)."""

    items: tuple[Item, ...]
    dead_end: bool

    def progress(self) -> tuple[int, int]:
        """(done, total)."""
        return sum(1 for i in self.items if i.status == "done"), len(self.items)


@cache
def steps() -> tuple[dict[str, Any], ...]:
    """The steps from the data file."""
    return tuple(yaml.load(DATA.read_text(encoding="utf-8"), yaml.CSafeLoader)["steps"])


def plan(situation: Situation, records: dict[str, dict[str, Any]], today: dt.date) -> Plan:
    """Order the applicable steps by what they need, then by phase; mark blocked, done, deadlines.

    `records` maps procedure/benefit ids to {requires: [...], deadline_days_after_release: int|None}.
    """
    has = situation.has
    applicable = [s for s in steps() if _applies(s, situation)]
    giver = {s["gives"]: s["id"] for s in applicable if s.get("gives")}
    held = {doc for doc, v in has.items() if v == YES} | {s["gives"] for s in applicable if s["id"] in situation.done and s.get("gives")}
    items: dict[str, Item] = {}
    for s in applicable:
        record_id = s.get("procedure") or s["benefit"]
        rec = records.get(record_id, {})
        gives = s.get("gives")
        already = gives is not None and has.get(gives) == YES
        # A benefit needs what must be brought; a procedure what its record requires. Probation is a fact about
        # the person, not a document to obtain, so it never blocks anything.
        needs = [d for d in (rec.get("bring") if s.get("benefit") else rec.get("requires")) or []
                 if d != gives and d != "probation"]
        missing = tuple(giver.get(d, d) for d in needs if d not in held)
        status = "done" if (s["id"] in situation.done or already) else ("blocked" if missing else "todo")
        deadline = None
        days = rec.get("deadline_days_after_release")
        if days is not None and situation.release_date is not None:
            deadline = (add_working_days(situation.release_date, int(days)) if s.get("working_days")
                        else situation.release_date + dt.timedelta(days=int(days)))
        items[s["id"]] = Item(
            step=s["id"], record=record_id, kind="benefit" if s.get("benefit") else "procedure", phase=s["phase"],
            status=status, blocked_by=missing if status == "blocked" else (),
            deadline=deadline, overdue=bool(deadline and status != "done" and today > deadline),
        )
    ordered = _order(list(items.values()), [s["id"] for s in applicable])
    no_id = has.get("id_document") != YES and "id_document" not in situation.done
    no_home = has.get("declared_residence") != YES and "residence_declaration" not in situation.done
    return Plan(tuple(ordered), dead_end=no_id and no_home)


def add_working_days(start: dt.date, days: int) -> dt.date:
    """Working days in Latvia (knowledge.hours.is_working_day: public holidays and moved days off skipped, a Saturday
    worked in exchange counted)."""
    from knowledge.hours import is_working_day

    day = start
    while days > 0:
        day += dt.timedelta(days=1)
        if is_working_day(day):
            days -= 1
    return day


def _applies(step: dict[str, Any], situation: Situation) -> bool:
    when = step.get("when")
    if when == "probation":
        return situation.probation != NO
    if when == "working_age":
        return situation.working_age != NO
    return True


def _order(items: list[Item], data_order: list[str]) -> list[Item]:
    """A step never comes before what unblocks it: its phase is at least its blockers' phase; then by phase,
    dependency depth, deadline, and the order in the data. Done steps go last."""
    by_id = {i.step: i for i in items}
    memo: dict[str, tuple[int, int]] = {}

    def position(step: str, seen: frozenset[str] = frozenset()) -> tuple[int, int]:
        """(effective phase index, depth)."""
        if step in memo:
            return memo[step]
        item = by_id[step]
        phase, depth = PHASES.index(item.phase), 0
        for b in item.blocked_by:
            if b in by_id and b not in seen:
                bp, bd = position(b, seen | {step})
                phase, depth = max(phase, bp), max(depth, bd + 1)
        memo[step] = (phase, depth)
        return memo[step]

    rank = {s: n for n, s in enumerate(data_order)}
    return sorted(
        items,
        key=lambda i: (i.status == "done", *position(i.step), i.deadline or dt.date.max, rank[i.step]),
    )
