"""Under the answer to a message's topic: the other needs the same message named, as buttons (utter_other_needs)."""

from __future__ import annotations

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from cards.render import topic_titles
from lvnorm.other_needs import OTHER_NEEDS


PLACE_ANSWERS = ("inform_municipality", "inform_other_place")  # what may stand between a question and its answer


def named_with(tracker: Tracker, intent: str) -> list[str]:
    """The other needs of the message this answer answers: the latest one, or the one about `intent` before the
    person's answers to the place question (the shelter's answer comes after them). Never an older question's."""
    for event in reversed(tracker.events):
        if event.get("event") != "user":
            continue
        parse = event.get("parse_data") or {}
        name = (parse.get("intent") or {}).get("name")
        if name == intent:
            return [n for n in parse.get(OTHER_NEEDS) or [] if isinstance(n, str)]
        if name not in PLACE_ANSWERS:
            return []
    return []


def buttons(tracker: Tracker, intent: str, language: str, met: tuple[str, ...] = ()) -> list[dict]:
    """A button per other need the person's message about `intent` named, but those the answer has met."""
    titles = topic_titles(language)
    needs = [n for n in named_with(tracker, intent) if n in titles and n != intent and n not in met]
    return [{"title": titles[n], "payload": f"/{n}"} for n in needs]


def offer(dispatcher: CollectingDispatcher, tracker: Tracker, intent: str, language: str,
          met: tuple[str, ...] = ()) -> None:
    """utter_other_needs ("Jūs rakstījāt arī par šo:") and the buttons, when the message named other needs the
    answer has not met."""
    offered = buttons(tracker, intent, language, met)
    if offered:
        dispatcher.utter_message(response="utter_other_needs", buttons=offered)
