"""`other_needs`: the needs a long message names besides its topic ("…nav kur gulēt, un pase arī beigusies"), read
clause by clause (lvnorm/other_needs.py) after the fallback has settled the topic. The answer offers them as buttons
(actions/other_needs.py); the topic itself is never changed here."""

from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from lvnorm.other_needs import OTHER_NEEDS, NeedModel, model
from nlu_components.stateless import Stateless


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class OtherNeeds(Stateless):
    """Learns from lvnorm/clauses/ when loaded (milliseconds); Rasa's own training is not involved."""

    @classmethod
    def create(
        cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
        execution_context: ExecutionContext,
    ) -> "OtherNeeds":
        """Nothing to configure; the model learns here, when Rasa loads, not on the first message."""
        return cls(model())

    def __init__(self, needs: NeedModel) -> None:
        self._needs = needs

    def process(self, messages: List[Message]) -> List[Message]:
        """Set `other_needs` (a list of intent names, often empty) on every message."""
        for message in messages:
            main = (message.get(INTENT) or {}).get(INTENT_NAME_KEY)
            message.set(OTHER_NEEDS, self._needs.others(message.get(TEXT) or "", main), add_to_output=True)
        return messages
