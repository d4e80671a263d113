"""Entity extractor for `requester`: who the message is written for when it is not the writer (lvnorm/requester.yml).

Who writes is not a topic: a mother asking about her son's passport asks `ask_id_document`, and this entity
("son") lets the answer say "Jūsu dēlam:". The value is a relation ("son", "sister", ...), "client" for a worker, or
"person" when the writer says the message is about their own release (the slot carries over, so this is what ends a
relation named earlier). A second entity, `requester_role` ("relative", "worker" or "person"), lets a question be
asked about that person ("Vai jūsu tuviniekam ir pase?") by a response condition, which can only compare a slot with
one value.
"""

from __future__ import annotations

from typing import List

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message

from lvnorm.requester import find, role_of
from nlu_components.stateless import Stateless

REQUESTER = "requester"
REQUESTER_ROLE = "requester_role"


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=False)
class RequesterExtractor(Stateless, EntityExtractorMixin):
    """Deterministic, from reviewable word lists; nothing is learnt."""

    def process(self, messages: List[Message]) -> List[Message]:
        """Add the `requester` and `requester_role` entities when the message says who it is for."""
        for message in messages:
            found = find(message.get(TEXT) or "")
            if found is None:
                continue
            found_at = {"start": found.start, "end": found.end, "confidence": 1.0, "extractor": self.__class__.__name__}
            entities = [{"entity": REQUESTER, "value": found.relation, **found_at},
                        {"entity": REQUESTER_ROLE, "value": role_of(found.relation), **found_at}]
            message.set(ENTITIES, message.get(ENTITIES, []) + entities, add_to_output=True)
        return messages
