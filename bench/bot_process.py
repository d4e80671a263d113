"""`python -m bench.bot_process`: the real Telegram front door for the load benchmark.

It is `python -m bot` in Telegram mode (bot.telegram_app.build_application, long polling against
TELEGRAM_BASE_URL) with one observer added after every handler of the bot's own: when the bot has completely
finished with an update (all its messages sent), the observer prints `done <update_id>` on stdout. The load driver
uses that to know a turn is over without guessing how many messages it has; the turn's latency is still measured
at the fake Telegram server, up to the arrival of the turn's last message.
"""

from __future__ import annotations

import sys

from telegram import Update
from telegram.ext import TypeHandler

from bot.__main__ import _logging
from bot.settings import Settings
from bot.telegram_app import build_application


async def _done(update: Update, context) -> None:
    sys.stdout.write(f"done {update.update_id}\n")
    sys.stdout.flush()


def main() -> None:
    _logging()
    app = build_application(Settings.from_env())
    app.add_handler(TypeHandler(Update, _done), group=99)  # runs after the bot's group-0 handler has returned
    app.run_polling(allowed_updates=["message", "edited_message", "callback_query"])


if __name__ == "__main__":
    main()
