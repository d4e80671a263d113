"""Command line: `python -m knowledge {migrate,load,validate,prepare}`."""

from __future__ import annotations

import argparse
import contextlib
import sys

from knowledge import loader, migrate, reports


def main(argv: list[str] | None = None) -> int:
    """Run one knowledge-base command; exit code 1 on invalid data."""
    parser = argparse.ArgumentParser(prog="python -m knowledge")
    parser.add_argument("command", choices=["migrate", "load", "validate", "prepare", "stale", "coverage", "export"])
    parser.add_argument("--url", help="database URL (default: KNOWLEDGE_DB_URL or the embedded SQLite file)")
    parser.add_argument("--months", type=int, default=12, help="stale: older than this many months (default 12)")
    parser.add_argument("--kind", action="append", help="export: only this kind (repeatable)")
    parser.add_argument("--csv", help="stale/export: write CSV to this file ('-' for standard output)")
    args = parser.parse_args(argv)

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


if __name__ == "__main__":
    sys.exit(main())
