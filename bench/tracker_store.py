"""Rasa's SQL tracker store on SQLite, as stock Rasa runs it and as `rasa_server` runs it (its event-class fix):

    .venv/rasa/bin/python -m bench.tracker_store [--out bench/results]

Each configuration runs in its own process (the fix is process-wide): 40 conversations on one SQLite file, each turn a
retrieve, the events a turn adds (the user's message, an action, its answer, listen) and a save, as Rasa does per
message; 10 turns of each unmeasured, then 15 more measured (a conversation of 25 turns: the number of events a
measured retrieve reads is in the table). CPU and wall time per turn. Writes tracker_store.md.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench import ROOT, write_result
CONVERSATIONS, WARM, TURNS = 40, 400, 600


def run(patched: bool, db: Path) -> dict:
    """One configuration, in this process."""
    if patched:
        import rasa_server

        rasa_server.patch()
    from rasa.core.tracker_store import SQLTrackerStore
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.events import ActionExecuted, BotUttered, UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    domain = Domain.load(str(ROOT / "domain"))
    store = SQLTrackerStore(domain, dialect="sqlite", db=str(db))

    async def turn(k: int) -> int:
        sender = f"c{k % CONVERSATIONS}"
        tracker = await store.retrieve(sender) or DialogueStateTracker(sender, domain.slots)
        read = len(tracker.events)
        tracker.update(UserUttered(f"kur pārnakšņot {k}", {"name": "ask_shelter_tonight", "confidence": 0.9}))
        tracker.update(ActionExecuted("action_shelter"))
        tracker.update(BotUttered("Adrese: Šaurā iela 23, Daugavpils", {}))
        tracker.update(ActionExecuted("action_listen"))
        await store.save(tracker)
        return read

    async def main() -> dict:
        for k in range(WARM):
            await turn(k)
        read = 0
        cpu, wall = time.process_time(), time.perf_counter()
        for k in range(WARM, WARM + TURNS):
            read += await turn(k)
        return {"cpu_ms": 1000 * (time.process_time() - cpu) / TURNS,
                "wall_ms": 1000 * (time.perf_counter() - wall) / TURNS, "events_read": read / TURNS}

    return asyncio.run(main())


def main() -> None:
    ap = argparse.ArgumentParser(prog="python -m bench.tracker_store")
    ap.add_argument("--out", default="bench/results")
    ap.add_argument("--one", choices=["stock", "patched"], help=argparse.SUPPRESS)
    ap.add_argument("--db", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.one:
        print(json.dumps(run(args.one == "patched", Path(args.db))))
        return
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for rep in range(2):
            for name in ("stock", "patched"):
                out = subprocess.run([sys.executable, "-m", "bench.tracker_store", "--one", name,
                                      "--db", str(Path(tmp) / f"{name}{rep}.sqlite")], cwd=ROOT, check=True,
                                     capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
                rows.append((name, json.loads(out.stdout.strip().splitlines()[-1])))
    lines = ["# Rasa's SQL tracker store per turn (bench/tracker_store.py)", "",
             f"{CONVERSATIONS} conversations on one SQLite file, a retrieve and a save per turn, {TURNS} turns measured "
             f"after {WARM}. Two runs of each, alternating.", "",
             "| Rasa | CPU ms per turn | wall ms per turn | events a retrieve reads (mean) |", "|---|---|---|---|"]
    for name, r in rows:
        label = "stock 3.6.21" if name == "stock" else "through rasa_server (event classes remembered)"
        lines.append(f"| {label} | {r['cpu_ms']:.2f} | {r['wall_ms']:.2f} | {r['events_read']:.0f} |")
    write_result(args.out, "tracker_store.md", lines)


if __name__ == "__main__":
    main()
