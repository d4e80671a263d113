"""The channel-independent front door: terminal chat and Telegram both call this, so both behave the same."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import logging
import re
import unicodedata
from collections import OrderedDict
from dataclasses import dataclass

from lvnorm.text import is_cyrillic
from bot.crisis import CRISIS_MARK, CRISIS_REPLY, is_crisis
from bot.forget import forget_sender
from bot.pseudonym import sender_id
from bot.rasa_client import RasaClient, RasaUnavailable, Reply
from bot.settings import Settings
from bot.texts import text

log = logging.getLogger(__name__)

_CONTROL = re.compile(r"[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")

# Commands the front door handles itself, Latvian with Russian aliases. Everything else starting with "/" is text.
COMMANDS: dict[str, str] = {
    "start": "/greet", "sakt": "/greet", "nachat": "/greet",
    "palidziba": "/help", "help": "/help", "pomosch": "/help",
    "dzest": "forget", "udalit": "forget",
}


def clean(raw: str, limit: int) -> tuple[str, bool]:
    """Normalise untrusted text: valid Unicode, no control/bidi characters, no leading '/', at most `limit` chars."""
    t = raw.encode("utf-8", "replace").decode("utf-8", "replace")
    t = unicodedata.normalize("NFC", _CONTROL.sub(" ", t))
    t = " ".join(t.split())
    # Rasa parses "/intent{...}" typed by a user as a forced intent with entities: never let one through.
    t = t.lstrip("/").strip()
    return t[:limit], len(t) > limit


def language_of(message: str) -> str:
    """Cyrillic means Russian; everything else is answered in Latvian."""
    return "ru" if is_cyrillic(message) else "lv"


@dataclass
class _Pending:
    sender: str
    payload: str


class FrontDoor:
    """Safe transport between a person and Rasa: pseudonymises, sanitises, answers crises and outages itself."""

    MAX_BUTTONS = 50_000

    def __init__(self, settings: Settings, rasa: RasaClient):
        self._settings = settings
        self._rasa = rasa
        self._buttons: OrderedDict[str, _Pending] = OrderedDict()
        self._locks: dict[str, asyncio.Lock] = {}

    def sender(self, channel: str, user_id: int | str) -> str:
        """The pseudonymous id used everywhere behind the front door."""
        return sender_id(self._settings.sender_secret, channel, user_id)

    def _lock(self, sender: str) -> asyncio.Lock:
        return self._locks.setdefault(sender, asyncio.Lock())

    def button_token(self, sender: str, payload: str) -> str:
        """A short opaque token for a button (Telegram allows 64 bytes of callback data; the payload stays here)."""
        token = hmac.new(self._settings.sender_secret, f"{sender}\x00{payload}".encode(), hashlib.sha256).hexdigest()[:20]
        self._buttons[token] = _Pending(sender, payload)
        self._buttons.move_to_end(token)
        while len(self._buttons) > self.MAX_BUTTONS:
            self._buttons.popitem(last=False)
        return token

    async def handle_text(self, channel: str, user_id: int | str, raw: str) -> list[Reply]:
        """A typed message: crisis numbers first if needed, then Rasa's answer or a static fallback."""
        sender = self.sender(channel, user_id)
        message, truncated = clean(raw, self._settings.max_text_chars)
        lang = language_of(message)
        if not message:
            return [Reply(text("empty", lang))]
        out: list[Reply] = []
        crisis = is_crisis(message)
        if crisis:
            out.append(Reply(CRISIS_REPLY[lang]))  # before anything else, and without waiting for Rasa
        if truncated:
            out.append(Reply(text("too_long", lang)))
        replies = await self._ask_rasa(sender, message, lang)
        if crisis:  # the numbers were just given; Rasa's repeat of them would only push its answer off screen
            replies = [r for r in replies if not r.text.startswith(CRISIS_MARK)]
        return out + replies

    async def handle_command(self, channel: str, user_id: int | str, command: str) -> list[Reply]:
        """One of our own commands; unknown ones are answered, never forwarded as intents."""
        action = COMMANDS.get(command.lower().lstrip("/").split("@")[0])
        if action is None:
            return [Reply(text("unknown_command"))]
        sender = self.sender(channel, user_id)
        if action == "forget":
            return [await self.forget(sender)]
        return await self._ask_rasa(sender, action, "lv")

    async def handle_button(self, channel: str, user_id: int | str, token: str) -> list[Reply]:
        """A pressed button: only payloads this front door issued to this very person are accepted."""
        sender = self.sender(channel, user_id)
        pending = self._buttons.get(token)
        if pending is None or pending.sender != sender:
            return [Reply(text("button_expired"))]
        return await self._ask_rasa(sender, pending.payload, "lv")

    async def forget(self, sender: str) -> Reply:
        """Delete everything held for this sender."""
        try:
            deleted = await asyncio.to_thread(forget_sender, self._settings.tracker_db_url, sender)
        except Exception as exc:  # the database may be locked or down: say so, lose nothing
            log.warning("forget failed: %s", type(exc).__name__)
            return Reply(text("forget_failed"))
        for token in [t for t, p in self._buttons.items() if p.sender == sender]:
            del self._buttons[token]
        log.info("forget: %d tracker rows deleted", deleted)
        return Reply(text("forgotten"))

    async def _ask_rasa(self, sender: str, message: str, lang: str) -> list[Reply]:
        async with self._lock(sender):  # one chat's messages reach Rasa in order
            try:
                return await self._rasa.send(sender, message, {"language": lang})
            except RasaUnavailable as exc:
                log.warning("rasa unavailable: %s", exc)
                return [Reply(text("unavailable", lang))]
