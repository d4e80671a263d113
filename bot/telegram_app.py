"""Telegram transport (python-telegram-bot): long polling by default, webhook with a secret token as an option.

Rendering and safety live in the front door (bot/frontdoor.py); this module only moves updates and messages.
"""

from __future__ import annotations

import asyncio
import logging
from collections import OrderedDict

from telegram import BotCommand, InlineKeyboardButton, InlineKeyboardMarkup, InputFile, Update
from telegram.error import NetworkError, RetryAfter, TelegramError, TimedOut
from telegram.ext import (
    Application,
    ApplicationBuilder,
    ApplicationHandlerStop,
    CallbackQueryHandler,
    ContextTypes,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot.commands import COMMANDS
from bot.compose import build_front_door
from bot.frontdoor import FrontDoor
from bot.rasa_client import Reply
from bot.settings import Settings
from bot.texts import text

log = logging.getLogger(__name__)
TELEGRAM_LIMIT = 4096
SEND_ATTEMPTS = 4


def split_message(body: str, limit: int = TELEGRAM_LIMIT) -> list[str]:
    """Split at paragraph, then line, then word boundaries so no part exceeds Telegram's limit."""
    parts: list[str] = []
    for paragraph in body.split("\n\n"):
        candidate = f"{parts[-1]}\n\n{paragraph}" if parts else paragraph
        if parts and len(candidate) <= limit:
            parts[-1] = candidate
            continue
        current = ""
        for line in paragraph.split("\n"):
            while len(line) > limit:
                cut = line.rfind(" ", 0, limit)
                cut = cut if cut > 0 else limit
                if current:
                    parts.append(current)
                    current = ""
                parts.append(line[:cut])
                line = line[cut:].lstrip()
            joined = f"{current}\n{line}" if current else line
            if len(joined) > limit:
                parts.append(current)
                current = line
            else:
                current = joined
        parts.append(current)
    return [p for p in parts if p.strip()] or [" "]


def keyboard(door: FrontDoor, sender: str, reply: Reply) -> InlineKeyboardMarkup | None:
    """Rasa buttons as an inline keyboard, two per row, with opaque callback tokens."""
    if not reply.buttons:
        return None
    buttons = [InlineKeyboardButton(b.title, callback_data=door.button_token(sender, b.payload)) for b in reply.buttons]
    return InlineKeyboardMarkup([buttons[i : i + 2] for i in range(0, len(buttons), 2)])


async def with_retry(send) -> bool:
    """Run one Bot API call, waiting out Telegram's 429 `retry_after` and retrying brief network errors."""
    for attempt in range(SEND_ATTEMPTS):
        try:
            await send()
            return True
        except RetryAfter as exc:
            delay = exc.retry_after.total_seconds() if hasattr(exc.retry_after, "total_seconds") else exc.retry_after
            await asyncio.sleep(float(delay))
        except (TimedOut, NetworkError):
            await asyncio.sleep(0.5 * (attempt + 1))
        except TelegramError as exc:  # blocked by the user, chat not found, bad request: retrying will not help
            log.warning("send refused: %s", type(exc).__name__)
            return False
    log.error("send failed after %d attempts", SEND_ATTEMPTS)
    return False


async def send_replies(app: Application, chat_id: int, replies: list[Reply], sender: str | None) -> bool:
    """Send replies to one chat: documents as files, long texts split, buttons on the last part."""
    door: FrontDoor = app.bot_data["door"]
    ok = True
    for reply in replies:
        if reply.document is not None:
            file = InputFile(reply.document.content, filename=reply.document.filename)
            ok &= await with_retry(lambda: app.bot.send_document(chat_id, file))
            continue
        chunks = split_message(reply.text)
        for i, chunk in enumerate(chunks):
            markup = keyboard(door, sender, reply) if i == len(chunks) - 1 and sender else None
            ok &= await with_retry(lambda: app.bot.send_message(chat_id, chunk, reply_markup=markup))
    return ok


class TelegramMessenger:
    """Delivery for the volunteer queue: to a volunteer, the volunteer group, or a person later on."""

    def __init__(self, app: Application):
        self._app = app

    async def send(self, chat_ref: str, replies: list[Reply], sender: str | None = None) -> bool:
        return await send_replies(self._app, int(chat_ref), replies, sender)


async def _send(update: Update, context: ContextTypes.DEFAULT_TYPE, replies: list[Reply]) -> None:
    door: FrontDoor = context.application.bot_data["door"]
    sender = door.sender("telegram", update.effective_user.id)
    await send_replies(context.application, update.effective_chat.id, replies, sender)


async def drop_duplicates(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Telegram may deliver an update twice (webhook retries, restarts): each update_id has exactly one effect."""
    seen: OrderedDict = context.application.bot_data["seen_updates"]
    if update.update_id in seen:
        raise ApplicationHandlerStop
    seen[update.update_id] = True
    while len(seen) > 10_000:
        seen.popitem(last=False)


async def ignore_groups(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The assistant is one-to-one: in a group, everyone would share one conversation and see each other's needs.
    The one exception is the volunteer group, where only volunteer commands are read."""
    chat, user = update.effective_chat, update.effective_user
    if chat is not None and user is not None and chat.type == "private":
        return
    settings: Settings = context.application.bot_data["settings"]
    door: FrontDoor = context.application.bot_data["door"]
    message = update.message
    if (chat is not None and user is not None and chat.id == settings.volunteer_chat_id and door.triage is not None
            and message is not None and message.text and message.text.startswith("/")):
        replies = await door.triage.volunteer_command(user.id, str(chat.id), message.text)
        if replies:
            await send_replies(context.application, chat.id, replies, None)
    raise ApplicationHandlerStop


async def on_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A typed message goes through the front door."""
    door: FrontDoor = context.application.bot_data["door"]
    await _send(update, context, await door.handle_text("telegram", update.effective_user.id, update.message.text))


async def on_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Our own commands (and an answer for unknown ones); never forwarded to Rasa as text."""
    door: FrontDoor = context.application.bot_data["door"]
    await _send(update, context, await door.handle_command("telegram", update.effective_user.id, update.message.text))


async def on_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """An inline button: the token is looked up server-side, never trusted."""
    door: FrontDoor = context.application.bot_data["door"]
    query = update.callback_query
    try:
        await query.answer()
    except TelegramError:
        pass  # an expired query must not stop the answer itself
    await _send(update, context, await door.handle_button("telegram", update.effective_user.id, query.data or ""))


async def on_location(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A shared location: used for this one answer, never stored or passed to Rasa."""
    door: FrontDoor = context.application.bot_data["door"]
    loc = update.message.location
    await _send(update, context, await door.handle_location("telegram", update.effective_user.id, loc.latitude, loc.longitude))


async def on_other(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Stickers, voice, photos, documents, edited messages: a short, kind answer."""
    key = "edited" if update.edited_message else "not_text"
    await _send(update, context, [Reply(text(key))])


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Log the error type only: the update may hold message text."""
    log.error("handler error: %s", type(context.error).__name__)


async def _post_init(app: Application) -> None:
    settings: Settings = app.bot_data["settings"]
    door = build_front_door(settings, "telegram", TelegramMessenger(app))
    app.bot_data["door"] = door
    # Announces what a crash left unannounced, re-announces unclaimed urgent requests, expires and purges.
    app.bot_data["triage_task"] = asyncio.create_task(door.triage.run_forever())
    try:  # the menu comes from the same table as /palidziba
        await app.bot.set_my_commands([BotCommand(c.name, c.lv) for c in COMMANDS])
        await app.bot.set_my_commands([BotCommand(c.name, c.ru) for c in COMMANDS], language_code="ru")
    except TelegramError as exc:
        log.warning("could not set the command menu: %s", type(exc).__name__)


async def _post_shutdown(app: Application) -> None:
    task = app.bot_data.get("triage_task")
    if task is not None:
        task.cancel()
    door: FrontDoor | None = app.bot_data.get("door")
    if door is not None:
        await door.aclose()


def build_application(settings: Settings) -> Application:
    """The one composition root for Telegram."""
    builder = ApplicationBuilder().token(settings.telegram_token).concurrent_updates(64)
    if settings.telegram_base_url:
        builder = builder.base_url(f"{settings.telegram_base_url}/bot").base_file_url(f"{settings.telegram_base_url}/file/bot")
    app = builder.post_init(_post_init).post_shutdown(_post_shutdown).build()
    app.bot_data["settings"] = settings
    app.bot_data["seen_updates"] = OrderedDict()
    # Group -1 runs first for every update: duplicates and group chats stop here.
    app.add_handler(TypeHandler(Update, drop_duplicates), group=-2)
    app.add_handler(TypeHandler(Update, ignore_groups), group=-1)
    # Group 0, first match wins. Commands before text: a "/..." message must never reach Rasa as an intent.
    app.add_handler(MessageHandler(filters.UpdateType.EDITED, on_other))
    app.add_handler(MessageHandler(filters.COMMAND, on_command))
    app.add_handler(MessageHandler(filters.TEXT, on_text))
    app.add_handler(MessageHandler(filters.LOCATION, on_location))
    app.add_handler(CallbackQueryHandler(on_button))
    app.add_handler(MessageHandler(filters.ALL, on_other))
    app.add_error_handler(on_error)
    return app


def run(settings: Settings) -> None:
    """Long polling, or a webhook (TELEGRAM_WEBHOOK_URL) that rejects requests without the secret token."""
    app = build_application(settings)
    updates = ["message", "edited_message", "callback_query"]
    if settings.webhook_url:
        if not settings.webhook_secret:
            raise SystemExit("TELEGRAM_WEBHOOK_SECRET is required in webhook mode")
        # PTB checks X-Telegram-Bot-Api-Secret-Token before it parses the body and answers 403 otherwise.
        app.run_webhook(
            listen="127.0.0.1", port=settings.webhook_port, url_path="telegram", webhook_url=settings.webhook_url,
            secret_token=settings.webhook_secret, allowed_updates=updates,
        )
    else:
        app.run_polling(allowed_updates=updates)
