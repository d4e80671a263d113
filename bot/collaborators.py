"""What the front door is given, as interfaces (the implementations: bot/fallback.py, bot/documents.py; the
scheduler: PTB's JobQueue on Telegram, the running loop elsewhere)."""

from __future__ import annotations

import asyncio
from typing import Awaitable, Callable, Protocol

from bot.rasa_client import Document

Schedule = Callable[[float, Callable[[], Awaitable[None]]], None]


class Facts(Protocol):
    """Read-only knowledge-base answers the front door can give without Rasa."""

    def for_message(self, message: str, language: str = "lv") -> tuple[str | None, list[str]]: ...

    def nearby(self, latitude: float, longitude: float, language: str = "lv") -> list[str]: ...

    def night_plan(self, latitude: float, longitude: float, language: str = "lv") -> str | None: ...


class Documents(Protocol):
    """Files Rasa asks the front door to send (bot/documents.py)."""

    def render(self, sender: str, kind: str, language: str) -> Document | None: ...

    def forget(self, sender: str) -> int: ...


def later(delay: float, job: Callable[[], Awaitable[None]]) -> None:
    """Run `job` after `delay` seconds on the running loop (the channel passes its own scheduler instead)."""
    asyncio.get_running_loop().call_later(delay, lambda: asyncio.ensure_future(job()))
