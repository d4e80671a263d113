"""Command line: `python -m knowledge {migrate,load,validate,prepare}`."""

from __future__ import annotations

import argparse
import sys

from knowledge import loader, migrate


def main(argv: list[str] | None = None) -> int:
    """Run one knowledge-base command; exit code 1 on invalid data."""
    parser = argparse.ArgumentParser(prog="python -m knowledge")
    parser.add_argument("command", choices=["migrate", "load", "validate", "prepare"])
    parser.add_argument("--url", help="database URL (default: KNOWLEDGE_DB_URL or the embedded SQLite file)")
    args = parser.parse_args(argv)

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
