"""Command line: `python -m survey report --month 2026-12` (or a year, `--month 2026`) writes reports/celvedis-
<period>.html and .pdf; `python -m survey synth --month 2026-12 --events 100000 --url sqlite:///synthetic.db` fills
a database with synthetic events to try the report on."""

from __future__ import annotations

import argparse
import datetime as dt
import time
from pathlib import Path

from knowledge.hours import RIGA
from survey.report import last_month, write


def main(argv: list[str] | None = None) -> int:
    """Run one command."""
    parser = argparse.ArgumentParser(prog="python -m survey")
    parser.add_argument("command", choices=["report", "synth"])
    parser.add_argument("--month", help="YYYY-MM or YYYY (report: default the last month)")
    parser.add_argument("--url", help="database URL (default: KNOWLEDGE_DB_URL or the embedded SQLite file)")
    parser.add_argument("--out", default="reports", help="report: directory (default reports/)")
    parser.add_argument("--events", type=int, default=100_000, help="synth: how many events")
    args = parser.parse_args(argv)
    spec = args.month or last_month(dt.datetime.now(RIGA).date())
    started = time.perf_counter()
    if args.command == "synth":
        from survey.synthetic import generate

        n = generate(args.url, spec, args.events)
        print(f"{n} synthetic events for {spec} in {time.perf_counter() - started:.1f} s")
        return 0
    html_path, pdf_path = write(args.url, spec, Path(args.out))
    print(f"{html_path}\n{pdf_path}\n({time.perf_counter() - started:.1f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
