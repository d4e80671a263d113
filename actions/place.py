"""A place named on its own: remember it and offer what can be looked up there."""

from __future__ import annotations

import asyncio
from typing import Callable

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.deps import default_repository
from actions.language import language_of
from actions.topics import utter_duties
from knowledge.repository import KnowledgeRepository
from lvnorm.residence import DECLARED


class ActionConfirmMunicipality(Action):
    """Confirm the place the person named (the slots are filled by the entity mappings). A declared residence
    ("biju deklarēts Cēsīs") is answered with which municipality owes what."""

    def __init__(self, repo: Callable[[], KnowledgeRepository] = default_repository) -> None:
        self._repo = repo

    def name(self) -> str:
        """Rasa action name."""
        return "action_confirm_municipality"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        """Confirm a recognised place; say so when the text named none."""
        entities = [e for e in tracker.latest_message.get("entities", []) if e.get("entity") == "municipality"]
        if any(e.get("role") == DECLARED for e in entities):
            await asyncio.to_thread(utter_duties, dispatcher, self._repo(), tracker.get_slot("declared_municipality"),
                                    tracker.get_slot("municipality"), language_of(tracker))
        elif entities:
            dispatcher.utter_message(response="utter_municipality_noted", municipality=entities[-1]["value"])
        else:
            dispatcher.utter_message(response="utter_place_unknown")
        return []
