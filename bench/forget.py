"""What `/dzest` costs on a large SQLite tracker: one person's conversation deleted and the file scrubbed
(`personal.tracker.forget` and `scrub`, the code the registry runs; the scrub's VACUUM rewrites the whole file):

    .venv/app/bin/python -m bench.forget [--out bench/results]

A tracker in Rasa 3.6's `events` table with 2,000 conversations of 100 events each (message-sized JSON), written
directly rather than through Rasa; then 5 people forget, one after another. Writes forget.md.
"""

from __future__ import annotations

import argparse
import json
import random
import sqlite3
import statistics
import tempfile
import time
from pathlib import Path

from bench import write_result
from harness.rasa_tracker import EVENTS_TABLE
from personal import tracker

CONVERSATIONS, EVENTS, FORGOTTEN = 2000, 100, 5


def build(db: Path) -> None:
    """The tracker, events of all conversations interleaved as Rasa writes them."""
    rnd = random.Random(2026)
    with sqlite3.connect(db) as conn:
        for statement in EVENTS_TABLE:
            conn.execute(statement)
        conn.executemany("INSERT INTO events (sender_id, type_name, timestamp, data) VALUES (?, 'user', ?, ?)",
                         ((f"sender-{rnd.randrange(CONVERSATIONS):05d}", float(i),
                           json.dumps({"text": "x" * rnd.randint(100, 900)}))
                          for i in range(CONVERSATIONS * EVENTS)))


def main() -> None:
    ap = argparse.ArgumentParser(prog="python -m bench.forget")
    ap.add_argument("--out", default="bench/results")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "tracker.sqlite"
        build(db)
        size_mb = db.stat().st_size / 1e6
        url = f"sqlite:///{db}"
        deleted, scrubbed = [], []
        for n in range(FORGOTTEN):
            start = time.perf_counter()
            tracker.forget(url, f"sender-{n:05d}")
            middle = time.perf_counter()
            tracker.scrub(url)
            deleted.append(1000 * (middle - start))
            scrubbed.append(1000 * (time.perf_counter() - middle))
    lines = ["# /dzest on a large SQLite tracker (bench/forget.py)", "",
             f"{CONVERSATIONS:,} conversations of {EVENTS} events, {size_mb:.0f} MB; {FORGOTTEN} people forget, one "
             "after another. Median (max) milliseconds.", "",
             "| deleting the rows | scrubbing the file (VACUUM, then the write-ahead log) |", "|---|---|",
             f"| {statistics.median(deleted):.0f} ({max(deleted):.0f}) | "
             f"{statistics.median(scrubbed):.0f} ({max(scrubbed):.0f}) |"]
    write_result(args.out, "forget.md", lines)


if __name__ == "__main__":
    main()
