"""A place named on its own: remember it and offer what can be looked up there."""

from __future__ import annotations

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict


class ActionConfirmMunicipality(Action):
    """Confirm the place the person named (the slot is filled by its entity mapping)."""

    def name(self) -> str:
        """Rasa action name."""
        return "action_confirm_municipality"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        """Confirm a recognised place; say so when the text named none."""
        named = [e["value"] for e in tracker.latest_message.get("entities", []) if e.get("entity") == "municipality"]
        if named:
            dispatcher.utter_message(response="utter_municipality_noted", municipality=named[-1])
        else:
            dispatcher.utter_message(response="utter_place_unknown")
        return []
