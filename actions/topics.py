"""Topic questions (documents, benefits, work, health, ...), answered by the plan in knowledge/data/topics.yaml."""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import Callable

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.deps import default_repository
from actions.fallback import FALLBACK, did_you_mean, points_back
from actions import other_needs
from actions.history import DID_YOU_MEAN, intent_of, said
from actions.language import language_of
from actions.requester import for_requester
from actions.shelter import utter_nearest_elsewhere
from actions.social_service import utter_social_service
from actions.survey import count, offer_checkin
from cards.render import (benefit_card, city_buttons, duties_card, person_button, procedure_card, service_card,
                          templates, topic_titles)
from knowledge.hours import RIGA
from knowledge.records import ServiceInfo, Topic, owed_by
from knowledge.repository import KnowledgeRepository
from knowledge.tonight import for_tonight, nearest_for_tonight, ranked_for_tonight
from lvnorm.residence import NOWHERE

MAX_LOCAL = 2  # local places per kind: enough to act on, short enough for a phone
RECENT = 3  # a topic answered among this many messages before, for the same places, is not answered again
PLACES = ("municipality", "declared_municipality")


def answered_just_before(tracker: Tracker, intent: str, back: int = RECENT) -> bool:
    """This topic was answered among the `back` messages before this one, for the places known now (not with 'did
    you mean'): the answer would be the same cards again. In the terminal chat (2026-12-07) "un kur Cēsīs ir
    probācijas nodaļa?", "Tukuma ir NVA?" and "kā pierakstīties pie ģimenes ārsta, ja viņam nav deklarētas adreses?"
    each got the whole card they had just been given."""
    places: dict[str, str | None] = {}
    turns: list[list] = []  # [intent, the places when it was answered, asked back]
    for event in tracker.events:
        kind = event.get("event")
        if kind == "user":
            turns.append([intent_of(event), None, False])
        elif kind == "slot" and event.get("name") in PLACES:
            places[event["name"]] = event.get("value")
        elif kind == "bot" and turns:
            turns[-1][2] = turns[-1][2] or said(event, DID_YOU_MEAN)
        if turns:
            turns[-1][1] = tuple(places.get(p) for p in PLACES)
    now = tuple(tracker.get_slot(p) for p in PLACES)
    return any(i == intent and where == now and not asked for i, where, asked in turns[-1 - back : -1])


class ActionAnswerTopic(Action):
    """Steps, benefits and contacts for the question asked, for the person's municipality where it matters."""

    def __init__(self, repo: Callable[[], KnowledgeRepository] = default_repository,
                 clock: Callable[[], dt.datetime] = lambda: dt.datetime.now(RIGA)) -> None:
        self._repo = repo
        self._clock = clock  # wall time in Riga (a bed tonight where the person is)

    def name(self) -> str:
        """Rasa action name."""
        return "action_answer_topic"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        """Answer from the knowledge base; ask for the place only when local contacts are part of the answer."""
        intent = (tracker.latest_message.get("intent") or {}).get("name") or ""
        language = language_of(tracker)
        back = [t for t in points_back(tracker, intent) if t in topic_titles(language)]
        if back:  # "cik tas maksā" right after a bed: ask which, rather than guess
            count(dispatcher, tracker, FALLBACK, tracker.get_slot("municipality"), "fallback")
            did_you_mean(dispatcher, [*back, intent], language)
            return []
        if answered_just_before(tracker, intent):  # nothing new to give: say so, and offer a person
            dispatcher.utter_message(response="utter_answered_above", buttons=[person_button(language, "no_data")])
            return []
        await self.answer(for_requester(dispatcher, tracker, language), tracker, intent,
                          tracker.get_slot("municipality"), language, tracker.get_slot("declared_municipality"))
        return []

    async def answer(self, dispatcher: CollectingDispatcher, tracker: Tracker, intent: str, municipality: str | None,
                     language: str, declared: str | None = None) -> None:
        """The plan for one topic, counted for the survey. `municipality` is where the person is; `declared` where
        their residence is or was declared."""
        bed_first = "ask_shelter_tonight" in other_needs.named_with(tracker, intent)  # the message asked for a bed
        outcome, place, named, met = await asyncio.to_thread(self._answer, dispatcher, intent, municipality,
                                                                  language, declared, bed_first,
                                                                  tracker.get_slot("requester_role"))
        count(dispatcher, tracker, intent, place, outcome)
        offer_checkin(dispatcher, tracker, named, language)
        other_needs.offer(dispatcher, tracker, intent, language, met)

    def _answer(self, dispatcher: CollectingDispatcher, intent: str, present: str | None, language: str,
                declared: str | None, bed_first: bool = False, role: str | None = None
                ) -> tuple[str, str | None, ServiceInfo | None, tuple[str, ...]]:
        """Sends the answer; returns the survey's outcome, the municipality it counts for, the local place a
        check-in may ask about, and the other needs the answer has met (tonight's bed where the person is: first
        when the message asked for a bed, else last)."""
        repo = self._repo()
        topic = repo.topic(intent)
        duty = next((d for d in repo.duties() if d.id == topic.duty), None) if topic and topic.duty else None
        municipality = owed_by(duty, declared, present) if duty else present
        if topic is None:  # no plan yet for this question: say so, and give the door that helps with everything
            dispatcher.utter_message(response="utter_topic_not_ready")
            if municipality:
                return "no_data", municipality, utter_social_service(dispatcher, repo, municipality, language), ()
            dispatcher.utter_message(response="utter_social_service_ask_place")
            return "no_data", municipality, None, ()
        # Tonight's bed where the person is, last: in the answer about duties when the money comes from elsewhere,
        # and in a topic that says so (housing: "у брата нет где жить, он в Резекне" got the housing procedure and
        # the office, no bed, 2026-12-07). First in any answer to a message that also asked for a bed ("tagad jelgava
        # pie draudzenes bet vina mani izmetis ara rit. kur lai paliek" was answered with the first steps and a
        # button, 2026-12-07).
        tonight = bool(present and (bed_first or topic.tonight or (topic.duties and municipality != present)))
        met: tuple[str, ...] = ()  # the other needs met: tonight's bed, once it has been given
        now = self._clock()
        if tonight and bed_first:
            utter_tonight(dispatcher, repo, str(present), language, now)
            met = ("ask_shelter_tonight",)
        steps = repo.procedures(topic.procedures)
        for step in steps:
            dispatcher.utter_message(text=procedure_card(step, language))
        duties_shown = bool(topic.duties or (duty and declared == NOWHERE))
        if duties_shown:  # no declared residence: what that means, and what to do
            utter_duties(dispatcher, repo, declared, present, language, role)
        money = repo.benefits(topic.benefits, municipality)[:3]
        for benefit in money:
            dispatcher.utter_message(text=benefit_card(benefit, language))
        places = repo.services_by_id(topic.services)
        for service in places:
            dispatcher.utter_message(text=service_card(service, language))
        if not topic.local:
            return "answered", municipality, None, met
        if not municipality:  # a city is one tap; the place given next gets this topic's local part (actions/place.py)
            buttons = city_buttons(language, "inform_municipality")
            if not (steps or duties_shown or money or places or met):  # nothing to act on until the place is known
                # ("vai ir kāds, kas var palīdzēt pirmajās nedēļās, kāds mentors?" got only "which town?"): a person too
                buttons = [*buttons, person_button(language, "asked")]
            dispatcher.utter_message(response="utter_ask_place_for_local", buttons=buttons)
            return "answered", None, None, met
        helped, place = self._local(dispatcher, repo, topic, municipality, language, now)
        if topic.person:
            dispatcher.utter_message(text=templates(language)["person_offer"],
                                     buttons=[person_button(language, "asked")])
        if tonight and not bed_first:
            utter_tonight(dispatcher, repo, str(present), language, now)
            met = ("ask_shelter_tonight",)
        return ("answered" if helped else "no_data"), municipality, place, met

    async def answer_local(self, dispatcher: CollectingDispatcher, tracker: Tracker, intent: str, municipality: str,
                           language: str) -> bool:
        """Only the local part of a topic's answer, for the place the person has just named after the answer asked
        for it (utter_ask_place_for_local); False when the topic has none. Not counted again for the survey: the
        question was counted once."""
        repo = self._repo()
        topic = repo.topic(intent)
        if topic is None or not topic.local:
            return False
        _, place = await asyncio.to_thread(self._local, dispatcher, repo, topic, municipality, language, self._clock())
        offer_checkin(dispatcher, tracker, place, language)
        return True

    @staticmethod
    def _local(dispatcher: CollectingDispatcher, repo: KnowledgeRepository, topic: Topic, municipality: str,
               language: str, now: dt.datetime) -> tuple[bool, ServiceInfo | None]:
        """The topic's local places in the municipality (a soup kitchen...), those open `now` first and each with
        whether it is (on Sunday at 19:00 "kur var paēst šovakar rīgā" got a weekday kitchen and no word that it was
        closed, 2026-12-07), "no data" when there are none, and the social service when the topic names it or
        nothing was found, followed then by what works anywhere (topics.yaml `anywhere`: the EU food packages for
        the man in Tukums who had eaten his last bread, 2026-12-07); returns whether it helped and the place a
        check-in may ask about."""
        kinds = [k for k in topic.local if k != "social_service"]  # the places asked for (a soup kitchen...)
        found = [s for kind in kinds for s in repo.services([kind], municipality, at=now, limit=MAX_LOCAL)]
        for service in found:
            dispatcher.utter_message(text=service_card(service, language))
        none_here = bool(kinds) and not found
        if none_here:  # none of them here: said so, before the door that helps with everything
            dispatcher.utter_message(response="utter_local_no_data", municipality=municipality)
        office = None
        if "social_service" in topic.local or not found:
            office = utter_social_service(dispatcher, repo, municipality, language)
        for service in repo.services_by_id(topic.anywhere) if none_here else []:
            dispatcher.utter_message(text=service_card(service, language))
        return (bool(found) if kinds else office is not None), found[0] if found else office


def utter_duties(dispatcher: CollectingDispatcher, repo: KnowledgeRepository, declared: str | None,
                 present: str | None, language: str, role: str | None = None) -> None:
    """Which municipality owes what (`role`: who writes, the requester_role slot); when the declared residence is not
    known yet, ask for it (one question at a time: where the person is comes first, asked by the topic's local
    part)."""
    dispatcher.utter_message(text=duties_card(repo.duties(), declared, present, language, role))
    if present and declared is None:
        dispatcher.utter_message(response="utter_ask_declared_municipality")


def utter_tonight(dispatcher: CollectingDispatcher, repo: KnowledgeRepository, present: str, language: str,
                  now: dt.datetime) -> None:
    """Where the person is tonight: the first shelter there open tonight, else the nearest one elsewhere (the
    mother of a man in Madona at 23:00 was given only its social service, closed, 2026-12-07), else the social
    service."""
    dispatcher.utter_message(response="utter_tonight_where_you_are", municipality=present)
    shelters = for_tonight(ranked_for_tonight(repo, present, now), now)
    elsewhere = [] if shelters else nearest_for_tonight(repo, present, now)
    if elsewhere:
        utter_nearest_elsewhere(dispatcher, repo, present)
    if shelters or elsewhere:
        dispatcher.utter_message(text=service_card((shelters or elsewhere)[0], language))
    else:
        utter_social_service(dispatcher, repo, present, language)
