"""Reading the conversation so far: what each of the person's messages was read as, and what the assistant said."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker

DID_YOU_MEAN = "utter_did_you_mean"  # the fallback's question: the message before it got no answer


def intent_of(event: dict[str, Any]) -> str | None:
    """The intent a user event was read as."""
    return ((event.get("parse_data") or {}).get("intent") or {}).get("name")


def said(event: dict[str, Any], response: str) -> bool:
    """A bot event that is this response."""
    return event.get("event") == "bot" and (event.get("metadata") or {}).get("utter_action") == response


def user_intents(tracker: Tracker) -> list[str | None]:
    """What each of the person's messages was read as, oldest first (the latest is the message being answered)."""
    return [intent_of(e) for e in tracker.events if e.get("event") == "user"]
