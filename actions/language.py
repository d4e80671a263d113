"""The conversation's language: the person's explicit choice, else the script of what they write."""

from __future__ import annotations

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from lvnorm.text import fold, language

LANGUAGES = ("lv", "ru")
CHOICE_WORDS = 4  # "vari rakstīt latviski?", "можно на русском?": a typed choice of language is short


class ActionDetectLanguage(Action):
    """Custom slot mapping for `language` and `language_chosen`, run after every user message."""

    def name(self) -> str:
        """Rasa action name."""
        return "action_detect_language"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        """A choice (button or 'po-russki') is remembered; otherwise Cyrillic or Russian typed in Latin letters
        means Russian, a Latvian word Latvian, and a message that shows neither keeps the language so far
        (lvnorm.text.language)."""
        message = tracker.latest_message or {}
        if (message.get("intent") or {}).get("name") == "set_language":
            chosen = next((e.get("value") for e in message.get("entities", []) if e.get("entity") == "language"), None)
            folded = fold(message.get("text") or "")
            if chosen is None and len(folded.split()) <= CHOICE_WORDS:  # typed, not a button: "krieviski", "по-русски"
                # a longer message speaks about a language, it does not choose one: "а это всё на латышском? он
                # латышский почти не знает" had switched a Russian conversation to Latvian (the terminal chat,
                # 2026-12-07)
                chosen = "ru" if any(w in folded for w in ("kriev", "русск", "russk")) else (
                    "lv" if any(w in folded for w in ("latv", "латыш")) else None)
            if chosen in LANGUAGES:
                return [SlotSet("language", chosen), SlotSet("language_chosen", True)]
        if tracker.get_slot("language_chosen"):
            return []
        text = message.get("text") or ""
        if not text or text.startswith("/"):  # a button or command: the front door says in which language it came
            detected = front_door_language(tracker)
            if detected is None:
                return []
        else:
            detected = language(text, tracker.get_slot("language"))
        return [] if detected == tracker.get_slot("language") else [SlotSet("language", detected)]


def front_door_language(tracker: Tracker) -> str | None:
    """The language the front door put in the latest user message's metadata (a Russian command, for one)."""
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            value = (event.get("metadata") or {}).get("language")
            return value if value in LANGUAGES else None
    return None


def language_of(tracker: Tracker) -> str:
    """The language to answer in."""
    value = tracker.get_slot("language")
    return value if value in LANGUAGES else "lv"
