"""Knowledge-base query benchmark on a synthetic knowledge base of 100,000 services (SQLite and PostgreSQL).

    .venv/app/bin/python -m bench.kb [--services 100000] [--pg postgresql+psycopg://...] [--out bench/results]

Measures, after a warm-up: "services of a kind in a municipality, open now", "nearest 5 to a point", and
place-name resolution per message. Writes a Markdown report. Not a test: figures depend on the machine.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import tempfile
import time
from pathlib import Path

from sqlalchemy import MetaData, create_engine, insert

from knowledge import loader, migrate
from knowledge.hours import RIGA
from knowledge.models import Phone, Service
from knowledge.repository import SqlKnowledgeRepository

KINDS = ["night_shelter", "shelter", "day_centre", "social_service", "soup_kitchen", "food_packages", "rehab"]
RULES = [
    [{"season_from": "11-01", "season_to": "03-01", "days": "mon-sun", "open": "17:00", "close": "09:00"},
     {"season_from": "03-02", "season_to": "10-31", "days": "mon-sun", "open": "20:00", "close": "07:00"}],
    [{"season_from": None, "season_to": None, "days": "mon-fri", "open": "09:00", "close": "17:00"}],
    [],
]


def synthesize(url: str, n: int, seed: int = 7) -> list[str]:
    """Add n synthetic services (with phones and coordinates inside Latvia) to a loaded knowledge base."""
    rnd = random.Random(seed)
    eng = create_engine(url)
    with eng.connect() as c:
        municipality_ids = [r[0] for r in c.exec_driver_sql("SELECT id FROM municipality WHERE merged_into IS NULL")]
    rows, phones = [], []
    for i in range(n):
        sid = f"synthetic-{i}"
        rows.append({
            "id": sid, "kind": rnd.choice(KINDS), "name": f"Synthetic {i}", "municipality_id": rnd.choice(municipality_ids),
            "address": f"Iela {i}", "hours_text": "x", "hours_rules": rnd.choice(RULES), "conditions_text": [],
            "bring": [], "languages": [], "latitude": round(rnd.uniform(55.7, 58.0), 6),
            "longitude": round(rnd.uniform(21.0, 28.2), 6), "source_url": "synthetic", "source_date": "2026",
            "verified_on": dt.date(2026, 11, 25), "confidence": rnd.choice(["verified", "partially_verified"]),
            "has_phone": True, "phone_list": [[f"6{i:07d}"[:8], None, None]],
        })
        phones.append({"service_id": sid, "position": 0, "number": f"6{i:07d}"[:8], "label": None})
    with eng.begin() as c:
        for k in range(0, n, 5000):
            c.execute(insert(Service), rows[k : k + 5000])
            c.execute(insert(Phone), phones[k : k + 5000])
    if url.startswith("postgresql"):
        with eng.begin() as c:
            c.exec_driver_sql("ANALYZE")
    eng.dispose()
    return municipality_ids


def timed(fn, repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t) * 1000)
    return out


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def bench(url: str, n: int, repeat: int) -> dict:
    repo = SqlKnowledgeRepository(url)
    names = [m.municipality for m in __import__("knowledge.reports", fromlist=["coverage"]).coverage(url)]
    rnd = random.Random(1)
    now = dt.datetime(2026, 11, 25, 23, 0, tzinfo=RIGA)

    def open_now():
        repo.services([rnd.choice(KINDS)], rnd.choice(names), at=now, limit=5)

    def nearest():
        repo.nearest(["night_shelter", "shelter"], rnd.uniform(56.0, 57.8), rnd.uniform(21.5, 27.8), 5)

    for fn in (open_now, nearest):
        timed(fn, 20)  # warm-up
    a, b = timed(open_now, repeat), timed(nearest, repeat)
    return {"open_now": a, "nearest": b, "rows_per_open_now": len(repo.services([KINDS[0]], names[0], at=now))}


def place_resolution(repeat: int) -> list[float]:
    from lvnorm.places import PlaceResolver, load_gazetteer

    resolver = PlaceResolver(load_gazetteer(Path(__file__).resolve().parent.parent / "knowledge/data/municipalities.yaml"))
    messages = ["Kur es varu pārnakšņot šonakt Daugavpilī?", "mans dēls rīt iznāk, dzīvos Ogrē pie tantes",
                "где переночевать в Риге", "Vai Jelgavas novadā ir zupas virtuve?", "sveiki"]
    out = []
    for i in range(repeat):
        t = time.perf_counter()
        resolver.resolve(messages[i % len(messages)])
        out.append((time.perf_counter() - t) * 1000)
    return out


def main() -> None:
    """Run and write the report."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--services", type=int, default=100_000)
    ap.add_argument("--repeat", type=int, default=1000)
    ap.add_argument("--pg", default=os.environ.get("BENCH_PG_URL"))
    ap.add_argument("--out", default="bench/results")
    args = ap.parse_args()
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        urls = {"SQLite": f"sqlite:///{tmp}/kb.sqlite"}
        if args.pg:
            urls["PostgreSQL"] = args.pg
        for label, url in urls.items():
            if url.startswith("postgresql"):
                meta = MetaData()
                eng = create_engine(url)
                meta.reflect(eng)
                meta.drop_all(eng)
                eng.dispose()
            migrate.upgrade(url)
            loader.load(url)
            synthesize(url, args.services)
            results[label] = bench(url, args.services, args.repeat)
    places = place_resolution(args.repeat * 10)
    lines = [
        "# Knowledge-base query benchmark", "",
        f"{args.services:,} synthetic services plus the real data; {args.repeat} queries each after 20 warm-up queries; "
        "one process, loopback. Target: p95 under 5 ms.", "",
        "| engine | query | p50 ms | p95 ms | p99 ms |", "|---|---|---|---|---|",
    ]
    for label, r in results.items():
        for q, title in (("open_now", "services of a kind in a municipality, open now"), ("nearest", "nearest 5 to a point")):
            v = r[q]
            lines.append(f"| {label} | {title} | {pct(v, 50):.2f} | {pct(v, 95):.2f} | {pct(v, 99):.2f} |")
    lines += ["", f"Place-name resolution per message: p50 {pct(places, 50) * 1000:.0f} µs, "
              f"p95 {pct(places, 95) * 1000:.0f} µs, mean {statistics.mean(places) * 1000:.0f} µs (target under 1 ms).", ""]
    Path(args.out).mkdir(parents=True, exist_ok=True)
    (Path(args.out) / "kb.md").write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
