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
from bot.pseudonym import sender_id
from bot.rasa_client import Button, RasaClient, RasaUnavailable, Reply
from bot.settings import Settings
from bot.store import Store
from bot.texts import text
from bot.triage import Triage
from crisis.signal import NONE, Assessment, CrisisSignal
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


class FrontDoor:
    """Safe transport between a person and Rasa: pseudonymises, sanitises, answers crises and outages itself."""

    MAX_BUTTONS = 50_000
    MAX_SENDERS = 100_000
    CRISIS_BLOCK_EVERY = 600.0  # seconds: one full crisis block per person per 10 minutes, a one-line reminder between
    CONVERSATION = 12 * 3600.0  # seconds: Rasa's session length, so "once per conversation" for the gentle line

    def __init__(
        self, settings: Settings, rasa: RasaClient, store: Store | None = None,
        facts: Facts | None = None, crisis: CrisisSignal | None = None, triage: Triage | None = None,
        clock=time.monotonic,
    ):
        self._settings = settings
        self._rasa = rasa
        self._store = store
        self._facts = facts
        self._crisis = crisis or CrisisSignal()
        self.triage = triage
        self._clock = clock
        self._buttons: OrderedDict[str, _Pending] = OrderedDict()
        self._locks: OrderedDict[str, asyncio.Lock] = OrderedDict()
        self._buckets: OrderedDict[str, _Bucket] = OrderedDict()
        self._crisis_shown: OrderedDict[str, float] = OrderedDict()  # when each person last got the crisis block
        self._gentle_shown: OrderedDict[str, float] = OrderedDict()  # when each person last got the gentle line

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
        async with self._lock(sender):  # one person's messages are handled, and reach Rasa, in the order they came
            return await self._text_turn(sender, message, truncated, lang)

    async def _text_turn(self, sender: str, message: str, truncated: bool, lang: str) -> list[Reply]:
        assessment = await self._assess(message)
        out = await self._crisis_block(sender, lang, assessment)  # first, before Rasa is even asked
        go_on, tell = self._allowed(sender)
        if not go_on:
            return out + ([Reply(text("slow_down", lang))] if tell else [])
        if truncated:
            out.append(Reply(text("too_long", lang)))
        if self.triage is not None:
            try:
                taken = await self.triage.intercept(sender, message, lang, assessment.explicit)
            except Exception as exc:  # the queue's database is down: the robot still answers
                log.warning("triage failed: %s", type(exc).__name__)
                taken = None
            if taken is not None:
                return out + taken
        replies = await self._ask_rasa(sender, message, lang, hold=True, crisis=assessment)
        if assessment.level == "distress" and self._first_in(self._gentle_shown, sender, self.CONVERSATION):
            replies = [*replies, Reply(text("distress_line", lang))]  # under the answer, never instead of it
        return out + replies

    async def _assess(self, message: str) -> Assessment:
        """The crisis decision: patterns in this thread, the model (when there is one) in a worker thread."""
        return await asyncio.to_thread(self._crisis.assess, message)

    async def _crisis_block(self, sender: str, lang: str, assessment: Assessment) -> list[Reply]:
        """The numbers, for the person or for a helper; a one-line reminder if the block was shown a moment ago."""
        if not assessment.explicit:
            return []
        if not self._first_in(self._crisis_shown, sender, self.CRISIS_BLOCK_EVERY):
            return [Reply(text("crisis_again", lang))]
        volunteers = self.triage is not None and await self.triage.reachable()
        buttons = (Button(text("btn_crisis_handoff", lang), "#h:crisis"),) if volunteers else ()
        return [Reply(text("crisis_third" if assessment.third_person else "crisis", lang), buttons)]

    def _first_in(self, shown: OrderedDict[str, float], sender: str, seconds: float) -> bool:
        """True (and remembered) unless this sender was shown it within `seconds`."""
        now = self._clock()
        last = shown.get(sender)
        if last is not None and now - last < seconds:
            return False
        shown[sender] = now
        shown.move_to_end(sender)
        while len(shown) > self.MAX_SENDERS:
            shown.popitem(last=False)
        return True

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
            return [Reply(help_text("lv"))] + await self._ask_rasa_in_turn(sender, "/help", "lv")
        if command.action == "language":
            return [Reply(text("choose_language"), (
                Button("Latviešu", '/set_language{"language": "lv"}'),
                Button("Русский", '/set_language{"language": "ru"}'),
            ))]
        if command.action == "start":
            return [Reply(text("start_privacy"))] + await self._ask_rasa_in_turn(sender, "/greet", "lv")
        if command.action == "human" and self.triage is not None:
            return await self.triage.offer(sender, str(user_id), channel, "human", lang_of_command(raw))
        if command.action == "end_handoff":
            if self.triage is None:
                return [Reply(text("not_in_handoff", lang_of_command(raw)))]
            return await self.triage.end(sender, lang_of_command(raw))
        payload = {"checklist": "/request_checklist", "human": "/request_human"}[command.action]
        return await self._ask_rasa_in_turn(sender, payload, "lv")

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
        return await self._ask_rasa_in_turn(sender, pending.payload, "lv")

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
        for state in (self._buckets, self._crisis_shown, self._gentle_shown):
            state.pop(sender, None)
        log.info("forget: %d rows deleted", deleted)
        return Reply(text("forgotten"))

    async def _ask_rasa_in_turn(self, sender: str, message: str, lang: str) -> list[Reply]:
        """A button or command payload for Rasa, in its place among the person's messages."""
        async with self._lock(sender):
            return await self._ask_rasa(sender, message, lang)

    async def _ask_rasa(self, sender: str, message: str, lang: str, hold: bool = False,
                        crisis: Assessment = NONE) -> list[Reply]:
        """Rasa's answer, or the static one when it cannot give it; the caller holds the person's lock."""
        # Rasa takes the crisis decision from here (nlu_components/crisis.py), so both always agree.
        metadata = {"language": lang, "crisis": crisis.level if crisis.explicit else None}
        try:
            return await self._rasa.send(sender, message, metadata)
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
