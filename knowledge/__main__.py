"""Command line: `python -m knowledge {migrate,load,validate,prepare,stale,coverage,export,nearest,
export-verifications}`."""

from __future__ import annotations

import argparse
import contextlib
import sys

from knowledge import loader, migrate, reports


def main(argv: list[str] | None = None) -> int:
    """Run one knowledge-base command; exit code 1 on invalid data."""
    parser = argparse.ArgumentParser(prog="python -m knowledge")
    parser.add_argument("command", choices=["migrate", "load", "validate", "prepare", "stale", "coverage", "export",
                                            "nearest", "export-verifications"])
    parser.add_argument("--url", help="database URL (default: KNOWLEDGE_DB_URL or the embedded SQLite file)")
    parser.add_argument("--months", type=int, default=12, help="stale: older than this many months (default 12)")
    parser.add_argument("--kind", action="append", help="export, nearest: only this kind (repeatable)")
    parser.add_argument("--municipality", help="nearest: from this municipality's centre, in the others")
    parser.add_argument("--lat", type=float, help="nearest: from this point (with --lon)")
    parser.add_argument("--lon", type=float)
    parser.add_argument("--limit", type=int, default=5, help="nearest: how many (default 5)")
    parser.add_argument("--csv", help="stale/export: write CSV to this file ('-' for standard output)")
    args = parser.parse_args(argv)

    if args.command in _READS and not _loaded(args.url):
        print("The knowledge base is empty: run `python -m knowledge prepare` first.", file=sys.stderr)
        return 2
    if args.command == "nearest":
        return _nearest(args)
    if args.command == "export-verifications":
        from knowledge import writeback

        n = writeback.export(args.url)
        print(f"{n} answers of volunteers' calls written into {loader.DATA.name}/ (review them with git diff)")
        return 0
    if args.command == "coverage":
        print(reports.coverage_table(reports.coverage(args.url)))
        return 0
    if args.command in ("stale", "export"):
        rows = reports.stale(args.url, args.months) if args.command == "stale" else reports.export(args.url, args.kind)
        if args.csv:
            target = contextlib.nullcontext(sys.stdout) if args.csv == "-" else open(args.csv, "w", encoding="utf-8", newline="")
            with target as out:
                reports.write_csv(rows, out)
        if args.command == "stale" and args.csv != "-":
            per: dict[str, int] = {}
            for r in rows:
                per[r["municipality"] or "(national)"] = per.get(r["municipality"] or "(national)", 0) + 1
            print(f"| municipality | records verified more than {args.months} months ago |\n|---|---|")
            for name, n in sorted(per.items()):
                print(f"| {name} | {n} |")
            print(f"{len(rows)} stale records")
        return 0

    if args.command == "validate":
        ds = loader.read()
        for e in ds.errors:
            print(e, file=sys.stderr)
        print(f"{len(ds.municipalities)} municipalities, {len(ds.services)} services, {len(ds.errors)} errors")
        return 1 if ds.errors else 0
    if args.command in ("migrate", "prepare"):
        migrate.upgrade(args.url)
    if args.command in ("load", "prepare"):
        ds = loader.load(args.url)
        print(f"loaded {len(ds.municipalities)} municipalities and {len(ds.services)} services")
    return 0


_READS = ("stale", "coverage", "export", "nearest", "export-verifications")  # commands that need loaded data


def _loaded(url: str | None) -> bool:
    """Whether the database has been migrated and loaded (a fresh checkout's has not)."""
    from sqlalchemy import inspect

    from knowledge.db import engine

    return inspect(engine(url)).has_table("municipality")


def _nearest(args) -> int:
    """The nearest services of the kinds asked, with the distance and how exactly each point is known."""
    from knowledge.records import SHELTER_KINDS
    from knowledge.repository import SqlKnowledgeRepository

    repo = SqlKnowledgeRepository(args.url)
    kinds = args.kind or list(SHELTER_KINDS)
    if args.municipality:
        found = repo.nearest_elsewhere(kinds, args.municipality, args.limit)
        origin = repo.centre(args.municipality)
        if origin is None:
            print(f"unknown municipality or no centre: {args.municipality}", file=sys.stderr)
            return 1
        print(f"from {origin[2]} ({origin[0]:.4f}, {origin[1]:.4f}), outside {args.municipality}:")
    elif args.lat is not None and args.lon is not None:
        found = repo.nearest(kinds, args.lat, args.lon, args.limit)
        print(f"from ({args.lat:.4f}, {args.lon:.4f}):")
    else:
        print("nearest needs --municipality NAME or --lat LAT --lon LON", file=sys.stderr)
        return 2
    for s in found:
        print(f"{s.distance_km:6.1f} km  {s.name} | {s.address or '-'} | {s.municipality} | point: {s.location_precision}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
