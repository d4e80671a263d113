"""Telegram transport (python-telegram-bot, long polling). Rendering and safety live in the front door."""

from __future__ import annotations

import logging

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot.frontdoor import COMMANDS, FrontDoor
from bot.rasa_client import RasaClient, Reply
from bot.settings import Settings
from bot.texts import text

log = logging.getLogger(__name__)
TELEGRAM_LIMIT = 4096


def split_message(body: str, limit: int = TELEGRAM_LIMIT) -> list[str]:
    """Split at paragraph, then line, then word boundaries so no part exceeds Telegram's limit."""
    parts, current = [], ""
    for piece in body.split("\n"):
        while len(piece) > limit:
            cut = piece.rfind(" ", 0, limit)
            cut = cut if cut > 0 else limit
            if current:
                parts.append(current)
                current = ""
            parts.append(piece[:cut])
            piece = piece[cut:].lstrip()
        candidate = f"{current}\n{piece}" if current else piece
        if len(candidate) > limit:
            parts.append(current)
            current = piece
        else:
            current = candidate
    if current:
        parts.append(current)
    return parts or [""]


def keyboard(door: FrontDoor, sender: str, reply: Reply) -> InlineKeyboardMarkup | None:
    """Rasa buttons as an inline keyboard, two per row, with opaque callback tokens."""
    if not reply.buttons:
        return None
    buttons = [InlineKeyboardButton(b.title, callback_data=door.button_token(sender, b.payload)) for b in reply.buttons]
    return InlineKeyboardMarkup([buttons[i : i + 2] for i in range(0, len(buttons), 2)])


async def _send(update: Update, context: ContextTypes.DEFAULT_TYPE, replies: list[Reply]) -> None:
    door: FrontDoor = context.application.bot_data["door"]
    sender = door.sender("telegram", update.effective_user.id)
    chat_id = update.effective_chat.id
    for reply in replies:
        chunks = split_message(reply.text)
        for i, chunk in enumerate(chunks):
            markup = keyboard(door, sender, reply) if i == len(chunks) - 1 else None
            await context.bot.send_message(chat_id, chunk, reply_markup=markup)


async def on_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A typed message goes through the front door."""
    door: FrontDoor = context.application.bot_data["door"]
    await _send(update, context, await door.handle_text("telegram", update.effective_user.id, update.message.text))


async def on_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Our own commands (and an answer for unknown ones)."""
    door: FrontDoor = context.application.bot_data["door"]
    command = update.message.text.split()[0][1:]
    await _send(update, context, await door.handle_command("telegram", update.effective_user.id, command))


async def on_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """An inline button: the token is looked up server-side, never trusted."""
    door: FrontDoor = context.application.bot_data["door"]
    query = update.callback_query
    await query.answer()
    await _send(update, context, await door.handle_button("telegram", update.effective_user.id, query.data or ""))


async def on_other(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Stickers, voice, photos, documents: a short, kind answer."""
    await _send(update, context, [Reply(text("not_text"))])


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Log the error type only: update contents may hold message text."""
    log.error("handler error: %s", type(context.error).__name__)


async def _post_init(app: Application) -> None:
    settings: Settings = app.bot_data["settings"]
    app.bot_data["door"] = FrontDoor(settings, RasaClient(settings.rasa_urls, settings.rasa_timeout))


async def _post_shutdown(app: Application) -> None:
    door: FrontDoor | None = app.bot_data.get("door")
    if door is not None:
        await door._rasa.aclose()


def build_application(settings: Settings) -> Application:
    """The one composition root for Telegram."""
    builder = ApplicationBuilder().token(settings.telegram_token).concurrent_updates(32)
    if settings.telegram_base_url:
        builder = builder.base_url(f"{settings.telegram_base_url}/bot").base_file_url(f"{settings.telegram_base_url}/file/bot")
    app = builder.post_init(_post_init).post_shutdown(_post_shutdown).build()
    app.bot_data["settings"] = settings
    # Commands first: a "/..." message must never reach the text handler (and so never Rasa as an intent).
    app.add_handler(CommandHandler(list(COMMANDS), on_command))
    app.add_handler(MessageHandler(filters.COMMAND, on_command))
    app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND & ~filters.UpdateType.EDITED, on_text))
    app.add_handler(CallbackQueryHandler(on_button))
    app.add_handler(MessageHandler(~filters.TEXT | filters.UpdateType.EDITED, on_other))
    app.add_error_handler(on_error)
    return app
