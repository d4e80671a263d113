"""One decision per message: the patterns give the crisis block, the statistical signal the urgent or the gentle
line."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

import numpy as np

from crisis import embedding
from crisis.detect import find
from crisis.model import CrisisModel, ModelMissing, reading

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Assessment:
    """explicit: the crisis block first; urgent: 112 and 116123 in two lines first; distress: one gentle line under the
    answer; none: nothing. `vector` is the message's sentence vector when the model computed one: the front door
    sends it on to Rasa (crisis.embedding)."""

    level: str
    third_person: bool = False
    vector: np.ndarray | None = field(default=None, compare=False, repr=False)

    @property
    def explicit(self) -> bool:
        """Does this message get the crisis block?"""
        return self.level == "explicit"


NONE = Assessment("none")


class CrisisSignal:
    """Patterns (crisis.detect), then the model's threshold (crisis.model); without a model, the patterns alone."""

    def __init__(self, model: CrisisModel | None = None):
        self._model = model

    def assess(self, text: str) -> Assessment:
        """The decision for one message (blocking: with a model, the text is encoded, also when the patterns decide,
        because Rasa reads the same vector)."""
        finding = find(text)
        if self._model is None:
            return NONE if finding is None else Assessment("explicit", finding.third_person)
        vector = None
        try:
            vector = embedding.encode([text])[0]
        except Exception as exc:  # the encoder failed on this text: the patterns decide alone
            log.warning("sentence encoder failed: %s", type(exc).__name__)
        if finding is not None:
            return Assessment("explicit", finding.third_person, vector)
        if vector is None:
            return NONE
        try:
            read = reading(text)  # Russian typed in Latin letters is read in Cyrillic: one more vector, for it alone
            level = self._model.level(self._model.probability(
                read, vector if read == text else embedding.encode([read])[0]))
        except ModelMissing:
            raise  # the front door must not run without it
        except Exception as exc:  # unreadable weights: the patterns have already spoken
            log.warning("crisis model failed: %s", type(exc).__name__)
            level = "none"
        return Assessment(level, vector=vector)
