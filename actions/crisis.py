"""After the front door's crisis block: answer the other need the message names, if it clearly names one."""

from __future__ import annotations

from typing import Callable

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.deps import default_repository
from actions.language import language_of
from cards.render import topic_titles
from actions.topics import ActionAnswerTopic
from knowledge.repository import KnowledgeRepository

SHELTER = "ask_shelter_tonight"
MIN_CONFIDENCE = 0.4  # the classifier's own confidence in the other need, under the crisis intent


def other_need(tracker: Tracker) -> str | None:
    """The topic the classifier ranked first under `crisis`, when it is sure enough of it."""
    topics = topic_titles("lv")
    for r in tracker.latest_message.get("intent_ranking") or []:
        name = r.get("name")
        if name in topics and not name.startswith("request_") and (r.get("confidence") or 0) >= MIN_CONFIDENCE:
            return name
    return None


class ActionCrisisFollowup(Action):
    """The numbers came first, from the front door; here: a bed, food, a document... or a short word to go on."""

    def __init__(self, repo: Callable[[], KnowledgeRepository] = default_repository) -> None:
        self._topics = ActionAnswerTopic(repo)

    def name(self) -> str:
        """Rasa action name."""
        return "action_crisis_followup"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        """A shelter question goes to the shelter form, another topic is answered, else an invitation to write."""
        need = other_need(tracker)
        if need == SHELTER:
            return [FollowupAction("shelter_form")]
        if need is None:
            dispatcher.utter_message(response="utter_crisis_followup")
            return []
        await self._topics.answer(dispatcher, tracker, need, tracker.get_slot("municipality"), language_of(tracker),
                                 tracker.get_slot("declared_municipality"))
        return []
