"""What the three jobs of the handoff share (bot/handoff/__init__.py composes them into one object): the settings,
the store, the clock, the courier and the survey, set once by the composed class, and the calls one job makes into
another, defined in the job that owns them."""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import TYPE_CHECKING, Any, Callable

from bot.rasa_client import Reply
from bot.settings import Settings
from personal.handoff import HandoffStore, RequestView
from survey.events import EventLog

if TYPE_CHECKING:
    from bot.handoff.announcer import Courier

CHECK_PREFIX = "#vf:"  # the payloads of a volunteer's call buttons (bot/handoff/verify.py): #vf:<verb>:<number>


class Parts:
    """The handoff's shared state (declared here, set by bot.handoff.Handoff)."""

    _settings: Settings
    _store: HandoffStore
    _clock: Callable[[], dt.datetime]
    _survey: EventLog | None
    courier: Courier

    async def _db(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """A store call, in a worker thread (the event loop never waits on the database)."""
        return await asyncio.to_thread(fn, *args, **kwargs)

    # Defined by the Announcer; the person's side and the desk call them.
    def volunteer_summary(self, r: RequestView) -> str:
        raise NotImplementedError

    async def announce_pending(self) -> int:
        raise NotImplementedError

    # Defined by Verify (the calls); the desk's commands call them.
    async def next_check(self, user_id: int, in_group: bool = False) -> list[Reply]:
        raise NotImplementedError

    async def new_value(self, user_id: int, words: str) -> list[Reply]:
        raise NotImplementedError

    async def check_button(self, user_id: int, payload: str) -> list[Reply]:
        raise NotImplementedError
