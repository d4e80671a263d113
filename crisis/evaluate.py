"""Recall on crisis statements and false alarms on calm messages, for every labelled set, patterns alone and with the
statistical signal: the figures the tests hold and the bench report prints."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import yaml

from crisis.detect import is_explicit
from crisis.model import CrisisModel, probabilities, read_vectors

ROOT = Path(__file__).resolve().parent.parent
SETS = ROOT / "tests" / "crisis"
# (name, file, who wrote it): the old set first, then the blind ones in the order they were written.
CRISIS_SETS = (
    ("old held-out", "crisis_heldout.yml", "team, 2026-11"),
    ("blind A", "blind_a_explicit.yml", "blind writer, 2026-12-05"),
    ("blind B", "blind_b_explicit.yml", "blind writer, 2026-12-05"),
    ("blind C", "blind_c_explicit.yml", "blind writer, 2026-12-05"),
    ("blind D", "blind_d_explicit.yml", "blind writer, 2026-12-05"),
)
CALM_SETS = (
    ("old held-out", "crisis_heldout.yml", "team, 2026-11"),
    ("blind A lv", "blind_a_calm_lv.yml", "blind writer, 2026-12-05"),
    ("blind A ru", "blind_a_calm_ru.yml", "blind writer, 2026-12-05"),
    ("blind B", "blind_b_calm.yml", "blind writer, 2026-12-05"),
    ("blind C", "blind_c_calm.yml", "blind writer, 2026-12-05"),
    ("blind D", "blind_d_calm.yml", "blind writer, 2026-12-05"),
    ("blind E", "blind_e_calm.yml", "blind writer, 2026-12-07"),
    ("blind F", "blind_f_calm.yml", "blind writer, 2026-12-07"),
)


# The crisis messages of the blind NLU sets (tests/nlu/), written by another blind writer for the understanding issue:
# text the patterns were never fitted to.
NLU_CRISIS = ("NLU blind (crisis intent)", ("blind_lv.yml", "blind_ru.yml"), "blind writer, 2026-12-05")


def nlu_crisis_texts() -> list[str]:
    """The messages of the blind NLU sets labelled `crisis`."""
    sets = [yaml.load((ROOT / "tests" / "nlu" / file).read_text(encoding="utf-8"), yaml.CSafeLoader)
            for file in NLU_CRISIS[1]]
    return [m["text"] for data in sets for m in data["messages"] if m["intent"] == "crisis"]


def crisis_texts(file: str) -> list[str]:
    """The crisis messages of a set (the old set keeps them per language)."""
    data = yaml.load((SETS / file).read_text(encoding="utf-8"), yaml.CSafeLoader)["crisis"]
    return [t for items in data.values() for t in items] if isinstance(data, dict) else [m["text"] for m in data]


def calm_texts(file: str) -> list[tuple[str, str]]:
    """(text, kind) of the calm messages of a set: ordinary, near_miss or distress."""
    data = yaml.load((SETS / file).read_text(encoding="utf-8"), yaml.CSafeLoader)
    if "not_crisis" in data:
        return [(t, "ordinary") for items in data["not_crisis"].values() for t in items]
    return [(m["text"], m.get("kind", "ordinary")) for m in data["calm"]]


@dataclass(frozen=True)
class Scores:
    """What the crisis signal did on one set."""

    name: str
    messages: int
    blocks: int  # the crisis block first (the patterns)
    urgent: int  # 112 and 116123 first, in two lines (the model nearly sure; the patterns silent)
    gentle: int  # the gentle line about 116123 under the answer (the model; the patterns silent)
    missed: tuple[str, ...]  # crisis messages that got none of them

    @property
    def first(self) -> int:
        """Messages that were shown the numbers before anything else."""
        return self.blocks + self.urgent

    @property
    def numbers(self) -> int:
        """Messages that were shown 116123 one way or the other."""
        return self.blocks + self.urgent + self.gentle


def score(name: str, texts: list[str], model: CrisisModel, vectors: np.ndarray) -> Scores:
    """The decision for every text, as crisis.signal makes it, with the vectors computed in one batch."""
    p = probabilities(model._stored[0], vectors) if len(texts) else np.zeros(0)
    block = [is_explicit(t) for t in texts]
    levels = ["explicit" if b else model.level(float(q)) for b, q in zip(block, p)]
    urgent = [level == "urgent" for level in levels]
    gentle = [level == "distress" for level in levels]
    return Scores(name, len(texts), sum(block), sum(urgent), sum(gentle),
                  tuple(t for t, b, u, g in zip(texts, block, urgent, gentle) if not (b or u or g)))


def scores(model: CrisisModel | None = None) -> tuple[list[Scores], list[tuple[Scores, dict[str, Scores]]]]:
    """(crisis sets, calm sets each with its scores per kind: ordinary, near_miss, distress)."""
    model = model or CrisisModel()
    crisis = []
    for name, file, _ in CRISIS_SETS:
        texts = crisis_texts(file)
        crisis.append(score(name, texts, model, read_vectors(texts)))
    texts = nlu_crisis_texts()
    crisis.append(score(NLU_CRISIS[0], texts, model, read_vectors(texts)))
    calm = []
    for name, file, _ in CALM_SETS:
        items = calm_texts(file)
        texts = [t for t, _ in items]
        vectors = read_vectors(texts)
        kinds = {}
        for kind in sorted({k for _, k in items}):
            idx = [i for i, (_, k) in enumerate(items) if k == kind]
            kinds[kind] = score(kind, [texts[i] for i in idx], model, vectors[idx])
        calm.append((score(name, texts, model, vectors), kinds))
    return crisis, calm


def report(model: CrisisModel | None = None) -> str:
    """Markdown tables: recall on crisis sets, false alarms and gentle lines on calm sets."""
    crisis, calm = scores(model)
    lines = ["| crisis set | messages | crisis block first (patterns) | numbers first (block or urgent line) | "
             "116123 shown at all (block, urgent or gentle line) |", "|---|---|---|---|---|"]
    for s in crisis:
        lines.append(f"| {s.name} | {s.messages} | {s.blocks / s.messages:.3f} | {s.first / s.messages:.3f} | "
                     f"{s.numbers / s.messages:.3f} |")
    lines += ["", "| calm set | messages | false alarms: crisis block | urgent line first: ordinary | near miss | "
              "distress | gentle line: ordinary | near miss | distress |", "|---|---|---|---|---|---|---|---|---|"]
    for s, kinds in calm:
        cells = [f"{getattr(kinds[k], level)}/{kinds[k].messages}" if k in kinds else "–"
                 for level in ("urgent", "gentle") for k in ("ordinary", "near_miss", "distress")]
        lines.append(f"| {s.name} | {s.messages} | {s.blocks / s.messages:.4f} | " + " | ".join(cells) + " |")
    return "\n".join(lines)
