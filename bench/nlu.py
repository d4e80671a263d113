"""NLU comparison, same data, same run: our pipeline, stock Rasa 3.6 (`rasa init`), and a TF-IDF + logistic
regression baseline, on the blind sets (tests/nlu/blind_*.yml) and the team's old held-out sets. The two Rasa models
are the ones the load benchmark serves (bench/models.py: trained from scratch when their inputs change, else reused),
so `make bench` writes this comparison every run. Runs in the Rasa environment:

    .venv/rasa/bin/python -m bench.nlu [--out bench/results]

Reports intent macro-F1, wrong-and-confident share, expected calibration error, who writes, whether the ranking names
a message's other needs,
training time, model size and parse latency (bench/nlu_score.py computes them), the figures before this round's
changes (bench/results/nlu_before.json, the same scorer on the model of commit 926ab47), and a confusion-matrix image
of our pipeline on the Latvian blind set.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
SETS = {name: ROOT / "tests/nlu" / name for name in ("blind_lv.yml", "blind_ru.yml", "test_nlu_lv.yml", "test_nlu_ru.yml")}
OLD = {"lv": SETS["test_nlu_lv.yml"], "ru": SETS["test_nlu_ru.yml"]}  # the baseline's sets (intent only)
def examples(path: Path) -> list[tuple[str, str]]:
    out = []
    for block in yaml.load(path.read_text(encoding="utf-8"), yaml.CSafeLoader)["nlu"]:
        for line in (block.get("examples") or "").splitlines():
            t = line.strip().removeprefix("- ").strip()
            if t:
                out.append((t, block["intent"]))
    return out


def macro_f1(gold: list[str], pred: list[str]) -> float:
    from sklearn.metrics import f1_score

    return f1_score(gold, pred, labels=sorted(set(gold)), average="macro", zero_division=0)


def evaluate(model: Path, vector_sent: bool = False) -> dict:
    """Every figure of bench/nlu_score on every set, and the parses of the Latvian blind set. With `vector_sent`, each
    set's parse time is also measured as Rasa runs behind our front door: the message brings its e5 vector
    (`parse_ms_vector_sent`; the figures are the same, the vectors being equal)."""
    from bench.nlu_score import load_set, parse_all, score

    out = {}
    for name, path in SETS.items():
        items = load_set(path)
        parses = parse_all(model, items, rasa_encodes=True)  # as stock Rasa does: the parse time includes it
        out[name] = score(items, parses)
        if vector_sent:
            out[name]["parse_ms_vector_sent"] = statistics.median(p.ms for p in parse_all(model, items))
        if name == "blind_lv.yml":
            out["gold_lv"], out["preds_lv"] = [i.intent for i in items], [p.intent for p in parses]
    return out


def baseline() -> dict:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    train_data = [e for p in sorted((ROOT / "data/nlu").rglob("*.yml")) for e in examples(p)]
    start = time.perf_counter()
    clf = make_pipeline(TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 4), sublinear_tf=True),
                        LogisticRegression(max_iter=2000, C=10))
    clf.fit([t for t, _ in train_data], [i for _, i in train_data])
    seconds = time.perf_counter() - start
    out = {"train_s": seconds}
    for lang, path in OLD.items():
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
    ax.set_title("Ceļvedis NLU, Latvian blind set")
    fig.tight_layout()
    fig.savefig(path, dpi=80)


def _row(label: str, r: dict, seconds: float | None = None, mb: float | None = None) -> str:
    def f(name: str, key: str) -> str:
        v = r.get(name, {}).get(key)
        return "–" if v is None else f"{v:.3f}"

    parse = statistics.median(r[n]["parse_ms_median"] for n in SETS if n in r)
    sent = [r[n]["parse_ms_vector_sent"] for n in SETS if "parse_ms_vector_sent" in r.get(n, {})]
    return (f"| {label} | {f('blind_lv.yml', 'macro_f1')} | {f('blind_ru.yml', 'macro_f1')} | "
            f"{f('test_nlu_lv.yml', 'macro_f1')} | {f('test_nlu_ru.yml', 'macro_f1')} | "
            f"{f('blind_lv.yml', 'wrong_confident_share')} / {f('blind_ru.yml', 'wrong_confident_share')} | "
            f"{f('blind_lv.yml', 'ece')} / {f('blind_ru.yml', 'ece')} | "
            f"{'–' if seconds is None else f'{seconds:.0f}'} | {'–' if mb is None else f'{mb:.1f}'} | {parse:.1f} | "
            f"{f'{statistics.median(sent):.1f}' if sent else '–'} |")


def figures(scores: dict) -> dict:
    """A set's scores without the lists of messages they were computed from (those are the set's own text)."""
    return {k: v for k, v in scores.items() if k not in ("wrong_confident", "offers")}


def main() -> None:
    """Evaluate both models and the baseline; write nlu.md (the report includes it) and nlu.json (the same figures,
    raw, for comparing runs; no message text)."""
    from bench import models
    from rasa_server import patch

    patch()  # before Rasa is imported: rasa_server's fixes for ours, as served (none of them touches stock's NLU)
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default="bench/results")
    args = ap.parse_args()
    out_dir = ROOT / args.out
    out_dir.mkdir(parents=True, exist_ok=True)
    rows = []
    for name, label in (("ours", "Ceļvedis (`config.yml`: fold + stem + slang lexicon + e5 + logistic regression)"),
                        ("stock", "stock Rasa 3.6 (`bench/stock/config.yml`: `rasa init`, DIET 100 epochs)")):
        m = models.ensure(name)
        r = evaluate(ROOT / m.path, vector_sent=name == "ours")
        rows.append((name, label, m.train_seconds, m.size_mb, r))
        if name == "ours":
            confusion_png(r["gold_lv"], r["preds_lv"], out_dir / "nlu_confusion_lv.png")
    b = baseline()
    ours = rows[0][4]
    lines = ["# NLU comparison", "",
             "Same training data (`data/nlu`), same sets, same run, this machine. Blind sets: written by someone who "
             "saw only the intent list and the personas (`docs/blind-sets.md`); old held-out: written by the team. "
             "Macro-F1 over intents; `nlu_fallback` counts as a miss. Wrong & confident: share of messages given a "
             "wrong topic with confidence ≥ 0.8 (target ≤ 0.02). ECE: expected calibration error, 10 bins.", "",
             "| pipeline | blind lv F1 | blind ru F1 | old lv F1 | old ru F1 | wrong & confident lv / ru | ECE lv / ru "
             "| training s | model MB | parse ms (median) | parse ms behind the front door (median) |",
             "|---|---|---|---|---|---|---|---|---|---|---|"]
    before = out_dir / "nlu_before.json"
    if before.exists():
        lines.append(_row("before this round (commit 926ab47, measured 2026-12-05; old sets with the labels of then)",
                         json.loads(before.read_text())))
    for _, label, seconds, mb, r in rows:
        lines.append(_row(label, r, seconds, mb))
    lines.append(f"| TF-IDF char n-grams + logistic regression (sklearn) | – | – | {b['lv']:.3f} | {b['ru']:.3f} | – | – | "
                 f"{b['train_s']:.0f} | – | – | – |")
    lines += ["", "Who writes (self / relative / worker), and whether the classifier's ranking could name a message's "
              "other needs (other topics with confidence ≥ 0.15; not shipped: see the figures), our pipeline:", "",
              "| set | requester accuracy | other needs in the ranking: recall / precision | single-need messages with "
              "a false other need |", "|---|---|---|---|"]
    for name in ("blind_lv.yml", "blind_ru.yml"):
        r = ours[name]
        lines.append(f"| {name} | {r['requester_accuracy']:.3f} | {r['also_recall']:.3f} / {r['also_precision']:.3f} | "
                     f"{r['single_need_offered_share']:.3f} |")
    lines += ["", "Confusions that remain (our pipeline, blind sets; gold → predicted, count):", ""]
    for name in ("blind_lv.yml", "blind_ru.yml"):
        lines.append(f"- {name}: " + "; ".join(f"{g} → {p} ({n})" for g, p, n in ours[name]["confusions"][:10]))
    lines += ["", "Training: the whole model (NLU and dialogue policies) from scratch with Rasa's start-up, as `make bench` "
              "trained it (`bench/models.py`); the baseline's, its fit alone. Parse: the median over the four sets of "
              "each set's median; Rasa encodes each message itself, as stock Rasa does and `rasa shell` would. Behind "
              "the front door: as ours runs in production, where the message brings the e5 vector the front door "
              "computed for the crisis signal (`crisis/embedding.py`), so Rasa encodes nothing. Confusion matrix "
              "of our pipeline on the Latvian blind set: `nlu_confusion_lv.png`.", ""]
    (out_dir / "nlu.md").write_text("\n".join(lines), encoding="utf-8")
    json.dump({name: {k: figures(v) for k, v in r.items() if k not in ("gold_lv", "preds_lv")}
               for name, _, _, _, r in rows}, (out_dir / "nlu.json").open("w"), ensure_ascii=False, indent=1, default=str)
    print("\n".join(lines))


if __name__ == "__main__":
    main()
