"""Somewhere to sleep tonight: night shelters of the person's municipality, from the knowledge base."""

from __future__ import annotations

import asyncio
import datetime as dt
import re
from typing import Any, Callable

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import crisis, other_needs
from actions.forms import ask_again
from actions.deps import default_repository
from actions.language import language_of
from actions.requester import for_requester
from cards.payloads import REMIND_MORNING
from cards.render import city_buttons, night_plan, person_button, service_card, templates
from actions.social_service import social_service, utter_social_service
from actions.survey import checkin_button, count, offer_checkin
from knowledge.hours import RIGA, after_hours
from knowledge.records import SHELTER_KINDS, ServiceInfo
from knowledge.repository import KnowledgeRepository
from knowledge.tonight import for_tonight, nearest_for_tonight, ranked_for_tonight
from lvnorm.text import fold

INTENT = "ask_shelter_tonight"  # the topic this module answers
# Folded text (lvnorm.text.fold turns "ch" into "c"): "segodnja noch" is "segodnja noc".
_TONIGHT = re.compile(r"sonakt|sovakar|nakti|sodien nav kur|сегодня ноч|этой ноч|на ночь|ночью|segodnja noc|na noc")
MAX_SHELTERS = 3  # a phone screen: more than three cards is a wall of text
# The night plan's outcomes, as the survey counts them: sent elsewhere at night is still no data here.
NIGHT_OUTCOMES = {"night": "answered", "night_no_data": "no_data"}


def says_tonight(tracker: Tracker, messages: int = 3) -> bool:
    """Whether one of the person's last messages says it is for tonight ("nav kur gulēt šonakt")."""
    seen = 0
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            if _TONIGHT.search(fold(event.get("text") or "")):
                return True
            seen += 1
            if seen >= messages:
                break
    return bool(_TONIGHT.search(fold((tracker.latest_message or {}).get("text") or "")))


class ActionFindShelter(Action):
    """Answer 'where can I sleep tonight' for the municipality in the slot."""

    def __init__(self, repo: Callable[[], KnowledgeRepository] = default_repository,
                 clock: Callable[[], dt.datetime] = lambda: dt.datetime.now(RIGA)) -> None:
        self._repo = repo
        self._clock = clock

    def name(self) -> str:
        """Rasa action name."""
        return "action_find_shelter"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        """Cards for up to three shelters, then what to do if full; or an honest 'no data' and the fallback."""
        municipality, language = tracker.get_slot("municipality"), language_of(tracker)
        outcome, named = await asyncio.to_thread(self._answer, for_requester(dispatcher, tracker, language),
                                                 municipality, language, says_tonight(tracker), self._clock(), tracker)
        count(dispatcher, tracker, INTENT, municipality, NIGHT_OUTCOMES.get(outcome, outcome))
        if outcome not in NIGHT_OUTCOMES:  # the night plan carries these offers as buttons: one message at night
            offer_checkin(dispatcher, tracker, named, language)
            other_needs.offer(dispatcher, tracker, INTENT, language)
        return []

    def _answer(self, dispatcher: CollectingDispatcher, municipality: str, language: str, tonight: bool = False,
                now: dt.datetime | None = None, tracker: Tracker | None = None) -> tuple[str, ServiceInfo | None]:
        """Sends the answer; returns the outcome (NIGHT_OUTCOMES: the night plan, counted for the survey as answered
        or, when it sends the person elsewhere, as no data here) and the place a check-in may ask about."""
        repo = self._repo()
        now = now or dt.datetime.now(RIGA)
        night = tonight or after_hours(now)  # evening, night, a day off, or "tonight"
        shelters = (ranked_for_tonight(repo, municipality, now) if night
                    else repo.services(SHELTER_KINDS, municipality, at=now, limit=MAX_SHELTERS))
        usable = for_tonight(shelters, now) if night else []
        if usable:  # if the only place here is full: the nearest elsewhere, with its distance (Valmiera had none)
            second = usable[1] if len(usable) > 1 else next(iter(nearest_for_tonight(repo, municipality, now)), None)
            dispatcher.utter_message(text=night_plan(usable[0], second, language),
                                     buttons=night_buttons(tracker, usable[0], language))
            return "night", usable[0]
        elsewhere = nearest_for_tonight(repo, municipality, now) if night and not shelters else []
        if elsewhere:  # none here, at night: one message too (a man at 23:00 in Madona, his phone nearly dead)
            office = social_service(repo, municipality)
            dispatcher.utter_message(
                text=night_plan(elsewhere[0], elsewhere[1] if len(elsewhere) > 1 else None, language,
                                no_data_in=municipality, office=office),
                buttons=[*night_buttons(tracker, elsewhere[0], language),
                         person_button(language, "no_data")])
            return "night_no_data", elsewhere[0]
        if not shelters:
            dispatcher.utter_message(response="utter_shelter_no_data", municipality=municipality)
            elsewhere = nearest_for_tonight(repo, municipality, now)
            if elsewhere:  # across the border: the nearest two, with the distance and who they take
                utter_nearest_elsewhere(dispatcher, repo, municipality)
                for shelter in elsewhere:
                    dispatcher.utter_message(text=service_card(shelter, language))
            office = utter_social_service(dispatcher, repo, municipality, language)
            dispatcher.utter_message(  # at night the office is closed: 112, the state cities, a person
                response="utter_shelter_no_data_fallback",
                buttons=[*city_buttons(language, INTENT),
                         person_button(language, "no_data")])
            return "no_data", office
        dispatcher.utter_message(response="utter_shelter_intro", municipality=municipality)
        for shelter in shelters[:MAX_SHELTERS]:
            dispatcher.utter_message(text=service_card(shelter, language))
        dispatcher.utter_message(response="utter_shelter_if_full")
        utter_social_service(dispatcher, repo, municipality, language)
        return "answered", shelters[0]


def utter_nearest_elsewhere(dispatcher: CollectingDispatcher, repo: KnowledgeRepository, municipality: str) -> None:
    """The line before shelters in other municipalities: from where the distances are counted."""
    centre = repo.centre(municipality)
    dispatcher.utter_message(response="utter_shelter_nearest_elsewhere", place=centre[2] if centre else municipality)


def night_buttons(tracker: Tracker | None, shelter: ServiceInfo, language: str) -> list[dict[str, Any]]:
    """Under the night plan: the morning reminder, tomorrow's check-in about this place, the message's other needs."""
    return [{"title": templates(language)["btn_remind_morning"], "payload": REMIND_MORNING},
            *(checkin_button(tracker, shelter, language) if tracker is not None else []),
            *(other_needs.buttons(tracker, INTENT, language) if tracker is not None else [])]


class ActionAskMunicipality(Action):
    """Ask where the person is: with city buttons, or as plain text after they chose 'other place'."""

    def name(self) -> str:
        """Rasa calls action_ask_<slot> when a form requests that slot."""
        return "action_ask_municipality"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        """Pick the prompt by what the person just did."""
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        if intent == "inform_other_place":
            dispatcher.utter_message(response="utter_ask_municipality_typed")
        elif intent == "inform_municipality":
            dispatcher.utter_message(response="utter_place_unknown")
        else:
            language = language_of(tracker)
            dispatcher.utter_message(response="utter_ask_municipality", buttons=[
                *city_buttons(language, "inform_municipality"),
                {"title": templates(language)["btn_other_place"], "payload": "/inform_other_place"}])
        return []


KEEP_ASKING = frozenset({"inform_other_place", "inform_municipality", crisis.INTENT})


class ValidateShelterForm(FormValidationAction):
    """Keep the place question open when the answer names no known place."""

    def name(self) -> str:
        """Rasa form validation action name."""
        return "validate_shelter_form"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        """'Other place', an unknown place or a crisis message re-asks instead of leaving the form."""
        return ask_again(tracker, await super().run(dispatcher, tracker, domain), KEEP_ASKING)

    def validate_municipality(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """The extractor only produces canonical names; several places at once are ambiguous."""
        if isinstance(value, list):
            value = value[0] if len(set(value)) == 1 else None
        return {"municipality": value}
