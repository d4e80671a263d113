"""What the actions tell the survey (survey/): the outcome of a need, as a custom message the front door counts and
never shows, and the offer to ask tomorrow whether it worked out."""

from __future__ import annotations

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from cards.payloads import CHECKIN_ASK, CHECKIN_NO
from cards.render import templates
from knowledge.records import ServiceInfo
from lvnorm.requester import role_of
from survey.events import CHECKIN_TOPICS


def count(dispatcher: CollectingDispatcher, tracker: Tracker, topic: str, municipality: str | None,
          outcome: str) -> None:
    """One need and what came of it: answered, no_data (nothing local in the knowledge base) or fallback."""
    dispatcher.utter_message(json_message={"survey": {
        "topic": topic, "municipality": municipality, "outcome": outcome,
        "requester": role_of(tracker.get_slot("requester"))}})


def offer_checkin(dispatcher: CollectingDispatcher, tracker: Tracker, service: ServiceInfo | None,
                  language: str) -> None:
    """"Vai drīkstu rīt pajautāt, vai izdevās?" under an answer that named a place — once in a conversation."""
    if service is None or not _may_offer(tracker, service):
        return
    t = templates(language)
    dispatcher.utter_message(text=t["checkin_offer"], buttons=[
        {"title": t["btn_checkin_yes"], "payload": CHECKIN_ASK + service.id},
        {"title": t["btn_checkin_no"], "payload": CHECKIN_NO}])


def checkin_button(tracker: Tracker, service: ServiceInfo | None, language: str) -> list[dict]:
    """The same offer as one button, for the night plan (at night: one message)."""
    if service is None or not _may_offer(tracker, service):
        return []
    return [{"title": templates(language)["btn_checkin_tomorrow"], "payload": CHECKIN_ASK + service.id}]


def _may_offer(tracker: Tracker, service: ServiceInfo) -> bool:
    return service.kind in CHECKIN_TOPICS and not _offered(tracker)


def _offered(tracker: Tracker) -> bool:
    return any(e.get("event") == "bot" and any(str(b.get("payload", "")).startswith(CHECKIN_ASK)
                                               for b in (e.get("data") or {}).get("buttons") or [])
               for e in tracker.events)
