"""The base of the pipeline's own components that learn nothing from Rasa's training data: the crisis intent, who
writes, a question that names nothing, the other needs; and how the two that decide an intent by rule put it first."""

from __future__ import annotations

from typing import Any, Dict, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.constants import DEFAULT_NLU_FALLBACK_INTENT_NAME as FALLBACK
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, INTENT_RANKING_KEY, PREDICTED_CONFIDENCE_KEY
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData


class Stateless(GraphComponent):
    """Nothing to configure, train or persist."""

    @classmethod
    def create(
        cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
        execution_context: ExecutionContext,
    ) -> GraphComponent:
        """A component with no settings."""
        return cls()

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        """Nothing to learn."""
        return training_data


def put_first(message: Message, intent: str, confidence: float | None = None, keep_ranking: bool = True) -> None:
    """`intent` decided by rule, on top of the classifier's ranking (the fallback classifier ran before: its
    `nlu_fallback` leaves the ranking), with `confidence`, or else that of the classifier's likeliest topic."""
    ranking = [r for r in message.get(INTENT_RANKING_KEY) or []
               if r.get(INTENT_NAME_KEY) not in (FALLBACK, intent)] if keep_ranking else []
    if confidence is None:
        confidence = ranking[0].get(PREDICTED_CONFIDENCE_KEY, 0.0) if ranking else 0.0
    top = {INTENT_NAME_KEY: intent, PREDICTED_CONFIDENCE_KEY: confidence}
    message.set(INTENT, top, add_to_output=True)
    message.set(INTENT_RANKING_KEY, [top, *ranking], add_to_output=True)
