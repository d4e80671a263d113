"""Scores of a trained model on an NLU evaluation set: intent macro-F1 and accuracy, how often a wrong topic is
confident, the expected calibration error, who writes (requester) and the places named. Runs in the Rasa
environment:

    .venv/rasa/bin/python -m bench.nlu_score MODEL tests/nlu/blind_lv.yml [--json out.json]

Two set formats are read: Rasa's NLU YAML (the old held-out sets, intent only) and the blind sets' `messages:` list
(text, intent, requester, places, also). `tests/e2e/test_nlu_heldout.py` holds floors on these figures and
`bench/nlu.py` reports them side by side with stock Rasa.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import math
import statistics
import sys
import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from cards.payloads import RENAMED_INTENTS
from lvnorm.requester import PERSON, role_of
from rasa_server import patch, without_tensorflow

CONFIDENT = 0.8
FALLBACK = "nlu_fallback"


@dataclass
class Item:
    """One message of an evaluation set."""

    text: str
    intent: str
    requester: str | None = None
    places: list[str] = field(default_factory=list)
    also: list[str] = field(default_factory=list)


@dataclass
class Parse:
    """What the model said about one message."""

    intent: str  # after the fallback classifier
    top: str  # the likeliest topic, fallback or not
    confidence: float  # of `top`
    requester: str | None
    places: list[str]
    ms: float
    others: list[str] = field(default_factory=list)  # the other needs offered under the answer (lvnorm.other_needs)
    ranking: list[tuple[str, float]] = field(default_factory=list)  # the classifier's top ten, fallback left out


def load_set(path: Path) -> list[Item]:
    """Either format, as Items."""
    data = yaml.load(path.read_text(encoding="utf-8"), yaml.CSafeLoader)
    if "messages" in data:
        return [Item(m["text"], RENAMED_INTENTS.get(m["intent"], m["intent"]), m.get("requester"),
                     list(m.get("places") or []), [RENAMED_INTENTS.get(a, a) for a in m.get("also") or []])
                for m in data["messages"]]
    out = []
    for block in data["nlu"]:
        for line in (block.get("examples") or "").splitlines():
            t = line.strip().removeprefix("- ").strip()
            if t:
                out.append(Item(t, block["intent"]))
    return out


def macro_f1(gold: list[str], pred: list[str]) -> float:
    """Macro-F1 over the intents of the gold labels; a fallback is a miss."""
    from sklearn.metrics import f1_score

    return float(f1_score(gold, pred, labels=sorted(set(gold)), average="macro", zero_division=0))


def ece(confidences: list[float], correct: list[bool], bins: int = 10) -> float:
    """Expected calibration error: the gap between confidence and accuracy, averaged over equal-width bins."""
    total, n = 0.0, len(confidences)
    for b in range(bins):
        lo, hi = b / bins, (b + 1) / bins
        idx = [i for i, c in enumerate(confidences) if (lo < c <= hi) or (b == 0 and c == 0)]
        if idx:
            acc = sum(correct[i] for i in idx) / len(idx)
            conf = sum(confidences[i] for i in idx) / len(idx)
            total += len(idx) / n * abs(acc - conf)
    return total


def fallback_thresholds(config: Path = Path(__file__).resolve().parents[1] / "config.yml") -> tuple[float, float]:
    """(threshold, ambiguity_threshold) of the pipeline's FallbackClassifier."""
    pipeline = yaml.load(config.read_text(encoding="utf-8"), yaml.CSafeLoader)["pipeline"]
    fallback = next(c for c in pipeline if c["name"] == "FallbackClassifier")
    return float(fallback["threshold"]), float(fallback["ambiguity_threshold"])


def with_temperature(ranking: list[tuple[str, float]], t: float) -> list[tuple[str, float]]:
    """A ranking rescaled by a temperature, p ** (1 / t) renormalised over the ranking: t > 1 flattens it."""
    weights = [(name, max(p, 1e-12) ** (1 / t)) for name, p in ranking]
    total = sum(w for _, w in weights) or 1.0
    return [(name, w / total) for name, w in weights]


def temperature_sweep(items: list[Item], parses: list[Parse], temperatures: list[float]) -> list[dict]:
    """What a temperature on the classifier's confidences would do: wrong and confident, ECE, the mean negative
    log-likelihood of the right topic (what a fitted temperature minimises), and the fallback share."""
    threshold, ambiguity = fallback_thresholds()
    rows = []
    for t in temperatures:
        wrong, nll, fallbacks, confs, correct = 0, 0.0, 0, [], []
        for item, parse in zip(items, parses):
            ranked = with_temperature(parse.ranking, t)
            if not ranked:
                continue
            top, conf = ranked[0]
            second = ranked[1][1] if len(ranked) > 1 else 0.0
            fallback = conf < threshold or conf - second < ambiguity
            fallbacks += fallback
            wrong += not fallback and top != item.intent and conf >= CONFIDENT
            nll -= math.log(max(dict(ranked).get(item.intent, 0.0), 1e-6))
            confs.append(conf)
            correct.append(top == item.intent)
        n = len(items)
        rows.append({"temperature": t, "wrong_confident_share": wrong / n, "ece": ece(confs, correct),
                     "nll": nll / n, "fallback_share": fallbacks / n})
    return rows


def score(items: list[Item], parses: list[Parse]) -> dict:
    """Every figure of one set."""
    gold = [i.intent for i in items]
    pred = [p.intent for p in parses]
    correct_top = [p.top == i.intent for i, p in zip(items, parses)]
    wrong_confident = [i.text for i, p in zip(items, parses)
                       if p.intent != FALLBACK and p.intent != i.intent and p.confidence >= CONFIDENT]
    confusions = Counter((i.intent, p.intent) for i, p in zip(items, parses) if p.intent != i.intent)
    out = {
        "n": len(items),
        "macro_f1": macro_f1(gold, pred),
        "accuracy": sum(g == p for g, p in zip(gold, pred)) / len(items),
        "fallback_share": pred.count(FALLBACK) / len(items),
        "wrong_confident_share": len(wrong_confident) / len(items),
        "ece": ece([p.confidence for p in parses], correct_top),
        "parse_ms_median": statistics.median(p.ms for p in parses),
        "confusions": [[g, p, n] for (g, p), n in confusions.most_common(15)],
        "wrong_confident": wrong_confident[:20],
    }
    with_requester = [(i, p) for i, p in zip(items, parses) if i.requester]
    if with_requester:
        out["requester_accuracy"] = sum((p.requester or "self") == i.requester for i, p in with_requester) / len(
            with_requester)
    offered = sum(len(p.others) for p in parses)
    if any(i.also for i in items):  # several needs in one message: are the others offered, and only they?
        # a need counts as met when it is the answer's topic or one of the offers; an offer is right when the message
        # names it (its main need too: the answer went to another topic, the button to the right one)
        out["also_recall"] = sum(len(set(i.also) & {p.intent, *p.others}) for i, p in zip(items, parses)) / max(
            1, sum(len(i.also) for i in items))
        out["also_precision"] = sum(len({i.intent, *i.also} & set(p.others)) for i, p in zip(items, parses)) / max(
            1, offered)
        single = [p for i, p in zip(items, parses) if not i.also]
        out["single_need_offered_share"] = sum(bool(p.others) for p in single) / max(1, len(single))
        out["offers"] = [[i.text[:80], i.intent, i.also, p.intent, p.others]
                         for i, p in zip(items, parses) if p.others or i.also][:60]
    with_places = [(i, p) for i, p in zip(items, parses) if i.places]
    if with_places:
        out["places_accuracy"] = sum(p.places[:1] == i.places[:1] for i, p in with_places) / len(with_places)
    return out


@lru_cache(maxsize=None)
def _agent(model: Path):  # type: ignore[no-untyped-def]
    from rasa.core.agent import Agent

    return Agent.load(str(model))


def parse_all(model: Path, items: list[Item], rasa_encodes: bool = False) -> list[Parse]:
    """Parse every message with the model. By default each message brings its e5 vector as the front door sends it
    (computed for the whole set in one batch, and remembered: crisis.embedding.encode_fixed), so `ms` is Rasa's own
    work on a message from the front door; with `rasa_encodes` Rasa encodes each message itself, as stock Rasa and
    `rasa shell` would, and `ms` includes that. The figures are the same either way (the vectors are equal)."""
    from rasa.core.channels.channel import UserMessage

    from crisis import embedding

    processor = _agent(model).processor
    vectors = None if rasa_encodes else embedding.encode_fixed([item.text for item in items])
    out = []
    for k, item in enumerate(items):
        metadata = None if vectors is None else {embedding.METADATA_KEY: embedding.pack(item.text, vectors[k])}
        t = time.perf_counter()
        parsed = asyncio.run(processor.parse_message(UserMessage(item.text, metadata=metadata)))
        ms = (time.perf_counter() - t) * 1000
        ranking = [r for r in parsed.get("intent_ranking") or [] if r["name"] != FALLBACK]
        top = ranking[0] if ranking else parsed["intent"]
        entities = parsed.get("entities") or []
        relation = next((e["value"] for e in entities if e["entity"] == "requester"), None)
        role = role_of(relation)
        requester = None if role == PERSON else role
        places = [e["value"] for e in entities if e["entity"] == "municipality"]
        out.append(Parse(parsed["intent"]["name"], top["name"], float(top.get("confidence") or 0.0), requester,
                         places, ms, [n for n in parsed.get("other_needs") or [] if isinstance(n, str)],
                         [(r["name"], float(r.get("confidence") or 0.0)) for r in ranking]))
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.nlu_score")
    ap.add_argument("model", type=Path)
    ap.add_argument("sets", type=Path, nargs="+")
    ap.add_argument("--json", type=Path, help="write the figures here")
    ap.add_argument("--parses", type=Path, help="write every message's parse here (JSON lines)")
    ap.add_argument("--temperatures", help="also what these temperatures would do, e.g. 0.8,1,1.2,1.5,2")
    ap.add_argument("--rasa-encodes", action="store_true",
                    help="Rasa encodes each message itself (the parse time includes the e5 encoder)")
    args = ap.parse_args(argv)
    if not without_tensorflow.needs_tensorflow(args.model):  # ours: loaded as `rasa_server run` loads it
        without_tensorflow.apply()
    patch()  # before anything imports Rasa: a model loads 4 s sooner (rasa_server's docstring)
    from rasa.utils.log_utils import configure_structlog

    configure_structlog(logging.WARNING)  # Rasa's debug log holds every parsed text: never the sets' messages on screen
    results = {}
    for path in args.sets:
        items = load_set(path)
        parses = parse_all(args.model, items, args.rasa_encodes)
        results[path.name] = score(items, parses)
        if args.temperatures:
            sweep = temperature_sweep(items, parses, [float(t) for t in args.temperatures.split(",")])
            results[path.name]["temperatures"] = sweep
            for row in sweep:
                print(f"{path.name}: temperature {row['temperature']:g}: wrong>=0.8 {row['wrong_confident_share']:.3f} "
                      f"ECE {row['ece']:.3f} NLL {row['nll']:.3f} fallback {row['fallback_share']:.3f}", file=sys.stderr)
        if args.parses:
            with args.parses.open("a", encoding="utf-8") as fh:
                for i, p in zip(items, parses):
                    fh.write(json.dumps({"set": path.name, **asdict(i), "parse": asdict(p)}, ensure_ascii=False) + "\n")
        r = results[path.name]
        print(f"{path.name}: n={r['n']} macro-F1 {r['macro_f1']:.3f} accuracy {r['accuracy']:.3f} "
              f"wrong>=0.8 {r['wrong_confident_share']:.3f} ECE {r['ece']:.3f} fallback {r['fallback_share']:.3f} "
              f"requester {r.get('requester_accuracy', float('nan')):.3f} places {r.get('places_accuracy', float('nan')):.3f} "
              f"also recall {r.get('also_recall', float('nan')):.3f} precision {r.get('also_precision', float('nan')):.3f} "
              f"single-need offered {r.get('single_need_offered_share', float('nan')):.3f} "
              f"parse {r['parse_ms_median']:.1f} ms ({'Rasa encodes' if args.rasa_encodes else 'vector sent'})",
              file=sys.stderr)
    if args.json:
        args.json.write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
