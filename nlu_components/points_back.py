"""A question that names nothing ("cik maksā", "kad tur strādā", "сколько стоит?") is "not understood", whatever the
classifier reads into it: it is about what was just answered, which only the dialogue knows. The two-step fallback
then offers that topic first (`actions/fallback.follow_up`), or the likeliest topics and a person when nothing was
answered before. The words are in `lvnorm/pointing.py`."""

from __future__ import annotations

from typing import List

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.constants import DEFAULT_NLU_FALLBACK_INTENT_NAME as FALLBACK
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, INTENT_RANKING_KEY, PREDICTED_CONFIDENCE_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from lvnorm.pointing import names_nothing, words
from nlu_components.stateless import Stateless


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class PointsBack(Stateless):
    """Sets `nlu_fallback` on top of the classifier's ranking for a question that names nothing."""

    def process(self, messages: List[Message]) -> List[Message]:
        """The classifier's ranking stays under the fallback: the fallback's buttons come from it."""
        for message in messages:
            text = message.get(TEXT) or ""
            if text.startswith("/") or not names_nothing(words(text)):
                continue
            ranking = [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get(INTENT_NAME_KEY) != FALLBACK]
            confidence = ranking[0].get(PREDICTED_CONFIDENCE_KEY, 0.0) if ranking else 0.0
            top = {INTENT_NAME_KEY: FALLBACK, PREDICTED_CONFIDENCE_KEY: confidence}
            message.set(INTENT, top, add_to_output=True)
            message.set(INTENT_RANKING_KEY, [top, *ranking], add_to_output=True)
        return messages
