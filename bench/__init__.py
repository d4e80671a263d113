"""Benchmarks (`make bench`); each module writes its result into bench/results/."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def write_result(out: str | Path, name: str, lines: list[str]) -> None:
    """Write a benchmark's Markdown result into `out` (relative to the repository) and print it."""
    out_dir = ROOT / out
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))
