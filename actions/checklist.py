"""The personal document checklist: a short form, a plan ordered by what unlocks what, ticks, and a PDF."""

from __future__ import annotations

import asyncio
import datetime as dt
import re
from dataclasses import replace
from typing import Any, Callable

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import crisis
from actions.forms import ask_again
from actions.history import intent_of
from actions.deps import default_repository
from actions.language import language_of
from actions.requester import for_requester
from actions.topics import ActionAnswerTopic
from cards.checklist import basis, item_lines, name, records, today
from cards.payloads import SHARE_PLAN
from cards.render import city_buttons, localized, templates
from knowledge.checklist import PHASES, Situation, plan
from knowledge.repository import KnowledgeRepository
from lvnorm.pointing import is_question
from lvnorm import told
from lvnorm.residence import DECLARED, NOWHERE, UNKNOWN
from lvnorm.text import fold
from personal import checklist as checklist_store

# Form slot -> what it means in the plan: a document held, or a fact about the person.
DOCUMENT_SLOTS = {
    "cl_id": "id_document", "cl_certificate": "release_certificate", "cl_residence": "declared_residence",
    "cl_doctor": "family_doctor", "cl_bank": "bank_account",
}
FORM_SLOTS = ["municipality", "declared_municipality", "cl_released", *DOCUMENT_SLOTS, "cl_probation",
              "cl_working_age"]
KEPT_ON_RESTART = {"municipality", "declared_municipality"}  # the places are not asked again
SAME_PLACE = "same"  # "declared where I will live"
ASIDE = 0.8  # a question of another topic at least this confident is answered aside, even if it also fills the slot
RELEASE_ANSWERS = {"today": 0, "yesterday": 1, "week": 7, "month": 30}
_DATE = re.compile(r"^\s*(\d{1,2})[./-](\d{1,2})(?:[./-](\d{2,4}))?\.?\s*$")


# Typed answers (folded: no diacritics), Latvian and Russian, to the button values; a time typed ("vakar", "pirms 3
# dienām", "позавчера") is read by lvnorm/told.py.
_TYPED_RELEASE = (
    (("vel ne", "vel neesmu", "neesmu atbrivots", "neesmu vel", "ещ не", "еще не", "ещё не", "пока не", "не освобожд"), "not_yet"),
    (("nezinu", "не знаю"), "unknown"),
)


_TYPED_DECLARED = (
    (("nekur", "nav deklar", "nav bijis", "нигде", "nigde", "нет прописки", "net propiski", "не было"), NOWHERE),
    (("nezinu", "neatceros", "не знаю", "ne znaju", "не помню"), UNKNOWN),
    (("ta pati", "tas pats", "turpat", "tur pat", "то же", "там же", "тот же", "to zhe", "tam zhe"), SAME_PLACE),
)


def parse_declared(value: str | None) -> str | None:
    """A typed or button answer about the declared residence: SAME_PLACE, NOWHERE, UNKNOWN, or None."""
    if not value:
        return None
    if value in (SAME_PLACE, NOWHERE, UNKNOWN):
        return value
    folded = fold(value)
    return next((answer for words, answer in _TYPED_DECLARED if any(w in folded for w in words)), None)


def slot_before_this_message(tracker: Tracker, slot: str) -> Any:
    """A slot's value before the latest message filled it (a place named as the declared one also fills
    `municipality`, where the person is: that must not change)."""
    seen_user = False
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            seen_user = True
        elif seen_user and event.get("event") == "slot" and event.get("name") == slot:
            return event.get("value")
    return None


def _typed_release(value: str) -> str | None:
    folded = fold(value)
    for words, answer in _TYPED_RELEASE:
        if any(w in folded for w in words):
            return answer
    return None


def parse_release(value: str | None, on: dt.date) -> str | None:
    """'today' | 'yesterday' | 'week' | 'month' | 'not_yet' | 'unknown' | '24.11.2026' -> ISO date, 'not_yet',
    'unknown', or None when it cannot be read."""
    if not value:
        return None
    value = value.strip().lower()
    value = _typed_release(value) or value
    days = RELEASE_ANSWERS.get(value, told.days_before(value))
    if days is not None:
        return (on - dt.timedelta(days=days)).isoformat()
    if value in ("not_yet", "unknown"):
        return value
    m = _DATE.match(value)
    date = told.calendar_date(m[1], m[2], m[3], on) if m else None
    return date.isoformat() if date is not None and date <= on + dt.timedelta(days=366) else None


def situation_from(tracker: Tracker, done: frozenset[str] = frozenset()) -> Situation:
    """The form's answers as the planner's input."""
    released = tracker.get_slot("cl_released")
    release_date = dt.date.fromisoformat(released) if released and released[:1].isdigit() else None
    has = {doc: tracker.get_slot(slot) or "unknown" for slot, doc in DOCUMENT_SLOTS.items()}
    if released == "not_yet":
        has["release_certificate"] = "no"
    return Situation(
        municipality=tracker.get_slot("municipality"), release_date=release_date, has=has,
        probation=tracker.get_slot("cl_probation") or "unknown",
        working_age=tracker.get_slot("cl_working_age") or "unknown", done=done,
        declared=tracker.get_slot("declared_municipality"),
    )


def place_unknown(tracker: Tracker) -> bool:
    """Since the plan's questions began, the person answered the place question with "I don't know"."""
    unknown, requested = False, None
    for event in tracker.events:
        kind = event.get("event")
        if kind == "active_loop" and event.get("name") == "checklist_form":
            unknown, requested = False, None  # the questions begin (again)
        elif kind == "slot" and event.get("name") == "requested_slot":
            requested = event.get("value")
        elif kind == "user" and requested == "municipality":
            unknown = unknown or intent_of(event) == "dont_know"
    return unknown and not tracker.get_slot("municipality")


def told_before(tracker: Tracker, on: dt.date) -> list[EventType]:
    """The release and a missing passport, where the person told them before the plan's questions began (since the
    last "start again", which asks afresh), for the questions not yet answered or asked: "vakar iznacu no Jelgavas
    cietuma, pase beigusies" was asked both again (the terminal chat, 2026-12-07). The plan shows what it was made
    from, so a wrong reading can be corrected."""
    texts: list[str] = []
    upto = 0
    for event in tracker.events:
        kind = event.get("event")
        if kind == "action" and event.get("name") == "action_checklist_restart":
            texts, upto = [], 0
        elif kind == "user" and not (event.get("text") or "/").startswith("/"):  # typed, not a button
            texts.append(event["text"])
        elif kind == "active_loop" and event.get("name") == "checklist_form":
            upto = len(texts)  # the questions began with this message
    said = texts[:upto]
    asked = tracker.get_slot("requested_slot")
    out: list[EventType] = []
    released = next(filter(None, (told.release(t, on) for t in reversed(said))), None)
    if released is not None and tracker.get_slot("cl_released") is None and asked != "cl_released":
        out.append(SlotSet("cl_released", released))
    if any(map(told.id_missing, said)) and tracker.get_slot("cl_id") is None and asked != "cl_id":
        out.append(SlotSet("cl_id", "no"))
    return out


class ValidateChecklistForm(FormValidationAction):
    """Reads the release date; everything else arrives as yes / no / unknown."""

    def name(self) -> str:
        """Rasa form validation action name."""
        return "validate_checklist_form"

    def __init__(self, repo: Callable[[], KnowledgeRepository] = default_repository) -> None:
        super().__init__()
        self._repo = repo

    async def required_slots(self, domain_slots: list[str], dispatcher: CollectingDispatcher, tracker: Tracker,
                             domain: DomainDict) -> list[str]:
        """All the form's questions, but the place when the person does not know where they will live: "nezinu"
        asked the question again and again, and there was no plan without a town (the terminal chat, 2026-12-07)."""
        return [s for s in domain_slots if not (s == "municipality" and place_unknown(tracker))]

    async def get_validation_events(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                    domain: DomainDict) -> list[EventType]:
        """The answers of this message, and what the person told before the questions began (`told_before`): set
        before the next question is chosen, so that it is not asked."""
        events = await super().get_validation_events(dispatcher, tracker, domain)
        named = {e["name"] for e in events}
        return [*events, *(e for e in told_before(tracker, today()) if e["name"] not in named)]

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        """A crisis message asks the question again (actions.forms.ask_again). A question about another topic, or
        thanks, that answers nothing, and a confident question about another topic even when it names a place, is
        answered, and then the question asked again: in the terminal chat (2026-12-07) a volunteer's "Vai ir
        iespējams piesaistīt mentoru...?" and a mother's "Liels paldies Jums." were both taken for a place, "Šo
        vietu nepazinu"."""
        validating = CollectingDispatcher()
        events = await super().run(validating, tracker, domain)
        slot = tracker.get_slot("requested_slot")
        intent = tracker.latest_message.get("intent") or {}
        name = intent.get("name") or ""
        answered = any(isinstance(e, dict) and e.get("name") == slot and e.get("value") is not None for e in events)
        # a question about another topic, not a statement: "izziņu par atbrīvošanu iedeva, tā man ir" and "Rīgā
        # deklarēts biju" read as topics too, and were answered as such while the question came back again and again
        # (the terminal chat, 2026-12-07); a confident question is not an answer even when it names a place ("un kur
        # Liepājā var saņemt valsts nodrošināto juridisko palīdzību?" had become the declared residence)
        asks = (name != "request_checklist" and self._repo().topic(name) is not None
                and is_question(tracker.latest_message.get("text") or ""))
        if slot and (asks and (not answered or intent.get("confidence", 0) >= ASIDE)
                     or name == "thank" and not answered):
            if name == "thank":
                dispatcher.utter_message(response="utter_thank")
            else:
                language = language_of(tracker)
                await ActionAnswerTopic(self._repo).answer(
                    for_requester(dispatcher, tracker, language), tracker, name, tracker.get_slot("municipality"),
                    language, tracker.get_slot("declared_municipality"))
            return [SlotSet(slot, None)]
        dispatcher.messages.extend(validating.messages)
        if slot == "municipality" and place_unknown(tracker):  # a slot set, or Rasa rejects the turn
            events = [*events, SlotSet("municipality", None)]
        return ask_again(tracker, events, crisis.CRISIS_ONLY)

    def validate_cl_released(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """A button answer or a typed date; an unreadable answer asks again."""
        answer = next((e.get("value") for e in tracker.latest_message.get("entities", []) if e.get("entity") == "answer"),
                      None)
        parsed = parse_release(answer or value, today())
        if parsed is None and not crisis.is_crisis(tracker):  # a crisis message is not a date: only the question again
            dispatcher.utter_message(response="utter_checklist_date_unclear")
        return {"cl_released": parsed}


    def validate_declared_municipality(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """A place (typed or a role-tagged mention), "the same place", "nowhere" or "I don't know"."""
        entities = tracker.latest_message.get("entities", [])
        places = [e for e in entities if e.get("entity") == "municipality"]
        answer = next((e.get("value") for e in entities if e.get("entity") == "answer"), None)
        named = [e for e in places if e.get("role") == DECLARED] or places[-1:]  # "dzīvošu Rīgā, deklarēts Cēsīs"
        declared = named[0]["value"] if named else parse_declared(answer or value)
        if declared == SAME_PLACE:
            declared = tracker.get_slot("municipality") or UNKNOWN
        if declared is None:
            if not crisis.is_crisis(tracker):
                dispatcher.utter_message(response="utter_checklist_place_unclear")
            return {"declared_municipality": None}
        out: dict[str, Any] = {"declared_municipality": declared}
        if any("role" not in e for e in places):  # "Cēsīs" as the answer also filled `municipality`: undo that
            out["municipality"] = slot_before_this_message(tracker, "municipality")
        return out


class ActionAskChecklistMunicipality(Action):
    """The document plan's place question, with the state cities as buttons."""

    def name(self) -> str:
        """Rasa calls action_ask_<form>_<slot> when the checklist form requests the place."""
        return "action_ask_checklist_form_municipality"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        """The question (domain/checklist.yml) and the cities."""
        dispatcher.utter_message(response="utter_ask_checklist_form_municipality",
                                 buttons=city_buttons(language_of(tracker), "inform_municipality"))
        return []


class _ChecklistAction:
    """Shared by the checklist actions: the repository, the plan, and the messages. Not an Action itself:
    rasa_sdk registers every Action subclass, and this one has no name."""

    def __init__(self, repo: Callable[[], KnowledgeRepository] = default_repository, store=checklist_store) -> None:
        self._repo = repo
        self._store = store

    async def _stored(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> Situation | None:
        """The person's stored plan input; None (and saying so) when there is none yet."""
        stored = await asyncio.to_thread(self._store.load, None, tracker.sender_id)
        if stored is None:
            dispatcher.utter_message(response="utter_checklist_none")
        return stored

    def _show(self, dispatcher: CollectingDispatcher, sender: str, situation: Situation, language: str,
              with_pdf: bool = False) -> None:
        repo = self._repo()
        records_, details = records(repo, situation)
        details = {k: localized(v, language) for k, v in details.items()}  # Russian texts for a Russian reader
        the_plan = plan(situation, records_, today())
        self._store.save(None, sender, situation)  # refused (and not kept) in the minute after /dzest
        t = templates(language)
        done, total = the_plan.progress()
        dispatcher.utter_message(text="\n".join([t["plan_progress"].format(done=done, total=total),
                                                *basis(situation, t)]))
        for phase in PHASES:
            lines = [t[f"phase_{phase}"] + ":"]
            for item in (i for i in the_plan.items if i.phase == phase and i.status != "done"):
                lines += item_lines(item, details, t)
            if len(lines) > 1:
                dispatcher.utter_message(text="\n".join(lines))
        finished = [i for i in the_plan.items if i.status == "done"]
        if finished:
            dispatcher.utter_message(text="\n".join(t["item_done"].format(name=name(i, details)) for i in finished))
        if the_plan.dead_end:
            dispatcher.utter_message(text=t["dead_end"])
        if with_pdf:  # the front door renders it from the stored plan: no document ever goes into the tracker
            dispatcher.utter_message(json_message={"document": {"kind": "checklist"}})
        dispatcher.utter_message(response="utter_checklist_next", buttons=[
            {"title": t["btn_tick"], "payload": "/checklist_tick"},
            {"title": t["btn_pdf"], "payload": "/checklist_pdf"},
            {"title": t["btn_restart"], "payload": "/checklist_restart"},
            {"title": t["btn_give"], "payload": SHARE_PLAN},
        ])


class ActionShowChecklist(_ChecklistAction, Action):
    """After the form: the plan, stored under the pseudonymous id."""

    def name(self) -> str:
        """Rasa action name."""
        return "action_show_checklist"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        """Keep earlier ticks; show the plan (headed "Jūsu dēlam:" when a mother made it for her son)."""
        stored = await asyncio.to_thread(self._store.load, None, tracker.sender_id)
        situation = situation_from(tracker, stored.done if stored else frozenset())
        language = language_of(tracker)
        await asyncio.to_thread(self._show, for_requester(dispatcher, tracker, language), tracker.sender_id,
                                situation, language)
        return []


class ActionChecklistTick(_ChecklistAction, Action):
    """'Mark done': a button for every open step; a step's own button ticks it."""

    def name(self) -> str:
        """Rasa action name."""
        return "action_checklist_tick"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        """Tick the step named in the payload, or offer the open steps."""
        stored = await self._stored(dispatcher, tracker)
        if stored is None:
            return []
        step = next((e.get("value") for e in tracker.latest_message.get("entities", []) if e.get("entity") == "step"), None)
        language = language_of(tracker)
        if step:
            situation = replace(stored, done=stored.done | {step})
            await asyncio.to_thread(self._show, dispatcher, tracker.sender_id, situation, language)
            return []
        repo = self._repo()
        records_, details = await asyncio.to_thread(records, repo, stored)
        the_plan = plan(stored, records_, today())
        dispatcher.utter_message(response="utter_checklist_which", buttons=[
            {"title": name(i, details)[:60], "payload": f'/checklist_tick{{"step": "{i.step}"}}'}
            for i in the_plan.items if i.status != "done"
        ])
        return []


class ActionChecklistPdf(_ChecklistAction, Action):
    """The plan as a PDF document."""

    def name(self) -> str:
        """Rasa action name."""
        return "action_checklist_pdf"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        """Render the stored plan, or say there is none yet."""
        stored = await self._stored(dispatcher, tracker)
        if stored is None:
            return []
        await asyncio.to_thread(self._show, dispatcher, tracker.sender_id, stored, language_of(tracker), True)
        return []


class ActionChecklistRestart(Action):
    """Start the answers again (a correction); the places are kept, the ticks are kept."""

    def name(self) -> str:
        """Rasa action name."""
        return "action_checklist_restart"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        """Clear the form's answers so the form asks them again."""
        return [SlotSet(slot, None) for slot in FORM_SLOTS if slot not in KEPT_ON_RESTART]
