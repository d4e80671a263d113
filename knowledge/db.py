"""Engine and session factories. Nothing connects at import time."""

from __future__ import annotations

import datetime as dt
import os
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Iterator, cast, overload

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Connection, CursorResult, Engine, Result
from sqlalchemy.orm import Session, sessionmaker

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = f"sqlite:///{ROOT / '.state' / 'knowledge.sqlite'}"


@overload
def aware(value: dt.datetime) -> dt.datetime: ...


@overload
def aware(value: None) -> None: ...


def aware(value: dt.datetime | None) -> dt.datetime | None:
    """A stored time as UTC-aware (SQLite gives naive datetimes back; PostgreSQL keeps the zone)."""
    return value.replace(tzinfo=dt.timezone.utc) if value is not None and value.tzinfo is None else value


def now_utc() -> dt.datetime:
    """Now, in UTC: the stores' and the schedulers' clock (a test passes its own)."""
    return dt.datetime.now(dt.timezone.utc)


def affected(result: Result) -> int:
    """The rows an UPDATE or DELETE touched (SQLAlchemy types execute() as a plain Result)."""
    return cast(CursorResult, result).rowcount


def database_url() -> str:
    """The knowledge base URL from KNOWLEDGE_DB_URL, defaulting to the embedded SQLite file."""
    return os.environ.get("KNOWLEDGE_DB_URL") or DEFAULT_URL


@cache
def engine(url: str | None = None) -> Engine:
    """One engine per URL per process."""
    url = url or database_url()
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
        eng = create_engine(url, connect_args={"timeout": 5})

        @event.listens_for(eng, "connect")
        def _sqlite_pragmas(conn, _record):  # foreign keys are off by default in SQLite
            cur = conn.cursor()
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA secure_delete=ON")  # deleted person data is overwritten, not left in free pages
            cur.close()

        return eng
    # Short lookups only: PostgreSQL's JIT compiler costs tens of milliseconds and never pays back here.
    connect_args = {"options": "-c jit=off"} if url.startswith("postgresql") else {}
    return create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=5, connect_args=connect_args)


def scrub(url: str | None = None) -> None:
    """After person data was deleted from SQLite, leave no copy of it in the files (see `compact`). (On PostgreSQL,
    autovacuum reclaims the space of deleted rows but does not overwrite it; see README, Privacy.)"""
    url = url or database_url()
    if url.startswith("sqlite"):
        with engine(url).connect() as conn:
            compact(conn)


def compact(conn: Connection) -> None:
    """Rewrite a SQLite database with its live rows only, then empty its write-ahead log. `secure_delete` zeroes a
    deleted row, but not the older copies of it that a B-tree rebalance left in the unused space of the page it moved
    from, nor the page images in the -wal file: without this, a deleted person's pseudonym can stay in the file.
    The checkpoint waits (the connection's busy timeout) for readers of older snapshots; if one still holds the log,
    the main file keeps its old pages, and this raises rather than report a scrub that did not happen."""
    conn.exec_driver_sql("VACUUM")
    busy, _, _ = conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)").one()
    if busy:
        raise ScrubIncomplete("a reader kept the write-ahead log; the deleted rows' old pages are still in the file")


class ScrubIncomplete(RuntimeError):
    """The write-ahead log could not be emptied into the main file (see `compact`)."""


@contextmanager
def session_scope(url: str | None = None) -> Iterator[Session]:
    """A transaction: committed on success, rolled back on error."""
    with sessionmaker(engine(url), expire_on_commit=False)() as session, session.begin():
        yield session
