"""Telegram transport (python-telegram-bot): long polling by default, webhook with a secret token as an option.

Rendering and safety live in the front door (bot/frontdoor.py); this module only moves updates and messages.
Scheduling is PTB's JobQueue (bot/telegram_jobs.py); sending respects Telegram's limits through PTB's
AIORateLimiter, never by sleeping in a handler.
"""

from __future__ import annotations

import asyncio
import logging
import traceback
from collections import OrderedDict
from functools import partial
from pathlib import Path

from telegram import BotCommand, InlineKeyboardButton, InlineKeyboardMarkup, InputFile, Update
from telegram.error import BadRequest, ChatMigrated, NetworkError, TelegramError
from telegram.ext import (
    AIORateLimiter,
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
from bot.intake import language_of
from bot.rasa_client import Reply
from bot.settings import Settings
from bot.telegram_jobs import schedule_rounds
from bot.texts import text
from bot.transport import AiohttpRequest

log = logging.getLogger(__name__)
# A dropped connection or a timeout on the way to Telegram is tried again after these pauses: an answer is not lost
# to a network blip. (Telegram's own 429s are waited out by the rate limiter.)
RESEND_AFTER = (0.5, 2.0)
TELEGRAM_LIMIT = 4096


class RedactUpdates(logging.Filter):
    """python-telegram-bot logs a whole update (ids, names, text) when it cannot parse or handle one, from loggers
    all over its package. On the root handlers, this keeps of any `telegram.*` record with arguments, an exception or
    a level of WARNING and above only its level, logger and exception type; constant lines ("Application started")
    pass as they are."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "redacted", False) or not (record.name == "telegram" or record.name.startswith("telegram.")):
            return True  # a record reaches each handler: the first one redacts it
        if not (record.args or record.exc_info or record.levelno >= logging.WARNING):
            return True
        exc = record.exc_info[1] if record.exc_info else None
        record.msg = "details withheld" + (f" ({type(exc).__name__})" if exc else "")
        record.args = ()
        record.exc_info = None
        record.exc_text = None
        record.stack_info = None
        record.redacted = True
        return True


def quiet_telegram_logs() -> None:
    """Put RedactUpdates on every root handler; httpx's request lines carry the bot token, so it stays at WARNING."""
    for handler in logging.getLogger().handlers:
        if not any(isinstance(f, RedactUpdates) for f in handler.filters):
            handler.addFilter(RedactUpdates())
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("httpcore").setLevel(logging.WARNING)


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


async def send_replies(app: Application, chat_id: int, replies: list[Reply], sender: str | None) -> bool:
    """Send replies to one chat: documents as files, long texts split, buttons on the last part. The rate limiter
    waits out Telegram's 429s; a chat that cannot be reached (blocked, gone) answers False."""
    door: FrontDoor = app.bot_data["door"]
    try:
        for reply in replies:
            if reply.document is not None:
                await _resending(partial(app.bot.send_document, chat_id,
                                         InputFile(reply.document.content, filename=reply.document.filename)))
                continue
            chunks = split_message(reply.text)
            for i, chunk in enumerate(chunks):
                markup = keyboard(door, sender, reply) if i == len(chunks) - 1 and sender else None
                await _resending(partial(app.bot.send_message, chat_id, chunk, reply_markup=markup))
    except ChatMigrated as exc:  # the volunteer group became a supergroup: remember its new id and send there
        if door.handoff is not None and chat_id == door.handoff.courier.group_id:
            door.handoff.courier.group_moved(exc.new_chat_id)
            return await send_replies(app, exc.new_chat_id, replies, sender)
        return False
    except TelegramError as exc:
        log.warning("send refused: %s", type(exc).__name__)
        return False
    return True


async def _resending(send):
    """One Bot API call, tried again after a network error (not after Telegram refused the message itself)."""
    for pause in RESEND_AFTER:
        try:
            return await send()
        except BadRequest:
            raise
        except NetworkError as exc:  # also TimedOut: the message may then arrive twice, which is better than never
            log.warning("send failed (%s), trying again", type(exc).__name__)
            await asyncio.sleep(pause)
    return await send()


class TelegramMessenger:
    """Delivery for the handoff: to a volunteer, the volunteer group, or a person later on."""

    def __init__(self, app: Application):
        self._app = app

    async def send(self, chat_ref: str, replies: list[Reply], sender: str | None = None) -> bool:
        return await send_replies(self._app, int(chat_ref), replies, sender)


def _person(update: Update) -> tuple[int, int]:
    """(user id, chat id) of the update: ignore_groups lets only private chats with a user this far."""
    user, chat = update.effective_user, update.effective_chat
    if user is None or chat is None:
        raise ApplicationHandlerStop
    return user.id, chat.id


async def _send(update: Update, context: ContextTypes.DEFAULT_TYPE, replies: list[Reply]) -> None:
    door: FrontDoor = context.application.bot_data["door"]
    user_id, chat_id = _person(update)
    await send_replies(context.application, chat_id, replies, door.sender("telegram", user_id))


async def drop_duplicates(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Telegram may deliver an update twice (webhook retries, restarts): each update_id has exactly one effect."""
    seen: OrderedDict = context.application.bot_data["seen_updates"]
    if update.update_id in seen:
        raise ApplicationHandlerStop
    seen[update.update_id] = True
    while len(seen) > 10_000:
        seen.popitem(last=False)


async def group_moved(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The volunteer group was turned into a supergroup: Telegram says so with a service message."""
    door: FrontDoor = context.application.bot_data["door"]
    message = update.effective_message
    if door.handoff is not None and message is not None and message.migrate_to_chat_id:
        if message.chat.id == door.handoff.courier.group_id:
            door.handoff.courier.group_moved(message.migrate_to_chat_id)
    raise ApplicationHandlerStop


async def ignore_groups(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The assistant is one-to-one: in a group, everyone would share one conversation and see each other's needs.
    The one exception is the volunteer group, where only volunteer commands are read."""
    chat, user = update.effective_chat, update.effective_user
    if chat is not None and user is not None and chat.type == "private":
        return
    door: FrontDoor = context.application.bot_data["door"]
    message = update.message
    if (chat is not None and user is not None and door.handoff is not None
            and chat.id == door.handoff.courier.group_id and message is not None and message.text
            and message.text.startswith("/")):
        replies = await door.handoff.volunteer_command(user.id, str(chat.id), message.text, in_group=True)
        if replies:
            await send_replies(context.application, chat.id, replies, None)
    raise ApplicationHandlerStop


async def limit(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """One per-person limit for every kind of update (messages, commands, buttons, stickers, edits, locations),
    before anything costly runs. Over it, only a stated danger still gets the crisis block (patterns, no model)."""
    door: FrontDoor = context.application.bot_data["door"]
    user = update.effective_user
    if user is None:
        raise ApplicationHandlerStop
    sender = door.sender("telegram", user.id)
    go_on, tell = door.allowed(sender)
    if go_on:
        return
    if update.callback_query is not None:
        try:
            await update.callback_query.answer()
        except TelegramError:
            pass
    message = update.message
    lang = door.language(sender)
    replies: list[Reply] = []
    if message is not None and message.text and not message.text.startswith("/"):
        lang = language_of(message.text, lang)
        replies += await door.crisis_only(sender, message.text, lang)
    if tell:
        replies.append(Reply(text("slow_down", lang)))
    if replies and update.effective_chat is not None:
        await send_replies(context.application, update.effective_chat.id, replies, sender)
    raise ApplicationHandlerStop


async def on_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A typed message goes through the front door (the limit was applied in its own group)."""
    door: FrontDoor = context.application.bot_data["door"]
    if update.message is None or update.message.text is None:
        return
    await _send(update, context, await door.handle_text("telegram", _person(update)[0], update.message.text,
                                                        limited=False))


async def on_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Our own commands (and an answer for unknown ones); never forwarded to Rasa as text."""
    door: FrontDoor = context.application.bot_data["door"]
    if update.message is None or update.message.text is None:
        return
    await _send(update, context, await door.handle_command("telegram", _person(update)[0], update.message.text))


async def on_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """An inline button: the token is looked up server-side, never trusted."""
    door: FrontDoor = context.application.bot_data["door"]
    query = update.callback_query
    if query is None:
        return
    try:
        await query.answer()
    except TelegramError:
        pass  # an expired query must not stop the answer itself
    await _send(update, context, await door.handle_button("telegram", _person(update)[0], query.data or ""))


async def on_location(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A shared location: used for this one answer, never stored or passed to Rasa."""
    door: FrontDoor = context.application.bot_data["door"]
    loc = update.message.location if update.message is not None else None
    if loc is None:
        return
    await _send(update, context, await door.handle_location("telegram", _person(update)[0], loc.latitude,
                                                            loc.longitude))


async def on_other(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Stickers, voice, photos, documents, edited messages: a short, kind answer."""
    door: FrontDoor = context.application.bot_data["door"]
    lang = door.language(door.sender("telegram", _person(update)[0]))
    await _send(update, context, [Reply(text("edited" if update.edited_message else "not_text", lang))])


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Log the error type and where it was raised (file, line, function of each frame), never its message or any
    value: the update, and so the error's text, may hold message text."""
    error = context.error
    where = [f"{Path(f.filename).name}:{f.lineno}:{f.name}" for f in traceback.extract_tb(error.__traceback__)] \
        if error is not None else []
    log.error("handler error: %s at %s", type(error).__name__, " < ".join(reversed(where[-6:])))


async def _post_init(app: Application) -> None:
    settings: Settings = app.bot_data["settings"]
    jobs = app.job_queue
    if jobs is None:  # python-telegram-bot[job-queue] is pinned; without it nothing would be scheduled
        raise RuntimeError("python-telegram-bot's JobQueue is not installed")

    def schedule(delay: float, job) -> None:
        async def run(_context: ContextTypes.DEFAULT_TYPE) -> None:
            await job()

        jobs.run_once(run, delay)

    door = build_front_door(settings, "telegram", TelegramMessenger(app), schedule, app.bot.username)
    app.bot_data["door"] = door
    schedule_rounds(jobs, settings)
    try:  # the menu comes from the same table as /palidziba
        await app.bot.set_my_commands([BotCommand(c.name, c.title("lv")) for c in COMMANDS])
        await app.bot.set_my_commands([BotCommand(c.name, c.title("ru")) for c in COMMANDS], language_code="ru")
    except TelegramError as exc:
        log.warning("could not set the command menu: %s", type(exc).__name__)


async def _post_shutdown(app: Application) -> None:
    door: FrontDoor | None = app.bot_data.get("door")
    if door is not None:
        await door.aclose()


def build_application(settings: Settings) -> Application:
    """The Telegram application: handlers in explicit groups, the rate limiter, the job queue."""
    quiet_telegram_logs()
    if not settings.telegram_token:
        raise ValueError("TELEGRAM_BOT_TOKEN is not set")
    builder = (ApplicationBuilder().token(settings.telegram_token).concurrent_updates(64)
               .request(AiohttpRequest()).get_updates_request(AiohttpRequest(connection_pool_size=1))
               .rate_limiter(AIORateLimiter(overall_max_rate=settings.telegram_rate_per_second, max_retries=3)))
    if settings.telegram_base_url:
        builder = builder.base_url(f"{settings.telegram_base_url}/bot").base_file_url(f"{settings.telegram_base_url}/file/bot")
    app = builder.post_init(_post_init).post_shutdown(_post_shutdown).build()
    app.bot_data["settings"] = settings
    app.bot_data["seen_updates"] = OrderedDict()
    # The groups run in order for every update; each may stop it. Duplicates first (one effect per update), then the
    # volunteer group's move, then group chats (only volunteer commands), then the per-person limit, which must come
    # before anything costly (the crisis model, Rasa, the database).
    app.add_handler(TypeHandler(Update, drop_duplicates), group=-4)
    app.add_handler(MessageHandler(filters.StatusUpdate.MIGRATE, group_moved), group=-3)
    app.add_handler(TypeHandler(Update, ignore_groups), group=-2)
    app.add_handler(TypeHandler(Update, limit), group=-1)
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
