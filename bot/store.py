"""Everything the front door keeps or deletes about a person, behind one small interface."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from bot import personal_data
from knowledge import checklist_store, held
from knowledge.triage import TriageStore


@dataclass(frozen=True)
class PersonalSummary:
    """What 'my data' shows."""

    messages: int
    remembered: dict[str, str]
    held_messages: int
    checklist: bool = False
    requests: int = 0


class Store(Protocol):
    def hold(self, sender: str, text: str, language: str, reason: str) -> None: ...

    def describe(self, sender: str) -> PersonalSummary: ...

    def forget(self, sender: str) -> int: ...


class SqlStore:
    """Rasa's tracker store (conversation) plus the knowledge database (held messages)."""

    def __init__(self, tracker_db_url: str | None, knowledge_db_url: str | None):
        self._tracker = tracker_db_url
        self._knowledge = knowledge_db_url

    def hold(self, sender: str, text: str, language: str, reason: str) -> None:
        """Keep an unanswered message for a volunteer (deleted after the retention period)."""
        held.keep(self._knowledge, sender, text, language, reason)

    def describe(self, sender: str) -> PersonalSummary:
        """Counts and remembered facts, never message texts."""
        conv = personal_data.describe(self._tracker, sender)
        return PersonalSummary(conv.messages, conv.remembered, held.count(self._knowledge, sender),
                               checklist_store.load(self._knowledge, sender) is not None,
                               TriageStore(self._knowledge).count(sender))

    def forget(self, sender: str) -> int:
        """Delete every row about the sender in every store; returns rows deleted."""
        return (personal_data.forget(self._tracker, sender) + held.forget(self._knowledge, sender)
                + checklist_store.forget(self._knowledge, sender))
