"""A place named on its own: remember it and offer what can be looked up there."""

from __future__ import annotations

import asyncio
from typing import Callable

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.deps import default_repository
from actions.history import intent_of, said, user_intents
from actions.language import language_of
from actions.requester import for_requester
from actions.shelter import INTENT as SHELTER
from actions.shelter import ActionFindShelter
from actions.topics import RECENT, ActionAnswerTopic, utter_duties
from knowledge.repository import KnowledgeRepository
from lvnorm.residence import DECLARED

ASKED_THE_PLACE = "utter_ask_place_for_local"  # a topic's answer that ended asking where the person is


def topic_waiting_for_a_place(tracker: Tracker) -> str | None:
    """The topic whose answer, just before this message, asked where the person is ("Vietējie kontakti ir atkarīgi
    no vietas..."), or None."""
    users = 0
    asked = False
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            users += 1
            if users == 2:
                return intent_of(event) if asked else None
        elif users == 1:
            asked = asked or said(event, ASKED_THE_PLACE)
    return None


def topic_for_a_place(tracker: Tracker, is_local: Callable[[str], bool], back: int = RECENT) -> str | None:
    """The topic a place named now is for: the one whose answer asked for it, else the latest topic with local
    places among the `back` messages before this one ("а в Олайне?" after housing in Salaspils; "а в Резекне есть
    такое место?" after a shelter in Daugavpils and then the passport, which has none)."""
    waiting = topic_waiting_for_a_place(tracker)
    if waiting is not None:
        return waiting
    return next((i for i in reversed(user_intents(tracker)[-1 - back : -1]) if i and is_local(i)), None)


class ActionConfirmMunicipality(Action):
    """Confirm the place the person named (the slots are filled by the entity mappings). A declared residence
    ("biju deklarēts Cēsīs") is answered with which municipality owes what; a place given after a topic's answer
    asked for it, or soon after a topic with local places, with that topic's local contacts there."""

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
                                    tracker.get_slot("municipality"), language_of(tracker),
                                    tracker.get_slot("requester_role"))
        elif entities:
            repo, language = self._repo(), language_of(tracker)
            topic = topic_for_a_place(tracker, lambda i: i == SHELTER or bool((t := repo.topic(i)) and t.local))
            if topic == SHELTER:  # "А в Резекне есть такое место?" after a bed in Daugavpils: the beds there
                await ActionFindShelter(self._repo).run(dispatcher, tracker, domain)
            elif topic is None or not await ActionAnswerTopic(self._repo).answer_local(
                    for_requester(dispatcher, tracker, language), tracker, topic, entities[-1]["value"], language):
                dispatcher.utter_message(response="utter_municipality_noted", municipality=entities[-1]["value"])
        else:
            dispatcher.utter_message(response="utter_place_unknown")
        return []
