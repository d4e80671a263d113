"""The channel-independent front door: terminal chat and Telegram both call this, so both behave the same."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import logging
import re
import time
import unicodedata
from collections import OrderedDict
from dataclasses import dataclass
from typing import Protocol

from bot.commands import command_word, help_text, lookup
from bot.crisis import CRISIS_MARK, CRISIS_REPLY, is_crisis
from bot.pseudonym import sender_id
from bot.rasa_client import Button, RasaClient, RasaUnavailable, Reply
from bot.settings import Settings
from bot.store import Store
from bot.texts import text
from bot.triage import Triage
from lvnorm.text import is_cyrillic

log = logging.getLogger(__name__)

_CONTROL = re.compile(r"[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")


def clean(raw: str, limit: int) -> tuple[str, bool]:
    """Normalise untrusted text: valid Unicode, no control/bidi characters, no leading '/', at most `limit` chars."""
    t = raw.encode("utf-8", "replace").decode("utf-8", "replace")
    t = unicodedata.normalize("NFC", _CONTROL.sub(" ", t))
    t = " ".join(t.split())
    # Rasa parses "/intent{...}" typed by a user as a forced intent with entities: never let one through.
    t = t.lstrip("/").strip()
    return t[:limit], len(t) > limit


def lang_of_command(raw: str) -> str:
    """The language a command was typed in: its Russian alias means Russian."""
    command = lookup(raw)
    return "ru" if command is not None and command_word(raw) in command.aliases[-1:] else "lv"


def language_of(message: str) -> str:
    """Cyrillic means Russian; everything else is answered in Latvian."""
    return "ru" if is_cyrillic(message) else "lv"


@dataclass
class _Pending:
    sender: str
    payload: str


class _Bucket:
    """Token bucket: `rate` messages a minute, bursts up to a third of that."""

    def __init__(self, rate: int):
        self.capacity = max(3.0, rate / 3)
        self.tokens = self.capacity
        self.per_second = rate / 60.0
        self.stamp = time.monotonic()
        self.warned = False

    def take(self) -> bool:
        now = time.monotonic()
        self.tokens = min(self.capacity, self.tokens + (now - self.stamp) * self.per_second)
        self.stamp = now
        if self.tokens >= 1:
            self.tokens -= 1
            self.warned = False
            return True
        return False


class Facts(Protocol):
    """Read-only knowledge-base answers the front door can give without Rasa."""

    def for_message(self, message: str, language: str = "lv") -> tuple[str | None, list[str]]: ...

    def nearby(self, latitude: float, longitude: float) -> list[str]: ...


class CrisisSignal(Protocol):
    """A second, statistical crisis detector (bot/crisis_model.py); the patterns stay the first."""

    def is_crisis(self, text: str) -> bool: ...


class FrontDoor:
    """Safe transport between a person and Rasa: pseudonymises, sanitises, answers crises and outages itself."""

    MAX_BUTTONS = 50_000
    MAX_SENDERS = 100_000

    def __init__(
        self, settings: Settings, rasa: RasaClient, store: Store | None = None,
        facts: Facts | None = None, crisis_model: CrisisSignal | None = None, triage: Triage | None = None,
    ):
        self._settings = settings
        self._rasa = rasa
        self._store = store
        self._facts = facts
        self._crisis_model = crisis_model
        self.triage = triage
        self._buttons: OrderedDict[str, _Pending] = OrderedDict()
        self._locks: OrderedDict[str, asyncio.Lock] = OrderedDict()
        self._buckets: OrderedDict[str, _Bucket] = OrderedDict()

    # --- identities and buttons -------------------------------------------------------------------------------
    def sender(self, channel: str, user_id: int | str) -> str:
        """The pseudonymous id used everywhere behind the front door."""
        return sender_id(self._settings.sender_secret, channel, user_id)

    def _lock(self, sender: str) -> asyncio.Lock:
        lock = self._locks.setdefault(sender, asyncio.Lock())
        self._locks.move_to_end(sender)
        if len(self._locks) > self.MAX_SENDERS:
            oldest, old_lock = next(iter(self._locks.items()))
            if not old_lock.locked():
                del self._locks[oldest]
        return lock

    def _signature(self, sender: str, payload: str) -> str:
        return hmac.new(self._settings.sender_secret, f"{sender}\x00{payload}".encode(), hashlib.sha256).hexdigest()

    def button_token(self, sender: str, payload: str) -> str:
        """A short opaque token for a button (Telegram allows 64 bytes of callback data; the payload stays here).

        The volunteer queue's own short payloads ('#ok:12') are signed instead of stored, so a consent button
        still works after a restart, and still only for the person it was given to.
        """
        if payload.startswith("#") and len(payload) <= 40:
            return f"{payload}|{self._signature(sender, payload)[:16]}"
        token = hmac.new(self._settings.sender_secret, f"{sender}\x00{payload}".encode(), hashlib.sha256).hexdigest()[:20]
        self._buttons[token] = _Pending(sender, payload)
        self._buttons.move_to_end(token)
        while len(self._buttons) > self.MAX_BUTTONS:
            self._buttons.popitem(last=False)
        return token

    def _allowed(self, sender: str) -> tuple[bool, bool]:
        """(may this message go on, should the person be told to slow down)."""
        bucket = self._buckets.get(sender)
        if bucket is None:
            bucket = self._buckets[sender] = _Bucket(self._settings.rate_per_minute)
            if len(self._buckets) > self.MAX_SENDERS:
                self._buckets.popitem(last=False)
        if bucket.take():
            return True, False
        tell = not bucket.warned
        bucket.warned = True
        return False, tell

    # --- what people send -------------------------------------------------------------------------------------
    async def handle_text(self, channel: str, user_id: int | str, raw: str) -> list[Reply]:
        """A typed message: crisis numbers first if needed, then the volunteer who has this conversation, or Rasa's
        answer, or a static fallback."""
        sender = self.sender(channel, user_id)
        message, truncated = clean(raw, self._settings.max_text_chars)
        lang = language_of(message)
        if not message:
            return [Reply(text("empty", lang))]
        crisis = is_crisis(message) or await self._model_says_crisis(message)
        out: list[Reply] = [self._crisis_reply(lang)] if crisis else []  # first, before Rasa is even asked
        go_on, tell = self._allowed(sender)
        if not go_on:
            return out + ([Reply(text("slow_down", lang))] if tell else [])
        if truncated:
            out.append(Reply(text("too_long", lang)))
        if self.triage is not None:
            try:
                taken = await self.triage.intercept(sender, message, lang, crisis)
            except Exception as exc:  # the queue's database is down: the robot still answers
                log.warning("triage failed: %s", type(exc).__name__)
                taken = None
            if taken is not None:
                return out + taken
        replies = await self._ask_rasa(sender, message, lang, hold=True)
        if crisis:  # the numbers were just given; Rasa's repeat of them would only push its answer off screen
            replies = [r for r in replies if not r.text.startswith(CRISIS_MARK)]
        return out + replies

    def _crisis_reply(self, lang: str) -> Reply:
        buttons = (Button(text("btn_crisis_handoff", lang), "#h:crisis"),) if self.triage is not None else ()
        return Reply(CRISIS_REPLY[lang], buttons)

    async def _model_says_crisis(self, message: str) -> bool:
        if self._crisis_model is None:
            return False
        try:
            return await asyncio.to_thread(self._crisis_model.is_crisis, message)
        except Exception as exc:  # patterns alone are still there
            log.warning("crisis model failed: %s", type(exc).__name__)
            return False

    async def handle_command(self, channel: str, user_id: int | str, raw: str) -> list[Reply]:
        """One of our own commands (table in bot/commands.py); unknown ones are answered, never forwarded."""
        command = lookup(raw)
        if command is None:
            if self.triage is not None and channel == "telegram":
                answer = await self.triage.volunteer_command(int(user_id), str(user_id), raw)
                if answer is not None:
                    return answer
            return [Reply(text("unknown_command"))]
        sender = self.sender(channel, user_id)
        if command.action == "forget":
            return [await self.forget(sender)]
        if command.action == "my_data":
            return [await self.my_data(sender)]
        if command.action == "help":
            return [Reply(help_text("lv"))] + await self._ask_rasa(sender, "/help", "lv")
        if command.action == "language":
            return [Reply(text("choose_language"), (
                Button("Latviešu", '/set_language{"language": "lv"}'),
                Button("Русский", '/set_language{"language": "ru"}'),
            ))]
        if command.action == "start":
            return [Reply(text("start_privacy"))] + await self._ask_rasa(sender, "/greet", "lv")
        if command.action == "human" and self.triage is not None:
            return await self.triage.offer(sender, str(user_id), channel, "human", lang_of_command(raw))
        if command.action == "end_handoff":
            if self.triage is None:
                return [Reply(text("not_in_handoff", lang_of_command(raw)))]
            return await self.triage.end(sender, lang_of_command(raw))
        payload = {"checklist": "/request_checklist", "human": "/request_human"}[command.action]
        return await self._ask_rasa(sender, payload, "lv")

    async def handle_button(self, channel: str, user_id: int | str, token: str) -> list[Reply]:
        """A pressed button: only payloads this front door issued to this very person are accepted."""
        sender = self.sender(channel, user_id)
        if token.startswith("#"):
            payload, _, signature = token.partition("|")
            if self.triage is None or not hmac.compare_digest(signature, self._signature(sender, payload)[:16]):
                return [Reply(text("button_expired"))]
            return await self.triage.on_payload(sender, str(user_id), channel, payload, "lv")
        pending = self._buttons.get(token)
        if pending is None or pending.sender != sender:
            return [Reply(text("button_expired"))]
        return await self._ask_rasa(sender, pending.payload, "lv")

    async def handle_location(self, channel: str, user_id: int | str, latitude: float, longitude: float) -> list[Reply]:
        """Nearest shelters to a shared location; the coordinates go nowhere else and are not kept."""
        cards = await asyncio.to_thread(self._facts.nearby, latitude, longitude) if self._facts else []
        if not cards:
            return [Reply(text("location_none"))]
        return [Reply(text("location_intro"))] + [Reply(c) for c in cards]

    async def my_data(self, sender: str) -> Reply:
        """What is held for this sender, in plain words."""
        if self._store is None:
            return Reply(text("my_data_none"))
        try:
            held = await asyncio.to_thread(self._store.describe, sender)
        except Exception as exc:  # a locked or missing database must not crash the chat
            log.warning("my_data failed: %s", type(exc).__name__)
            return Reply(text("store_unavailable"))
        remembered = ", ".join(f"{text('slot_' + k)}: {v}" for k, v in sorted(held.remembered.items()))
        return Reply(text("my_data").format(
            messages=held.messages, remembered=remembered or text("nothing"), held=held.held_messages,
            checklist=text("yes" if held.checklist else "no"), requests=held.requests,
        ))

    async def forget(self, sender: str) -> Reply:
        """Delete everything held for this sender: conversation, held messages, buttons, rate-limit state."""
        deleted = 0
        if self.triage is not None:
            try:  # first, so a volunteer holding the conversation is told it is gone
                deleted += await self.triage.forget(sender)
            except Exception as exc:
                log.warning("forget failed: %s", type(exc).__name__)
                return Reply(text("forget_failed"))
        if self._store is not None:
            try:
                deleted += await asyncio.to_thread(self._store.forget, sender)
            except Exception as exc:  # the database may be locked or down: say so, lose nothing
                log.warning("forget failed: %s", type(exc).__name__)
                return Reply(text("forget_failed"))
        for token in [t for t, p in self._buttons.items() if p.sender == sender]:
            del self._buttons[token]
        self._buckets.pop(sender, None)
        log.info("forget: %d rows deleted", deleted)
        return Reply(text("forgotten"))

    async def _ask_rasa(self, sender: str, message: str, lang: str, hold: bool = False) -> list[Reply]:
        async with self._lock(sender):  # one chat's messages reach Rasa in order
            try:
                return await self._rasa.send(sender, message, {"language": lang})
            except RasaUnavailable as exc:
                log.warning("rasa unavailable: %s", exc)
        offer = (Button(text("btn_handoff", lang), "#h:rasa_down"),) if self.triage is not None else ()
        out = [Reply(text("unavailable", lang), offer)]
        if not hold:  # a button or command, not the person's own words
            return out
        if self._store is not None:
            try:
                await asyncio.to_thread(self._store.hold, sender, message, lang, "rasa_unavailable")
            except Exception as exc:
                log.warning("hold failed: %s", type(exc).__name__)
        if self._facts is not None:
            topic, cards = await asyncio.to_thread(self._facts.for_message, message, lang)
            if topic == "shelter":
                out += [Reply(c) for c in cards] or [Reply(text("fallback_shelter", lang))]
        return out

    async def aclose(self) -> None:
        """Close the Rasa client."""
        await self._rasa.aclose()
