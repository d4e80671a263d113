"""'Delete my data': remove every row the system holds for one pseudonymous sender."""

from __future__ import annotations

from functools import cache

from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import Engine


@cache
def _engine(url: str) -> Engine:
    return create_engine(url)


def forget_sender(tracker_db_url: str | None, sender: str) -> int:
    """Delete the sender's Rasa tracker events (the tracker store has no delete API); returns rows deleted."""
    if not tracker_db_url:
        return 0
    with _engine(tracker_db_url).begin() as conn:
        if not inspect(conn).has_table("events"):
            return 0
        return conn.execute(text("DELETE FROM events WHERE sender_id = :s"), {"s": sender}).rowcount
