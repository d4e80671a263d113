"""After the front door's crisis block: a bed when the message asks for one; else an invitation to write, and the
other needs its sentences name, as buttons.

The whole-message classifier is not asked what else the message needs: a crisis message is not a topic, and its
ranking under the crisis intent is whatever topic sounds nearest (on the old crisis held-out set, 2026-12-07, it
would have answered 69 of 110 messages with a topic: "сосед ломает дверь топором" with the first steps after
release, a friend who overdosed with clothes and a shower). A bed is the one need answered at once (freezing, a
violent home, a full shelter); the others wait for the person, offered only when a sentence of the message states
them (lvnorm.other_needs).
"""

from __future__ import annotations

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import other_needs
from actions.language import language_of
from crisis.detect import findings

INTENT = "crisis"
CRISIS_ONLY = frozenset({INTENT})  # the intents a form asks its question again for (actions.forms)
SHELTER = "ask_shelter_tonight"
MIN_CONFIDENCE = 0.4  # the classifier's own confidence in a bed, under the crisis intent


def asks_for_a_bed(tracker: Tracker) -> bool:
    """Does the message ask for a bed: the writer is freezing outside, a sentence of it states that need, or the
    classifier ranks it high?"""
    return freezing_outside(tracker) or SHELTER in other_needs.named_with(tracker, INTENT) or any(
        r.get("name") == SHELTER and (r.get("confidence") or 0) >= MIN_CONFIDENCE
        for r in tracker.latest_message.get("intent_ranking") or [])


def freezing_outside(tracker: Tracker) -> bool:
    """Is the writer the one freezing outside (crisis.detect, kind `freezing`)? Then a warm place tonight is the need,
    whatever the words: "сижу на остановке в Резекне, замерзаю, идти некуда" got the numbers and "write what is
    happening", and no bed (the terminal chat, 2026-12-07). Someone else found in the cold needs 112 and 113 first,
    which the front door has given."""
    return any(f.kind == "freezing" and not f.third_person for f in findings(tracker.latest_message.get("text") or ""))


def is_crisis(tracker: Tracker) -> bool:
    """Is the latest message a crisis (the front door's decision, the crisis intent)?"""
    return (tracker.latest_message.get("intent") or {}).get("name") == INTENT


class ActionCrisisFollowup(Action):
    """The numbers came first, from the front door; here: the place question for a bed, else a word to go on."""

    def name(self) -> str:
        """Rasa action name."""
        return "action_crisis_followup"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        """A bed goes to the shelter form; otherwise the invitation, and buttons for the needs the message states."""
        if asks_for_a_bed(tracker):
            return [FollowupAction("shelter_form")]
        dispatcher.utter_message(response="utter_crisis_followup")
        other_needs.offer(dispatcher, tracker, INTENT, language_of(tracker))
        return []
