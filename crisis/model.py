"""The second crisis signal: logistic regression on multilingual-e5 sentence vectors.

The patterns (crisis.detect) catch what is said plainly and give the crisis block; this model reads what is said
around it ("everyone would be better off", "I gave the dog to the neighbour"). It never raises the crisis block by
itself: on the blind calm sets it confuses distress with danger too often for that (bench/results/crisis.md has the
figures). It gives two levels:
- urgent: nearly sure. "If you or someone near you is in danger: 112", and 116123, FIRST, before the answer: the
  patterns miss plain crises they were not written for ("сижу на рельсах и жду поезд"), and most of those score here;
- distress: one line about 116123 under the answer, never instead of it.

Both thresholds are chosen on the calibration set (crisis/calibration*.yml), never on a test set, when the model is
built: the lowest at which no more than URGENT_BUDGET (GENTLE_BUDGET) of the calibration set's calm messages (those
the patterns leave) reach it.

The model reads Russian typed in Latin letters in Cyrillic (`reading`): e5 reads Russian in its own script, and on the
Latin letters alone "privet, ja vyshel vchera, v rige, deneg net sovsem, chto delat" scored 0.99, as high as a man
on the rails, and the same words in Cyrillic 0.08 (2026-12-07). Rasa keeps the vector of the text as written.

Training data: crisis/examples.yml (crisis 1, not_crisis 0), crisis/training/*.yml (crisis 1, calm 0) and every NLU
intent's examples (0). The weights and the thresholds are stored in .cache/ under hashes of what they depend on; `python -m crisis build` makes them (make run and make
test do it). A front door that finds them missing refuses to start: no silent switch-off.
"""

from __future__ import annotations

import glob
import hashlib
import json
import logging
from functools import cached_property
from pathlib import Path

import numpy as np
import yaml

from crisis import embedding
from crisis.detect import PATTERNS, is_explicit
from lvnorm.text import is_cyrillic, language

log = logging.getLogger(__name__)
ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = Path(__file__).resolve().parent / "examples.yml"
# The calibration set: calibration.yml (2026-12-05) and its additions in styles it lacked (calibration_*.yml).
CALIBRATION = tuple(sorted(Path(__file__).resolve().parent.glob("calibration*.yml")))
TRAINING = Path(__file__).resolve().parent / "training"
SCALE = 10.0  # e5 vectors are unit length; scaling lets the weights stay small
L2 = 1e-4
GENTLE_BUDGET = 0.03  # of the calibration set's calm messages that may get the gentle line
URGENT_BUDGET = 0.015  # ... that may get the urgent line first


def reading(text: str) -> str:
    """The text as the model reads it: Russian typed in Latin letters (lvnorm.text.language) in Cyrillic, by the
    `transliterate` package's Russian table; any other text as it is."""
    if is_cyrillic(text) or language(text) != "ru":
        return text
    from transliterate import translit

    return translit(text, "ru")


def read_vectors(texts: list[str]) -> np.ndarray:
    """The project's own texts (training, calibration, evaluation), as the model reads them, encoded once per
    machine (embedding.encode_fixed)."""
    return embedding.encode_fixed([reading(t) for t in texts])


class ModelMissing(RuntimeError):
    """The weights for the current training data have not been built (`python -m crisis build`)."""


def training_data() -> tuple[list[str], np.ndarray]:
    """(texts, labels): the labelled crisis examples, and every NLU intent's examples as not crisis."""
    texts, labels = [], []
    for path in sorted(glob.glob(str(ROOT / "data" / "nlu" / "*.yml"))):
        for block in yaml.load(Path(path).read_text(encoding="utf-8"), yaml.CSafeLoader).get("nlu", []):
            if "intent" not in block:
                continue
            for line in (block.get("examples") or "").splitlines():
                text = line.strip().removeprefix("- ").strip()
                if text:
                    texts.append(text)
                    labels.append(0.0)
    examples = yaml.load(EXAMPLES.read_text(encoding="utf-8"), yaml.CSafeLoader)
    for key, label in (("crisis", 1.0), ("not_crisis", 0.0)):
        for items in examples[key].values():
            texts += items
            labels += [label] * len(items)
    for voice in sorted(TRAINING.glob("*.yml")):  # written in six voices, see crisis/training/README.md
        data = yaml.load(voice.read_text(encoding="utf-8"), yaml.CSafeLoader)
        for key, label in (("crisis", 1.0), ("calm", 0.0)):
            texts += [m["text"] for m in data[key]]
            labels += [label] * len(data[key])
    return texts, np.asarray(labels, dtype=np.float32)


def calibration_data() -> tuple[list[str], list[str]]:
    """(crisis texts, calm texts) of the calibration set, all its files."""
    files = [yaml.load(path.read_text(encoding="utf-8"), yaml.CSafeLoader) for path in CALIBRATION]
    return [m["text"] for d in files for m in d["crisis"]], [m["text"] for d in files for m in d["calm"]]


def data_hash(texts: list[str], labels: np.ndarray) -> str:
    """Changes whenever the training data or the training settings change (names the weights file)."""
    h = hashlib.sha256(f"{SCALE}|{L2}".encode())
    for t, y in zip(texts, labels):
        h.update(f"{y}\x00{reading(t)}\x01".encode())
    return h.hexdigest()[:16]


def threshold_hash(weights_hash: str) -> str:
    """Changes with the weights, the calibration set, the budget or the patterns (which decide what the model sees):
    names the threshold file."""
    h = hashlib.sha256(f"{weights_hash}|{GENTLE_BUDGET}|{URGENT_BUDGET}".encode())
    for path in CALIBRATION:
        h.update(path.read_bytes())
    h.update(PATTERNS.read_bytes())
    return h.hexdigest()[:16]


def _features(vectors: np.ndarray) -> np.ndarray:
    return np.hstack([vectors * SCALE, np.ones((len(vectors), 1), dtype=np.float32)])


def train(vectors: np.ndarray, labels: np.ndarray, iterations: int = 800, rate: float = 0.5) -> np.ndarray:
    """Class-weighted logistic regression by gradient descent (a few thousand rows: plain numpy is enough)."""
    x = _features(vectors)
    w = np.zeros(x.shape[1], dtype=np.float32)
    pos = labels.sum()
    weights = np.where(labels == 1, len(labels) / (2 * pos), len(labels) / (2 * (len(labels) - pos)))
    for _ in range(iterations):
        p = 1 / (1 + np.exp(-np.clip(x @ w, -30, 30)))
        w -= rate * (x.T @ ((p - labels) * weights) / len(labels) + L2 * w)
    return w


def probabilities(weights: np.ndarray, vectors: np.ndarray) -> np.ndarray:
    """P(crisis) for each sentence vector."""
    return 1 / (1 + np.exp(-np.clip(_features(vectors) @ weights, -30, 30)))


def lowest_threshold(calm: np.ndarray, budget: float) -> float:
    """The lowest threshold at which at most `budget` of the calm probabilities lie above it."""
    allowed = int(np.floor(budget * len(calm)))
    ranked = np.sort(calm)[::-1]
    return float(ranked[allowed]) if allowed < len(ranked) else 0.0


def choose_thresholds(weights: np.ndarray, calm_vectors: np.ndarray) -> dict[str, float]:
    """The gentle and urgent lines' thresholds from the calibration set's calm messages."""
    calm = probabilities(weights, calm_vectors)
    return {"gentle": lowest_threshold(calm, GENTLE_BUDGET), "urgent": lowest_threshold(calm, URGENT_BUDGET)}


class CrisisModel:
    """Loads lazily from .cache/; `probability` needs the built weights (ModelMissing otherwise)."""

    def __init__(self, cache_dir: Path = ROOT / ".cache"):
        self._cache = cache_dir

    @cached_property
    def paths(self) -> tuple[Path, Path]:
        """Where the weights and the thresholds for the current data live (the data is read once per instance)."""
        texts, labels = training_data()
        weights = data_hash(texts, labels)
        return (self._cache / f"crisis_weights-{weights}.npy",
                self._cache / f"crisis_threshold-{threshold_hash(weights)}.json")

    @cached_property
    def _stored(self) -> tuple[np.ndarray, dict[str, float]]:
        weights, thresholds = self.paths
        if not (weights.exists() and thresholds.exists()):
            raise ModelMissing("crisis model not built for the current data: run `python -m crisis build`")
        chosen = json.loads(thresholds.read_text())
        return np.load(weights), {"gentle": float(chosen["gentle"]), "urgent": float(chosen["urgent"])}

    def ready(self) -> bool:
        """True when the weights and threshold for the current data are built (else the front door will not start)."""
        return all(p.exists() for p in self.paths)

    @property
    def threshold(self) -> float:
        """The gentle line's threshold, chosen on the calibration set when the model was built."""
        return self._stored[1]["gentle"]

    @property
    def urgent(self) -> float:
        """The urgent line's threshold (higher), chosen the same way."""
        return self._stored[1]["urgent"]

    def level(self, p: float) -> str:
        """The signal's level for a probability: urgent, distress or none (crisis.signal, crisis.evaluate)."""
        return "urgent" if p >= self.urgent else "distress" if p >= self.threshold else "none"

    def build(self) -> Path:
        """Embed the training data and train (when the data changed), then choose the threshold on the calibration
        set (when the weights, the calibration set or the patterns changed); returns the weights file."""
        weights_path, threshold_path = self.paths
        if weights_path.exists() and threshold_path.exists():
            return weights_path
        self._cache.mkdir(parents=True, exist_ok=True)
        if not weights_path.exists():
            texts, labels = training_data()
            np.save(weights_path, train(read_vectors(texts), labels))
        weights = np.load(weights_path)
        _, calm = calibration_data()
        calm = [t for t in calm if not is_explicit(t)]  # what the patterns catch never reaches the model
        thresholds = choose_thresholds(weights, read_vectors(calm))
        threshold_path.write_text(json.dumps(thresholds))
        log.info("crisis model: gentle line from %.3f, urgent from %.3f", thresholds["gentle"], thresholds["urgent"])
        return weights_path

    def probability(self, text: str, vector: np.ndarray | None = None) -> float:
        """P(crisis) for one message; `vector`, when given, is the sentence vector of `reading(text)`; ModelMissing
        when the weights are not built."""
        weights, _ = self._stored
        if vector is None:
            vector = embedding.encode([reading(text)])
        return float(probabilities(weights, vector.reshape(1, -1))[0])
