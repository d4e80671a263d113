"""Under the answer to a message's topic: the other needs the same message named, as buttons (utter_other_needs)."""

from __future__ import annotations

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from cards.render import templates
from lvnorm.other_needs import OTHER_NEEDS


def named_with(tracker: Tracker, intent: str) -> list[str]:
    """The other needs of the person's latest message about `intent` (the shelter's answer may come a turn later,
    after the place question)."""
    for event in reversed(tracker.events):
        if event.get("event") != "user":
            continue
        parse = event.get("parse_data") or {}
        if (parse.get("intent") or {}).get("name") == intent:
            return [n for n in parse.get(OTHER_NEEDS) or [] if isinstance(n, str)]
    return []


def buttons(tracker: Tracker, intent: str, language: str) -> list[dict]:
    """A button per other need the person's message about `intent` named."""
    titles = templates(language)["topic_titles"]
    needs = [n for n in named_with(tracker, intent) if n in titles and n != intent]
    return [{"title": titles[n], "payload": f"/{n}"} for n in needs]


def offer(dispatcher: CollectingDispatcher, tracker: Tracker, intent: str, language: str) -> None:
    """"Jūs minējāt arī:" and the buttons, when the message named other needs."""
    offered = buttons(tracker, intent, language)
    if offered:
        dispatcher.utter_message(response="utter_other_needs", buttons=offered)
