"""NLU comparison on the held-out sets, same data, same run: our pipeline, stock Rasa 3.6 (`rasa init`), and a
TF-IDF + logistic regression baseline. Runs in the Rasa environment:

    .venv/rasa/bin/python -m bench.nlu [--out bench/results]

Reports intent macro-F1 (Latvian and Russian held-out sets), training time, model size and parse latency, and
writes a confusion-matrix image of our pipeline on the Latvian set.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
RASA = str(Path(sys.executable).parent / "rasa")
SETS = {"lv": ROOT / "tests/nlu/test_nlu_lv.yml", "ru": ROOT / "tests/nlu/test_nlu_ru.yml"}
STOCK = """recipe: default.v1
language: lv
pipeline:
  - name: WhitespaceTokenizer
  - name: RegexFeaturizer
  - name: LexicalSyntacticFeaturizer
  - name: CountVectorsFeaturizer
  - name: CountVectorsFeaturizer
    analyzer: char_wb
    min_ngram: 1
    max_ngram: 4
  - name: DIETClassifier
    epochs: 100
    constrain_similarities: true
  - name: EntitySynonymMapper
  - name: FallbackClassifier
    threshold: 0.3
    ambiguity_threshold: 0.1
policies: []
"""


def examples(path: Path) -> list[tuple[str, str]]:
    out = []
    for block in yaml.safe_load(path.read_text(encoding="utf-8"))["nlu"]:
        for line in (block.get("examples") or "").splitlines():
            t = line.strip().removeprefix("- ").strip()
            if t:
                out.append((t, block["intent"]))
    return out


def macro_f1(gold: list[str], pred: list[str]) -> float:
    from sklearn.metrics import f1_score

    return f1_score(gold, pred, labels=sorted(set(gold)), average="macro", zero_division=0)


def train(config: Path, out: Path, name: str) -> tuple[float, Path]:
    start = time.perf_counter()
    subprocess.run([RASA, "train", "nlu", "--config", str(config), "--nlu", "data/nlu", "--out", str(out),
                    "--fixed-model-name", name], cwd=ROOT, check=True, capture_output=True)
    return time.perf_counter() - start, out / f"{name}.tar.gz"


def evaluate(model: Path) -> dict:
    from rasa.core.agent import Agent

    agent = Agent.load(str(model))
    result, latencies, preds_lv = {}, [], None
    for lang, path in SETS.items():
        data = examples(path)
        preds = []
        for text, _ in data:
            t = time.perf_counter()
            parsed = asyncio.run(agent.parse_message(text))
            latencies.append((time.perf_counter() - t) * 1000)
            preds.append(parsed["intent"]["name"])
        result[lang] = macro_f1([g for _, g in data], preds)
        if lang == "lv":
            preds_lv = preds
    result["parse_ms"] = statistics.median(latencies)
    result["preds_lv"] = preds_lv
    return result


def baseline() -> dict:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    train_data = [e for p in sorted((ROOT / "data/nlu").glob("*.yml")) for e in examples(p)]
    start = time.perf_counter()
    clf = make_pipeline(TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 4), sublinear_tf=True),
                        LogisticRegression(max_iter=2000, C=10))
    clf.fit([t for t, _ in train_data], [i for _, i in train_data])
    seconds = time.perf_counter() - start
    out = {"train_s": seconds}
    for lang, path in SETS.items():
        data = examples(path)
        out[lang] = macro_f1([g for _, g in data], list(clf.predict([t for t, _ in data])))
    return out


def confusion_png(gold: list[str], pred: list[str], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from sklearn.metrics import ConfusionMatrixDisplay

    labels = sorted(set(gold) | set(pred))
    fig, ax = plt.subplots(figsize=(14, 14))
    ConfusionMatrixDisplay.from_predictions(gold, pred, labels=labels, ax=ax, xticks_rotation="vertical",
                                            colorbar=False, include_values=False)
    ax.set_title("Ceļvedis NLU, Latvian held-out set")
    fig.tight_layout()
    fig.savefig(path, dpi=80)


def main() -> None:
    """Train both pipelines, evaluate all three, write the report."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default="bench/results")
    args = ap.parse_args()
    out_dir = ROOT / args.out
    out_dir.mkdir(parents=True, exist_ok=True)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        stock_cfg = Path(tmp) / "stock.yml"
        stock_cfg.write_text(STOCK)
        for label, cfg in (("Ceļvedis (fold + stem + e5 + logistic regression)", ROOT / "config.yml"),
                           ("stock Rasa 3.6 (`rasa init` NLU pipeline, DIET 100 epochs)", stock_cfg)):
            seconds, model = train(cfg, Path(tmp), "m" + str(len(rows)))
            r = evaluate(model)
            rows.append((label, seconds, model.stat().st_size / 1e6, r))
            if len(rows) == 1:
                gold = [g for _, g in examples(SETS["lv"])]
                confusion_png(gold, r["preds_lv"], out_dir / "nlu_confusion_lv.png")
    b = baseline()
    lines = ["# NLU comparison", "",
             "Same training data (`data/nlu`), same held-out sets (`tests/nlu/test_nlu_lv.yml`, `test_nlu_ru.yml`), "
             "same run, this machine. Macro-F1 over intents; `nlu_fallback` counts as a miss.", "",
             "| pipeline | Latvian macro-F1 | Russian macro-F1 | training s | model MB | parse ms (median) |",
             "|---|---|---|---|---|---|"]
    for label, seconds, mb, r in rows:
        lines.append(f"| {label} | {r['lv']:.3f} | {r['ru']:.3f} | {seconds:.0f} | {mb:.1f} | {r['parse_ms']:.1f} |")
    lines.append(f"| TF-IDF char n-grams + logistic regression (sklearn) | {b['lv']:.3f} | {b['ru']:.3f} | "
                 f"{b['train_s']:.0f} | – | – |")
    lines += ["", "Training time includes Rasa's start-up (about 10 s). Confusion matrix of our pipeline on the "
              "Latvian set: `nlu_confusion_lv.png`.", ""]
    (out_dir / "nlu.md").write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
