"""`python -m bot`: Telegram long polling when TELEGRAM_BOT_TOKEN is set, terminal chat otherwise."""

from __future__ import annotations

import asyncio
import logging

from bot.crisis_model import CrisisModel
from bot.fallback import KnowledgeFacts
from bot.frontdoor import FrontDoor
from bot.rasa_client import RasaClient
from bot.settings import Settings
from bot.store import SqlStore
from bot.triage import Triage
from knowledge.triage import TriageStore


def _logging() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    # httpx logs every request URL at INFO, and Telegram URLs contain the bot token.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("httpcore").setLevel(logging.WARNING)


async def _terminal(settings: Settings) -> None:
    from bot.terminal import chat

    door = FrontDoor(
        settings, RasaClient(settings.rasa_urls, settings.rasa_timeout),
        SqlStore(settings.tracker_db_url, settings.knowledge_db_url), KnowledgeFacts(settings.knowledge_db_url),
        CrisisModel() if settings.crisis_model else None,
    )
    door.triage = Triage(settings, TriageStore(settings.knowledge_db_url), lambda uid: door.sender("terminal", uid))
    try:
        await chat(door)
    finally:
        await door.aclose()


def main() -> None:
    """Pick the channel from the environment."""
    _logging()
    settings = Settings.from_env()
    if settings.telegram_token:
        from bot.telegram_app import run

        run(settings)
    else:
        logging.getLogger().setLevel(logging.WARNING)  # keep the terminal chat readable
        asyncio.run(_terminal(settings))


if __name__ == "__main__":
    main()
