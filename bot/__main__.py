"""`python -m bot`: Telegram long polling when TELEGRAM_BOT_TOKEN is set, terminal chat otherwise."""

from __future__ import annotations

import asyncio
import logging
import sys

from bot.compose import build_front_door
from bot.settings import Settings


def _logging() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    # httpx logs every request URL at INFO, and Telegram URLs contain the bot token.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("httpcore").setLevel(logging.WARNING)


async def _terminal(settings: Settings) -> None:
    from bot.compose import retention_round
    from bot.terminal import TerminalMessenger, chat

    door = build_front_door(settings, "terminal", TerminalMessenger(sys.stdout))
    try:
        await retention_round(door)  # no job queue here: what is past its time goes at the start of each chat
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
