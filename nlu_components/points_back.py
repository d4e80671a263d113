"""A question that names nothing ("cik maksā", "kad tur strādā", "сколько стоит?"), and a place's phone or address
asked for alone ("telefons ir?", "а адрес?"), is "not understood", whatever the classifier reads into it: it is about
what was just answered, which only the dialogue knows. The two-step fallback then offers that topic first
(`actions/fallback.follow_up`), or points to the card just shown for a phone or an address, or offers the likeliest
topics and a person when nothing was answered before. A short message that names a place and nothing else ("а в
Олайне?", "Daugavpilī ir kaut kas?") names the place (`inform_municipality`), whatever the classifier reads into it:
the answer is the last topic there. The words are in `lvnorm/pointing.py`."""

from __future__ import annotations

from typing import List

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.constants import DEFAULT_NLU_FALLBACK_INTENT_NAME as FALLBACK
from rasa.shared.nlu.constants import (
    ENTITIES, ENTITY_ATTRIBUTE_END, ENTITY_ATTRIBUTE_START, ENTITY_ATTRIBUTE_TYPE, INTENT, INTENT_NAME_KEY, TEXT,
)
from rasa.shared.nlu.training_data.message import Message

from lvnorm.pointing import asks_for_contact, names_nothing, only_a_place
from lvnorm.text import words
from nlu_components.stateless import Stateless, put_first

PLACE = "inform_municipality"  # a place named on its own


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class PointsBack(Stateless):
    """Sets `nlu_fallback` on top of the classifier's ranking for a question that names nothing, and
    `inform_municipality` for a place named alone."""

    def process(self, messages: List[Message]) -> List[Message]:
        """The classifier's ranking stays under the new intent: the fallback's buttons come from it."""
        for message in messages:
            text = message.get(TEXT) or ""
            if text.startswith("/"):
                continue
            if names_nothing(words(text)) or asks_for_contact(text):
                put_first(message, FALLBACK)
            elif (message.get(INTENT) or {}).get(INTENT_NAME_KEY) != PLACE and names_only_a_place(
                    text, message.get(ENTITIES) or []):
                put_first(message, PLACE, 1.0)  # a rule, not a guess
        return messages


def names_only_a_place(text: str, entities: list[dict]) -> bool:
    """The message names a place (the municipality extractor's entities) and, besides it, only words that name
    nothing."""
    return only_a_place(text, [(e[ENTITY_ATTRIBUTE_START], e[ENTITY_ATTRIBUTE_END]) for e in entities
                               if e.get(ENTITY_ATTRIBUTE_TYPE) == "municipality"])
