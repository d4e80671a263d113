"""Answers for someone else: a mother asking for her son gets the same facts, addressed to him ("Jūsu dēlam:")."""

from __future__ import annotations

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from lvnorm.requester import address


class ForSomeone:
    """An answer for someone else ("my son got out..."): its first message says who it is for ("Jūsu dēlam:")."""

    def __init__(self, dispatcher: CollectingDispatcher, header: str) -> None:
        self._dispatcher = dispatcher
        self._header: str | None = header

    def utter_message(self, text: str | None = None, **kwargs) -> None:
        """Pass the message on, the first one shown with the header."""
        if self._header is not None and "json_message" not in kwargs:  # not a message the person sees
            if text:
                text = f"{self._header}:\n{text}"
            else:
                self._dispatcher.utter_message(text=f"{self._header}:")
            self._header = None
        self._dispatcher.utter_message(text=text, **kwargs)


def for_requester(dispatcher: CollectingDispatcher, tracker: Tracker, language: str):
    """The dispatcher itself, or one that heads the answer with who it is for (the `requester` slot)."""
    header = address(tracker.get_slot("requester"), language)
    return dispatcher if header is None else ForSomeone(dispatcher, header)
