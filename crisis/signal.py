"""One decision per message: the patterns give the crisis block, the statistical signal the gentle line."""

from __future__ import annotations

import logging
from dataclasses import dataclass

import numpy as np

from crisis.detect import find
from crisis.model import CrisisModel, ModelMissing

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Assessment:
    """explicit: the crisis block first; distress: one gentle line under the answer; none: nothing."""

    level: str
    third_person: bool = False

    @property
    def explicit(self) -> bool:
        """Does this message get the crisis block?"""
        return self.level == "explicit"


NONE = Assessment("none")


class CrisisSignal:
    """Patterns (crisis.detect), then the model's threshold (crisis.model); without a model, the patterns alone."""

    def __init__(self, model: CrisisModel | None = None):
        self._model = model

    def assess(self, text: str, vector: np.ndarray | None = None) -> Assessment:
        """The decision for one message (blocking: the model encodes the text when no vector is given)."""
        finding = find(text)
        if finding is not None:
            return Assessment("explicit", finding.third_person)
        if self._model is None:
            return NONE
        try:
            p = self._model.probability(text, vector)
        except ModelMissing:
            raise
        except Exception as exc:  # the encoder failed on this text: the patterns have already spoken
            log.warning("crisis model failed: %s", type(exc).__name__)
            return NONE
        return Assessment("distress") if p >= self._model.threshold else NONE
