"""Every store that keeps something about a person, with what it keeps, for how long, and how it forgets.

`/dzest` walks the registry (forget), and so does the retention job (purge). A test introspects the databases and
fails when a table with a sender, pseudonym or chat column is not registered here (tests/integration/test_personal.py).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Callable

from knowledge import db
from personal import checkins, checklist, held, shared_plan, reminders, tracker
from personal.handoff import HandoffStore


@dataclass(frozen=True)
class Retention:
    """How long each kind of person data is kept (the settings read them from the environment)."""

    held: dt.timedelta = held.RETENTION
    conversation: dt.timedelta = tracker.RETENTION
    checklist: dt.timedelta = checklist.RETENTION
    handoff: dt.timedelta = dt.timedelta(days=30)
    handoff_audit: dt.timedelta = dt.timedelta(days=365)
    volunteers: dt.timedelta = dt.timedelta(days=30)


@dataclass(frozen=True)
class Store:
    """One place where something about a person is kept."""

    name: str
    database: str  # knowledge | tracker | memory
    tables: tuple[str, ...]
    keep: str  # how long, in the words of the privacy text
    forget: Callable[[str, dt.datetime | None], int] | None = None  # (sender, up to) -> rows deleted
    purge: Callable[[dt.datetime, bool], int] | None = None  # (now, dry run) -> rows past their retention
    count: Callable[[str], int] | None = None  # what 'my data' counts


@dataclass
class Registry:
    """The stores; one walk over them forgets a person or purges what is past its time."""

    stores: list[Store] = field(default_factory=list)
    scrubs: list[Callable[[], None]] = field(default_factory=list)  # after deleting: leave no copy in a SQLite log

    def register(self, store: Store) -> None:
        """Add a store (the front door adds its in-memory ones)."""
        self.stores.append(store)

    def forget(self, sender: str, up_to: dt.datetime | None = None, scrub: bool = True) -> dict[str, int]:
        """Delete everything kept about the sender (until `up_to`, for the stores that keep time), then scrub the
        files unless the caller deletes more and scrubs once after that."""
        deleted = {s.name: s.forget(sender, up_to) for s in self.stores if s.forget is not None}
        if scrub:
            self.scrub()
        return deleted

    def purge(self, now: dt.datetime, dry_run: bool = False) -> dict[str, int]:
        """Delete (or, for a dry run, count) what is past its retention, store by store."""
        due = {s.name: s.purge(now, dry_run) for s in self.stores if s.purge is not None}
        if not dry_run and any(due.values()):
            self.scrub()
        return due

    def scrub(self) -> None:
        """Leave no copy of deleted rows in a SQLite file or its write-ahead log (knowledge.db.compact)."""
        for scrub in self.scrubs:
            scrub()

    def count(self, sender: str) -> dict[str, int]:
        """How many rows each store keeps about the sender."""
        return {s.name: s.count(sender) for s in self.stores if s.count is not None}

    def tables(self, database: str) -> set[str]:
        """The tables of one database that the registry covers."""
        return {t for s in self.stores if s.database == database for t in s.tables}


def build(knowledge_url: str | None, tracker_url: str | None, handoffs: HandoffStore,
          retention: Retention = Retention()) -> Registry:
    """The database-backed stores. (Each day count below is the default; the settings may change it.)"""
    r = retention
    return Registry([
        Store("conversation", "tracker", ("events",), f"{r.conversation.days} days after the last message",
              lambda s, up_to: tracker.forget(tracker_url, s, up_to),
              lambda now, dry: tracker.purge(tracker_url, now, r.conversation, dry),
              lambda s: tracker.count(tracker_url, s)),
        Store("held messages", "knowledge", ("held_message",), f"until offered back, at most {r.held.days} days",
              lambda s, _: held.forget(knowledge_url, s),
              lambda now, dry: held.purge(knowledge_url, now, dry), lambda s: held.count(knowledge_url, s)),
        Store("morning reminder", "knowledge", ("reminder",), "until sent, at most a day after its time",
              lambda s, _: reminders.forget(knowledge_url, s),
              lambda now, dry: reminders.purge(knowledge_url, now, dry), lambda s: reminders.count(knowledge_url, s)),
        Store("check-in", "knowledge", ("checkin",), f"until answered, at most {checkins.KEEP_AFTER_DUE.days} days after its time",
              lambda s, _: checkins.forget(knowledge_url, s),
              lambda now, dry: checkins.purge(knowledge_url, now, dry), lambda s: checkins.count(knowledge_url, s)),
        Store("shared plans", "knowledge", ("shared_plan",),
              f"until the link is used, at most {shared_plan.TTL.days} days",
              lambda s, _: shared_plan.forget(knowledge_url, s),
              lambda now, dry: shared_plan.purge(knowledge_url, now, dry), lambda s: shared_plan.count(knowledge_url, s)),
        Store("document plan", "knowledge", ("checklist_state",), f"{r.checklist.days} days after the last change",
              lambda s, _: checklist.forget(knowledge_url, s),
              lambda now, dry: checklist.purge(knowledge_url, now, r.checklist, dry),
              lambda s: checklist.count(knowledge_url, s)),
        Store("requests to volunteers", "knowledge", ("handoff_request",),
              f"while open; deleted {r.handoff.days} days after closing",
              lambda s, _: handoffs.forget(s)[0],
              lambda now, dry: handoffs.purge_requests(r.handoff, now, dry), handoffs.count),
        Store("volunteer audit log", "knowledge", ("handoff_audit",),
              f"{r.handoff_audit.days} days; request numbers and volunteers only, never a person",
              purge=lambda now, dry: handoffs.purge_audit(r.handoff_audit, now, dry)),
        Store("volunteers", "knowledge", ("volunteer",), f"while a volunteer; {r.volunteers.days} days after removal",
              purge=lambda now, dry: handoffs.purge_volunteers(r.volunteers, now, dry)),
        # A tombstone holds a pseudonym for the minute after /dzest; the second deletion removes it (bot/frontdoor).
        Store("tombstones", "knowledge", ("forgotten_sender",), "about a minute after /dzest"),
    ], [lambda: db.scrub(knowledge_url), lambda: tracker.scrub(tracker_url)])
