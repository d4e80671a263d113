"""The one adapter over Rasa's tracker store (the `events` table of its SQL tracker store): what 'my data' shows,
what a handoff summary may say, and deleting a person's conversation. Nothing else reads or writes Rasa's tables.

Rasa has no API for deleting a conversation, so this deletes rows. Tested against trackers Rasa itself wrote
(tests/e2e/test_privacy.py)."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from functools import cache

from sqlalchemy import create_engine, event, inspect, text
from sqlalchemy.engine import Engine

from knowledge.db import affected, compact

RETENTION = dt.timedelta(days=30)  # of silence, after which a whole conversation is deleted
_CARD_MARKS = ("🏠 ", "📄 ", "💶 ")
REMEMBERED = ("municipality", "declared_municipality", "language", "requester")  # the slots 'my data' shows


@cache
def _engine(url: str) -> Engine:
    eng = create_engine(url)
    if url.startswith("sqlite"):
        @event.listens_for(eng, "connect")
        def _secure_delete(conn, _record):  # deleted conversations are overwritten, not left in free pages
            conn.execute("PRAGMA secure_delete=ON")
    return eng


def scrub(url: str | None) -> None:
    """What knowledge.db.scrub does, for Rasa's SQLite tracker store."""
    if url and url.startswith("sqlite"):
        with _engine(url).connect() as conn:
            compact(conn)


def _has_events(conn) -> bool:
    return inspect(conn).has_table("events")


@dataclass(frozen=True)
class Held:
    """A summary of what is stored: counts and the few remembered facts, never the message texts."""

    messages: int
    events: int
    remembered: dict[str, str]


def describe(url: str | None, sender: str) -> Held:
    """Read the sender's tracker rows: how many messages, and which slots (place, language, who it is for) are remembered."""
    if not url:
        return Held(0, 0, {})
    with _engine(url).connect() as conn:
        if not _has_events(conn):
            return Held(0, 0, {})
        rows = conn.execute(
            text("SELECT type_name, data FROM events WHERE sender_id = :s ORDER BY id"), {"s": sender}
        ).all()
    remembered: dict[str, str] = {}
    for type_name, data in rows:
        if type_name == "slot":
            ev = json.loads(data)
            if ev.get("name") in REMEMBERED:
                if ev.get("value") is None:
                    remembered.pop(ev["name"], None)
                else:
                    remembered[ev["name"]] = str(ev["value"])
    return Held(sum(1 for t, _ in rows if t == "user"), len(rows), remembered)


def count(url: str | None, sender: str) -> int:
    """How many tracker rows the sender has."""
    if not url:
        return 0
    with _engine(url).connect() as conn:
        if not _has_events(conn):
            return 0
        return conn.execute(text("SELECT COUNT(*) FROM events WHERE sender_id = :s"), {"s": sender}).scalar() or 0


def forget(url: str | None, sender: str, up_to: dt.datetime | None = None) -> int:
    """Delete the sender's conversation; with `up_to`, only what came before the first message the front door sent
    after that moment (a conversation the person started after `/dzest` stays; a turn that was under way goes, even
    the events Rasa wrote after `up_to`). The front door stamps each message with `metadata.sent_at`, because Rasa
    stamps an event when it writes it, and that can be after `/dzest` for a message sent before. Returns rows deleted."""
    if not url:
        return 0
    with _engine(url).begin() as conn:
        if not _has_events(conn):
            return 0
        if up_to is None:
            return affected(conn.execute(text("DELETE FROM events WHERE sender_id = :s"), {"s": sender}))
        users = conn.execute(text("SELECT id, timestamp, data FROM events WHERE sender_id = :s AND type_name = 'user' "
                                  "ORDER BY id"), {"s": sender}).all()
        later = next((i for i, stamp, data in users if _sent_at(data, stamp) > up_to.timestamp()), None)
        if later is None:
            return affected(conn.execute(text("DELETE FROM events WHERE sender_id = :s"), {"s": sender}))
        return affected(conn.execute(text("DELETE FROM events WHERE sender_id = :s AND id < :i"), {"s": sender, "i": later}))


def _sent_at(data: str, written: float) -> float:
    """When the front door sent a user message (Rasa's own stamp for messages from any other client)."""
    try:
        return float((json.loads(data).get("metadata") or {}).get("sent_at", written))
    except (ValueError, TypeError, AttributeError):
        return written


def purge(url: str | None, now: dt.datetime, retention: dt.timedelta = RETENTION, dry_run: bool = False) -> int:
    """Delete (or count) every conversation silent for longer than the retention."""
    if not url:
        return 0
    idle = ("sender_id IN (SELECT sender_id FROM events GROUP BY sender_id HAVING MAX(timestamp) < :cutoff)")
    with _engine(url).begin() as conn:
        if not _has_events(conn):
            return 0
        cutoff = {"cutoff": (now - retention).timestamp()}
        if dry_run:
            return conn.execute(text(f"SELECT COUNT(*) FROM events WHERE {idle}"), cutoff).scalar() or 0  # noqa: S608
        return affected(conn.execute(text(f"DELETE FROM events WHERE {idle}"), cutoff))  # noqa: S608


@dataclass(frozen=True)
class Recent:
    """What a handoff summary may say about a conversation: its topics, place and the listings last shown."""

    intents: list[str]
    municipality: str | None
    shown: list[str]
    language: str | None = None
    requester: str | None = None  # the `requester` slot: whom the person writes for (lvnorm.requester)


def recent(url: str | None, sender: str, events: int = 200) -> Recent:
    """This session's intents (oldest first, no repeats), the place and language slots as they stand, and the names of
    the cards last shown."""
    if not url:
        return Recent([], None, [])
    with _engine(url).connect() as conn:
        if not _has_events(conn):
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
            ev = json.loads(data)
            if ev.get("name") in ("municipality", "language", "requester"):
                slots.setdefault(ev["name"], ev.get("value"))
        elif type_name == "bot" and len(shown) < 3:
            body = json.loads(data).get("text") or ""
            first = body.split("\n", 1)[0]
            if first.startswith(_CARD_MARKS):
                shown.append(first[2:].strip())
    language = slots.get("language")
    municipality, requester = slots.get("municipality"), slots.get("requester")
    return Recent(intents[::-1], municipality if isinstance(municipality, str) else None, shown[::-1],
                  language if isinstance(language, str) and language in ("lv", "ru") else None,
                  requester if isinstance(requester, str) else None)
