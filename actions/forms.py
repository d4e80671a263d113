"""What both forms' validations share."""

from __future__ import annotations

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet


def ask_again(tracker: Tracker, events: list[EventType], intents: frozenset[str]) -> list[EventType]:
    """A form's validation after a message of one of `intents` that fills nothing ("other place", a crisis message
    after the front door's numbers): the question asked again. Rasa rejects a form turn that sets no slot, and the
    person got "Atvainojiet, es nesapratu" (a crisis message, 2026-12-07)."""
    slot = tracker.get_slot("requested_slot")
    intent = (tracker.latest_message.get("intent") or {}).get("name")
    if not slot or intent not in intents or any(isinstance(e, dict) and e.get("name") == slot for e in events):
        return events
    return [*events, SlotSet(slot, None)]
