"""Topic questions (documents, benefits, work, health, ...), answered by the plan in knowledge/data/topics.yaml."""

from __future__ import annotations

import asyncio
from typing import Callable

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.deps import default_repository
from actions.language import language_of
from cards.render import benefit_card, procedure_card, service_card
from actions.social_service import utter_social_service
from knowledge.repository import KnowledgeRepository
from actions.requester import for_requester

MAX_LOCAL = 2  # local places per kind: enough to act on, short enough for a phone


class ActionAnswerTopic(Action):
    """Steps, benefits and contacts for the question asked, for the person's municipality where it matters."""

    def __init__(self, repo: Callable[[], KnowledgeRepository] = default_repository) -> None:
        self._repo = repo

    def name(self) -> str:
        """Rasa action name."""
        return "action_answer_topic"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        """Answer from the knowledge base; ask for the place only when local contacts are part of the answer."""
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        language = language_of(tracker)
        await self.answer(for_requester(dispatcher, tracker, language), intent, tracker.get_slot("municipality"),
                          language)
        return []

    async def answer(self, dispatcher: CollectingDispatcher, intent: str, municipality: str | None,
                     language: str) -> None:
        """The plan for one topic (also used after a crisis block, for the other need a message names)."""
        await asyncio.to_thread(self._answer, dispatcher, intent, municipality, language)

    def _answer(self, dispatcher: CollectingDispatcher, intent: str, municipality: str | None, language: str) -> None:
        repo = self._repo()
        topic = repo.topic(intent)
        if topic is None:  # no plan yet for this question: say so, and give the door that helps with everything
            dispatcher.utter_message(response="utter_topic_not_ready")
            if municipality:
                utter_social_service(dispatcher, repo, municipality, language)
            else:
                dispatcher.utter_message(response="utter_social_service_ask_place")
            return
        for step in repo.procedures(topic.procedures):
            dispatcher.utter_message(text=procedure_card(step, language))
        for benefit in repo.benefits(topic.benefits, municipality)[:3]:
            dispatcher.utter_message(text=benefit_card(benefit, language))
        for service in repo.services_by_id(topic.services):
            dispatcher.utter_message(text=service_card(service, language))
        if not topic.local:
            return
        if not municipality:
            dispatcher.utter_message(response="utter_ask_place_for_local")
            return
        found = False
        for kind in topic.local:
            if kind == "social_service":
                found = utter_social_service(dispatcher, repo, municipality, language) or found
                continue
            for service in repo.services([kind], municipality, limit=MAX_LOCAL):
                dispatcher.utter_message(text=service_card(service, language))
                found = True
        if not found:
            dispatcher.utter_message(response="utter_local_no_data", municipality=municipality)
