"""The two models the load benchmark serves, trained only when their inputs change:

    python -m bench.models [ours|stock ...]      # prints one JSON line per model

`ours` is config.yml; `stock` is bench/stock/config.yml (what `rasa init` trains, with our language). Both are
trained on the same domain/ and data/ with `--fixed-model-name`, into models/bench/, keyed by a fingerprint of
their inputs (like scripts/train.sh, but YAML by what it holds: a comment retrains nothing). Each training runs with
an empty Rasa component cache, so the recorded training time is a training from scratch, not a cache hit; it is kept
next to the model in a JSON file.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import tempfile
import time

import yaml
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = ROOT / ".venv" / "rasa" / "bin" / "python"
OUT = ROOT / "models" / "bench"

# What each model depends on (paths relative to the repository). Ours also reads our NLU code, the crisis patterns
# and the shared sentence vector (crisis/), the gazetteer, and rasa_server, which trains it as scripts/train.sh does
# (its patches must also hold while training); stock is trained by plain Rasa.
INPUTS = {
    "ours": ["config.yml", "domain", "data", "nlu_components", "lvnorm", "crisis/detect.py", "crisis/embedding.py",
             "crisis/patterns.yml", "knowledge/data/municipalities.yaml", "requirements/rasa.lock", "rasa_server"],
    "stock": ["bench/stock/config.yml", "domain", "data", "requirements/rasa.lock"],
}
CONFIG = {"ours": "config.yml", "stock": "bench/stock/config.yml"}
LAUNCHER = {"ours": ["-m", "rasa_server"], "stock": ["-m", "rasa"]}


@dataclass
class Model:
    name: str
    path: str
    fingerprint: str
    train_seconds: float | None
    trained_at: str
    size_mb: float
    load_average: float  # 1-minute load average when the training finished (the machine is shared)


def fingerprint(name: str, root: Path = ROOT) -> str:
    """A hash of the model's inputs. A YAML file counts by what it holds, not its bytes: a comment changes no model,
    and retraining stock costs 80 to 100 minutes."""
    h = hashlib.sha256()
    files: list[Path] = []
    for rel in INPUTS[name]:
        p = root / rel
        files += sorted(f for f in p.rglob("*") if f.is_file() and f.suffix in (".yml", ".yaml", ".py", ".lock")) \
            if p.is_dir() else [p]
    for f in sorted(files):
        h.update(str(f.relative_to(root)).encode() + b"\0" + _content(f) + b"\1")
    return h.hexdigest()[:16]


def _content(path: Path) -> bytes:
    """The file's bytes, or for YAML its data in a canonical form."""
    if path.suffix not in (".yml", ".yaml"):
        return path.read_bytes()
    data = yaml.load(path.read_text(encoding="utf-8"), yaml.CSafeLoader)
    return json.dumps(data, sort_keys=True, ensure_ascii=False, default=str).encode()


def ensure(name: str, log=sys.stderr) -> Model:
    """The cached model for `name`, training it first when its inputs changed."""
    fp = fingerprint(name)
    model, meta = OUT / f"{name}-{fp}.tar.gz", OUT / f"{name}-{fp}.json"
    if model.exists() and meta.exists():
        return Model(**json.loads(meta.read_text()))
    OUT.mkdir(parents=True, exist_ok=True)
    print(f"bench: training the {name} model ({CONFIG[name]}); stock took 80 to 98 minutes on 2 cores (2026-12-06)", file=log)
    with tempfile.TemporaryDirectory(prefix="celvedis-bench-cache-") as cache:
        env = dict(os.environ, RASA_CACHE_DIRECTORY=cache, RASA_TELEMETRY_ENABLED="false")
        start = time.perf_counter()
        with (OUT / f"{name}-{fp}.train.log").open("w") as fh:
            proc = subprocess.run(
                [str(PYTHON), *LAUNCHER[name], "train", "--config", CONFIG[name], "--domain", "domain", "--data", "data",
                 "--out", str(OUT), "--fixed-model-name", f"{name}-{fp}"],
                cwd=ROOT, env=env, stdout=fh, stderr=subprocess.STDOUT,
            )
        seconds = time.perf_counter() - start
    if proc.returncode != 0 or not model.exists():
        raise SystemExit(f"bench: training {name} failed, see {OUT / f'{name}-{fp}.train.log'}")
    for old in OUT.glob(f"{name}-*"):
        if fp not in old.name:
            old.unlink()
    m = Model(name, str(model.relative_to(ROOT)), fp, round(seconds, 1), time.strftime("%Y-%m-%d %H:%M"),
              round(model.stat().st_size / 1e6, 1), os.getloadavg()[0])
    meta.write_text(json.dumps(asdict(m)))
    return m


def main() -> None:
    for name in sys.argv[1:] or ["ours", "stock"]:
        print(json.dumps(asdict(ensure(name))), flush=True)


if __name__ == "__main__":
    main()
