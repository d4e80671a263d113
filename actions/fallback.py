"""Two-step fallback: first the likeliest topics as buttons; if that fails too, a person and the menu."""

from __future__ import annotations

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import other_needs
from actions.history import DID_YOU_MEAN, intent_of, said, user_intents
from actions.language import language_of
from actions.survey import count
from cards.render import person_button, templates, topic_titles
from lvnorm import pointing
from lvnorm.pointing import is_short
from lvnorm.text import sentences, words

SUGGESTIONS = 3
FALLBACK = "nlu_fallback"  # the intent of a message below the confidence threshold


def _previous_user_intent(tracker: Tracker) -> str | None:
    intents = user_intents(tracker)
    return intents[-2] if len(intents) > 1 else None


def _last_answered_intent(tracker: Tracker) -> str | None:
    """The intent of the latest earlier message that got an answer, not a 'did you mean' question."""
    asked_back = False
    seen_latest = False
    for event in reversed(tracker.events):
        if event.get("event") == "bot":
            asked_back = asked_back or said(event, DID_YOU_MEAN)
        elif event.get("event") == "user":
            if not seen_latest:  # the message being answered now
                seen_latest, asked_back = True, False
                continue
            if not asked_back:
                return intent_of(event)
            asked_back = False
    return None


def _short_words(tracker: Tracker) -> list[str]:
    """The words, folded, of the message or else of its first sentence, when short enough to be a question about
    what was just answered; else none. "a kur tas ir? cik talu ejams no stacijas, telefonam 5% palicis" after a night
    shelter's card got three unrelated topics (the terminal chat, 2026-12-07): its question is the first sentence."""
    text = tracker.latest_message.get("text") or ""
    for candidate in (text, sentences(text)[0]):
        if is_short(found := words(candidate)):
            return found
    return []


def points_back(tracker: Tracker, intent: str) -> list[str]:
    """The topics just talked about, when this short message, read as another topic, points back at them: "vai tur
    vajag pasi" after a bed was read as the passport (a question that names nothing, "cik tas maksā", is not
    understood in the first place: nlu_components/points_back.py). The last answered topic first, then the one asked
    just before if that got only a 'did you mean'."""
    if not pointing.points_back(_short_words(tracker)):
        return []
    recent = [_last_answered_intent(tracker), _previous_user_intent(tracker)]
    return [t for t in dict.fromkeys(recent) if t not in (None, intent, FALLBACK)]


def did_you_mean(dispatcher: CollectingDispatcher, topics: list[str], language: str) -> None:
    """'Did you mean' with these topics, a person, and 'none of these'."""
    titles = topic_titles(language)
    offered = [*topics, *(["request_handoff"] if "request_handoff" not in topics else [])]  # and always a person
    dispatcher.utter_message(
        response=DID_YOU_MEAN,
        buttons=[{"title": titles[i], "payload": f"/{i}"} for i in offered if i in titles]
        + [{"title": templates(language)["none_of_these"], "payload": "/help"}],
    )


def follow_up(tracker: Tracker) -> list[str]:
    """The topic last answered, when this unclear message is short enough to be a question about it ("kas man
    japanem lidzi" after a bed was given got three unrelated topics; "kad strādā?" after "cik maksā?" had got 'did
    you mean', 2026-12-07)."""
    previous = _last_answered_intent(tracker)
    return [previous] if previous and previous != FALLBACK and _short_words(tracker) else []


class ActionSuggestTopics(Action):
    """Below the confidence threshold: 'did you mean' buttons and a person; a second miss in a row: a person and the
    menu. The needs that sentences of a long message named come first, then the topic just answered (for a short
    message), then the whole message's likeliest topics."""

    def name(self) -> str:
        """Rasa action name."""
        return "action_suggest_topics"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        """Pick the stage from the previous message's outcome."""
        count(dispatcher, tracker, FALLBACK, tracker.get_slot("municipality"), "fallback")
        short = _short_words(tracker)
        if pointing.asks_for_contact(tracker.latest_message.get("text") or "") and follow_up(tracker):  # "telefons ir?" after a card: all it has is there
            dispatcher.utter_message(response="utter_answered_above",
                                     buttons=[person_button(language_of(tracker), "no_data")])
            return []
        asks_about_an_answer = (pointing.names_nothing(short) or pointing.points_back(short)) and follow_up(tracker)
        if _previous_user_intent(tracker) == FALLBACK and not asks_about_an_answer:  # a second question that names
            # nothing ("cik maksā?", then "kad strādā?") or points back ("un ja tur nav vietu?" after a bed and an
            # unclear "naudas nav vispar", 2026-12-07) is not a second miss: it is about the answer before
            dispatcher.utter_message(response="utter_default")
            dispatcher.utter_message(response="utter_offer_handoff_after_misses")
            dispatcher.utter_message(response="utter_menu")
            return []
        language = language_of(tracker)
        titles = topic_titles(language)
        named = other_needs.named_with(tracker, FALLBACK)  # a sentence of the message named a need
        ranked = [r.get("name") for r in tracker.latest_message.get("intent_ranking") or []]
        likely = [n for n in dict.fromkeys([*named, *follow_up(tracker), *ranked]) if n in titles][:SUGGESTIONS]
        if not likely:
            dispatcher.utter_message(response="utter_default")
            dispatcher.utter_message(response="utter_menu")
            return []
        did_you_mean(dispatcher, likely, language)
        return []
