"""Entity extractor for `municipality`: a gazetteer of every municipality, town and parish in every case form.

A mention of where the person's residence is or was declared ("pirms cietuma dzīvoju Cēsīs", "прописан в
Даугавпилсе") carries the role `declared` (lvnorm/residence.yml) and fills the slot `declared_municipality`; every
other mention is where the person is now and fills `municipality`, but for the name of a prison ("iznāca no Olaines
cietuma"), which says neither, an office's ("Rīgas Sociālajā dienestā") when the message names a place otherwise
too, and in a relative's message (the requester extractor runs first) where the writer alone lives
(lvnorm/residence.where_now)."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Dict, List, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from lvnorm.places import PlaceResolver, load_gazetteer
from lvnorm.requester import RELATIVE
from lvnorm.residence import DECLARED, NOWHERE, nowhere, roles, where_now
from nlu_components.requester import REQUESTER_ROLE

ROOT = Path(__file__).resolve().parent.parent


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=False)
class MunicipalityExtractor(GraphComponent, EntityExtractorMixin):
    """Deterministic: the value is the knowledge base's canonical name ("Daugavpilī" -> "Daugavpils")."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        """The gazetteer is the knowledge base's own data file, so both always agree."""
        return {"gazetteer": "knowledge/data/municipalities.yaml"}

    def __init__(self, config: Dict[Text, Any]) -> None:
        path = Path(config["gazetteer"])
        self._resolver = PlaceResolver(load_gazetteer(path if path.is_absolute() else ROOT / path))

    @classmethod
    def create(
        cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
        execution_context: ExecutionContext,
    ) -> "MunicipalityExtractor":
        """Build the resolver from the data file."""
        return cls(config)

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        """Nothing to learn."""
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        """Add one `municipality` entity per mention, with its role when it names the declared residence."""
        for message in messages:
            text = message.get(TEXT) or ""
            relative = any(e.get("entity") == REQUESTER_ROLE and e.get("value") == RELATIVE  # set just before
                           for e in message.get(ENTITIES, []))
            mentions = where_now(text, self._resolver.find(text), relative)
            found = [
                {
                    "entity": "municipality", "start": m.start, "end": m.end, "value": m.municipality,
                    "confidence": 1.0, "extractor": self.__class__.__name__, **({"role": role} if role else {}),
                }
                for m, role in zip(mentions, roles(text, mentions))
            ]
            none = nowhere(text)
            if none and not any(e.get("role") == DECLARED for e in found):  # "nav deklarētas dzīvesvietas"
                found.append({"entity": "municipality", "start": none[0], "end": none[1], "value": NOWHERE,
                              "role": DECLARED, "confidence": 1.0, "extractor": self.__class__.__name__})
            message.set(ENTITIES, message.get(ENTITIES, []) + found, add_to_output=True)
        return messages
