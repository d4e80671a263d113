"""What the front door keeps and deletes about a person, over the registry: holding a message, offering it back,
'my data', and forgetting in two passes (now, and again once a turn that was under way can no longer write)."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import Protocol

from knowledge.db import ScrubIncomplete
from personal import held, tombstone, tracker
from personal.registry import Registry

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PersonalSummary:
    """What 'my data' shows: counts and the few remembered facts, never message texts."""

    messages: int
    remembered: dict[str, str]
    held_messages: int
    checklist: bool = False
    requests: int = 0
    reminder: bool = False
    shared_plans: int = 0
    checkin: bool = False


class PersonalData(Protocol):
    """The front door's view of person data (a fake in the unit tests)."""

    registry: Registry

    def hold(self, sender: str, text: str, language: str, reason: str) -> bool: ...

    def take_held(self, sender: str) -> list[str]: ...

    def describe(self, sender: str) -> PersonalSummary: ...

    def forget(self, sender: str) -> int: ...

    def forget_again(self, sender: str) -> int: ...

    def due_rechecks(self, now: dt.datetime) -> list[str]: ...


class SqlPersonalData:
    """Person data in the knowledge database and Rasa's tracker store."""

    def __init__(self, knowledge_url: str | None, tracker_url: str | None, registry: Registry,
                 held_retention: dt.timedelta, recheck: dt.timedelta):
        self._knowledge = knowledge_url
        self._tracker = tracker_url
        self.registry = registry
        self._held_retention = held_retention
        self._recheck = recheck

    def hold(self, sender: str, text: str, language: str, reason: str) -> bool:
        """Keep an unanswered message, to offer it back on the next answered one."""
        return held.keep(self._knowledge, sender, text, language, reason, retention=self._held_retention)

    def take_held(self, sender: str) -> list[str]:
        """The held messages, deleted as they are taken."""
        return held.take(self._knowledge, sender)

    def describe(self, sender: str) -> PersonalSummary:
        """Counts and remembered facts, never message texts."""
        conv = tracker.describe(self._tracker, sender)
        counts = self.registry.count(sender)
        return PersonalSummary(conv.messages, conv.remembered, counts.get("held messages", 0),
                               counts.get("document plan", 0) > 0, counts.get("requests to volunteers", 0),
                               counts.get("morning reminder", 0) > 0, counts.get("shared plans", 0),
                               counts.get("check-in", 0) > 0)

    def forget(self, sender: str) -> int:
        """First pass: a tombstone (nothing new is stored), then every registered store. Returns rows deleted."""
        tombstone.bury(self._knowledge, sender, self._recheck)
        rows = sum(self.registry.forget(sender, scrub=False).values())
        try:
            self.registry.scrub()
        except ScrubIncomplete:  # the rows are gone; the second pass scrubs again (and is tried again if it fails)
            log.warning("forget: the files' scrub waits for the second pass")
        return rows

    def forget_again(self, sender: str) -> int:
        """Second pass, once the tombstone's time is up: what a turn under way wrote back until the first pass, then
        the tombstone itself."""
        until = tombstone.forgotten_at(self._knowledge, sender)
        rows = sum(self.registry.forget(sender, until, scrub=False).values()) if until is not None else 0
        rows += tombstone.lift(self._knowledge, sender)
        self.registry.scrub()  # once, after the tombstone too
        return rows

    def due_rechecks(self, now: dt.datetime) -> list[str]:
        """Senders whose second pass is due (also after a restart)."""
        return [sender for sender, _ in tombstone.due(self._knowledge, now)]
