"""The survey report on synthetic events: 1,000,000 events over a year, the year's report (12 months × 42
municipalities) and one month's, timed; every printed count checked against the suppression rule; the national page
and one municipality page of the month rendered to PNG by headless Chromium.

    .venv/app/bin/python -m bench.survey [--events 1000000] [--out bench/results]

Not a test: the times depend on the machine.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import tempfile
import time
from pathlib import Path

from harness.chromium import chromium, screenshot
from knowledge import loader, migrate
from survey import report
from survey.synthetic import generate

YEAR, MONTH, PLACE = "2026", "2026-11", "Madonas novads"


def shown_small(pages: list[report.Page]) -> int:
    """Printed counts under 5 in every table of every page (the rule says: none)."""
    return sum(1 for p in pages for b in p.blocks if b[0] == "table" for row in b[2] for c in row
               if str(c).isdigit() and int(c) < report.SMALL)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and write survey.md (and two PNGs) to --out."""
    parser = argparse.ArgumentParser(prog="python -m bench.survey")
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--out", default="bench/results")
    args = parser.parse_args(argv)
    out = Path(args.out)
    with tempfile.TemporaryDirectory() as d:
        url = f"sqlite:///{d}/survey.sqlite"
        migrate.upgrade(url)
        loader.load(url)
        t0 = time.perf_counter()
        n = generate(url, YEAR, args.events)
        t_insert = time.perf_counter() - t0

        t0 = time.perf_counter()
        report.tally(url, report.months_of(YEAR)[1])
        t_tally = time.perf_counter() - t0
        t0 = time.perf_counter()
        label, year_pages = report.pages(url, YEAR)
        t_pages = time.perf_counter() - t0
        t0 = time.perf_counter()
        report.write(url, YEAR, Path(d) / "out", dt.date(2027, 1, 1))
        t_year = time.perf_counter() - t0
        t0 = time.perf_counter()
        html_path, pdf_path = report.write(url, MONTH, Path(d) / "out", dt.date(2026, 12, 1))
        t_month = time.perf_counter() - t0
        sizes = html_path.stat().st_size, pdf_path.stat().st_size
        month_label, month_pages = report.pages(url, MONTH)
        small = shown_small(year_pages) + shown_small(month_pages)
        national = next(p for p in month_pages if p.title == "Visa Latvija")
        place = next(p for p in month_pages if p.title == PLACE)
        rendered = chromium() is not None
        if rendered:
            screenshot(report.to_html(month_label, [national], dt.date(2026, 12, 1)), out / "survey_national.png",
                       950, 3200)
            screenshot(report.to_html(month_label, [place], dt.date(2026, 12, 1)), out / "survey_municipality.png",
                       950, 1900)
    lines = [
        "# The survey report on synthetic events",
        "",
        f"`python -m bench.survey --events {args.events}` on {dt.date.today().isoformat()}, SQLite, this machine "
        f"({os.cpu_count()} cores). Events: {n:,} over the 12 months of {YEAR} (`survey/synthetic.py`: the state "
        "cities busiest, 82 % questions, 10 % check-in answers, 4 % refusals with a reason, 4 % handoffs).",
        "",
        "| step | seconds |",
        "|---|---|",
        f"| insert {n:,} events | {t_insert:.1f} |",
        f"| the year's GROUP BY | {t_tally:.2f} |",
        f"| the year's pages ({len(year_pages)}: Latvia, 42 municipalities, no place said) with charts | {t_pages:.1f} |",
        f"| **the year's report, HTML and PDF (12 months × 42 municipalities)** | **{t_year:.1f}** |",
        f"| one month's report ({MONTH}), HTML and PDF | {t_month:.1f} |",
        "",
        f"Target: the year's report from 1,000,000 events in under 30 s — "
        f"{'met' if t_year < 30 and n >= 1_000_000 else 'not met'}.",
        f"Counts under 5 printed anywhere in the year's and the month's reports: **{small}**.",
        f"The month's files: HTML {sizes[0] / 1e6:.1f} MB (charts inline), PDF {sizes[1] / 1e6:.1f} MB.",
        "",
    ]
    if rendered:
        lines += ["The month's national page and one municipality page, rendered by headless Chromium:", "",
                  "![national](survey_national.png)", "", f"![{PLACE}](survey_municipality.png)", ""]
    (out / "survey.md").write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
