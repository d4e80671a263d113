"""Are the classifier's confidences right for a writer the model has never read? Measured without looking at any
evaluation set: leave one training voice out. Each voice in `data/nlu/voices/` was written by a separate writer; each
is held out in turn, a model trained on everything else (`config.yml`, NLU only) parses it, and a sweep of
temperatures on the confidences (`bench.nlu_score.temperature_sweep`) shows which one gives the right topics the
highest likelihood, and what it would do to the confident errors, the calibration error and the fallbacks. Runs in
the Rasa environment (about ten minutes on 2 cores); README, "Confidence", says what was found:

    .venv/rasa/bin/python -m bench.calibrate [--out bench/results/calibration.json]
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.nlu_score import Item, Parse, _agent, load_set, parse_all, temperature_sweep

ROOT = Path(__file__).resolve().parents[1]
VOICES = ROOT / "data" / "nlu" / "voices"
GRID = [round(0.8 + 0.05 * i, 2) for i in range(25)]  # 0.8 ... 2.0


def train_without(voice: Path, work: Path, config: Path = ROOT / "config.yml") -> Path:
    """An NLU model trained on data/nlu without one voice's file."""
    data = work / f"data-{voice.stem}"
    shutil.copytree(ROOT / "data" / "nlu", data, ignore=lambda d, names: [voice.name] if Path(d) == VOICES else [])
    out = work / "models"
    subprocess.run([sys.executable, "-m", "rasa_server", "train", "nlu", "--config", str(config),
                    "--nlu", str(data), "--domain", str(ROOT / "domain"), "--out", str(out),
                    "--fixed-model-name", f"without-{voice.stem}"],
                   cwd=ROOT, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   env={**os.environ, "OMP_NUM_THREADS": "2", "RASA_TELEMETRY_ENABLED": "false"})  # as scripts/train.sh
    return out / f"without-{voice.stem}.tar.gz"


def held_out(work: Path, config: Path = ROOT / "config.yml") -> tuple[list[Item], list[Parse], dict[str, float]]:
    """Every voice's messages, each parsed by the model that never saw that voice; training seconds per voice."""
    items: list[Item] = []
    parses: list[Parse] = []
    seconds: dict[str, float] = {}
    for voice in sorted(VOICES.glob("*.yml")):
        started = time.monotonic()
        model = train_without(voice, work, config)
        seconds[voice.stem] = round(time.monotonic() - started, 1)
        voice_items = load_set(voice)
        items += voice_items
        parses += parse_all(model, voice_items)
        _agent.cache_clear()  # one model in memory at a time
        print(f"{voice.stem}: {len(voice_items)} messages, trained in {seconds[voice.stem]} s", file=sys.stderr)
    return items, parses, seconds


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.calibrate")
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "calibration.json")
    ap.add_argument("--config", type=Path, default=ROOT / "config.yml", help="the pipeline to measure")
    args = ap.parse_args(argv)
    from rasa.utils.log_utils import configure_structlog

    configure_structlog(logging.WARNING)  # not every parsed message at debug level
    with tempfile.TemporaryDirectory() as tmp:
        items, parses, seconds = held_out(Path(tmp), args.config.resolve())
    rows = temperature_sweep(items, parses, GRID)
    best = min(rows, key=lambda r: r["nll"])
    result = {"measured": time.strftime("%Y-%m-%d %H:%M"), "messages": len(items), "training_seconds": seconds,
              "lowest_nll_temperature": best["temperature"], "sweep": rows}
    args.out.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    for r in rows:
        print(f"T {r['temperature']:.2f}: NLL {r['nll']:.4f}  wrong>=0.8 {r['wrong_confident_share']:.3f}  "
              f"ECE {r['ece']:.3f}  fallback {r['fallback_share']:.3f}")
    print(f"lowest NLL on the held-out voices: temperature {best['temperature']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
