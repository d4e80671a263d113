"""Topics without a dedicated answer yet: say so honestly and give the social service, which helps with all."""

from __future__ import annotations

import asyncio
from typing import Callable

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.deps import default_repository
from actions.social_service import utter_social_service
from knowledge.repository import KnowledgeRepository


class ActionAnswerTopic(Action):
    """Answer a topic question: the social service contact of the person's municipality."""

    def __init__(self, repo: Callable[[], KnowledgeRepository] = default_repository) -> None:
        self._repo = repo

    def name(self) -> str:
        """Rasa action name."""
        return "action_answer_topic"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        """The social service is the door to benefits, documents help, housing and referrals."""
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        municipality = tracker.get_slot("municipality")
        if intent != "ask_social_worker":
            dispatcher.utter_message(response="utter_topic_not_ready")
        if not municipality:
            dispatcher.utter_message(response="utter_social_service_ask_place")
            return []
        await asyncio.to_thread(utter_social_service, dispatcher, self._repo(), municipality)
        return []
