"""The `crisis` intent comes from the same decision as the front door's crisis block, never from the classifier.

The front door decides (crisis.detect patterns, then the statistical signal) and sends its decision in the message
metadata ("crisis": "explicit" or null); Rasa takes it as it is, so the two can never disagree. Without that metadata
(rasa test, rasa shell) the same patterns decide. The classifier's own ranking is kept below the crisis intent, so
the follow-up action can still answer another need the message names ("I'm freezing outside, where is a shelter?").
"""

from __future__ import annotations

from typing import List

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message

from crisis.detect import find, is_explicit
from nlu_components.stateless import Stateless, put_first

CRISIS = "crisis"
OTHER_WORDS = 2  # a crisis message with fewer other words than this names no other need


def decided_crisis(message: Message) -> bool:
    """The front door's decision when it sent one; the patterns otherwise."""
    metadata = message.get("metadata") or {}
    if isinstance(metadata, dict) and "crisis" in metadata:
        return metadata["crisis"] == "explicit"
    return is_explicit(message.get(TEXT) or "")


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class CrisisIntent(Stateless):
    """Sets the `crisis` intent (confidence 1) on top of the classifier's ranking when the message is a crisis."""

    def process(self, messages: List[Message]) -> List[Message]:
        """Put `crisis` first; everything the classifier said stays in the ranking under it."""
        for message in messages:
            if not decided_crisis(message):
                continue
            # the fallback classifier runs first: a crisis is never "not understood"; "negribu vairs dzīvot" says
            # nothing else, and no topic is read into "dzīvot"
            finding = find(message.get(TEXT) or "")
            put_first(message, CRISIS, 1.0, keep_ranking=finding is None or finding.rest >= OTHER_WORDS)
        return messages
