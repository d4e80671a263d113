"""'My data' and 'delete my data': what the system holds for one pseudonymous sender, and removing all of it."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache

from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import Engine


@cache
def _engine(url: str) -> Engine:
    return create_engine(url)


@dataclass(frozen=True)
class Held:
    """A summary of what is stored: counts and the few remembered facts, never the message texts."""

    messages: int
    events: int
    remembered: dict[str, str]


def describe(tracker_db_url: str | None, sender: str) -> Held:
    """Read the sender's tracker rows: how many messages, and which slots (place, language) are remembered."""
    if not tracker_db_url:
        return Held(0, 0, {})
    with _engine(tracker_db_url).connect() as conn:
        if not inspect(conn).has_table("events"):
            return Held(0, 0, {})
        rows = conn.execute(
            text("SELECT type_name, data FROM events WHERE sender_id = :s ORDER BY id"), {"s": sender}
        ).all()
    remembered: dict[str, str] = {}
    for type_name, data in rows:
        if type_name == "slot":
            event = json.loads(data)
            if event.get("name") in ("municipality", "language"):
                if event.get("value") is None:
                    remembered.pop(event["name"], None)
                else:
                    remembered[event["name"]] = str(event["value"])
    return Held(sum(1 for t, _ in rows if t == "user"), len(rows), remembered)


def forget(tracker_db_url: str | None, sender: str) -> int:
    """Delete the sender's Rasa tracker events (the tracker store has no delete API); returns rows deleted."""
    if not tracker_db_url:
        return 0
    with _engine(tracker_db_url).begin() as conn:
        if not inspect(conn).has_table("events"):
            return 0
        return conn.execute(text("DELETE FROM events WHERE sender_id = :s"), {"s": sender}).rowcount


@dataclass(frozen=True)
class Recent:
    """What a handoff summary may say about a conversation: its topics, place and the listings last shown."""

    intents: list[str]
    municipality: str | None
    shown: list[str]
    language: str | None = None


_CARD_MARKS = ("🏠 ", "📄 ", "💶 ")


def recent(tracker_db_url: str | None, sender: str, events: int = 200) -> Recent:
    """This session's intents (oldest first, no repeats), the place and language slots as they stand, and the names of
    the cards last shown."""
    if not tracker_db_url:
        return Recent([], None, [])
    with _engine(tracker_db_url).connect() as conn:
        if not inspect(conn).has_table("events"):
            return Recent([], None, [])
        rows = conn.execute(
            text("SELECT type_name, intent_name, data FROM events WHERE sender_id = :s ORDER BY id DESC LIMIT :n"),
            {"s": sender, "n": events},
        ).all()
    intents: list[str] = []
    slots: dict[str, object] = {}
    shown: list[str] = []
    for type_name, intent, data in rows:  # newest first
        if type_name == "session_started":  # an earlier session is an earlier story
            break
        if type_name == "user" and intent and intent not in intents:
            intents.append(intent)
        elif type_name == "slot":
            event = json.loads(data)
            if event.get("name") in ("municipality", "language"):
                slots.setdefault(event["name"], event.get("value"))
        elif type_name == "bot" and len(shown) < 3:
            body = json.loads(data).get("text") or ""
            first = body.split("\n", 1)[0]
            if first.startswith(_CARD_MARKS):
                shown.append(first[2:].strip())
    language = slots.get("language")
    return Recent(intents[::-1], slots.get("municipality"), shown[::-1], language if language in ("lv", "ru") else None)
