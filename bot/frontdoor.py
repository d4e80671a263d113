"""The channel-independent front door: terminal chat and Telegram both call this, so both behave the same."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import time
from collections import OrderedDict
from typing import Callable

from bot.checkins import Checkins
from bot.collaborators import Documents, Facts, Schedule, later
from bot import privacy
from bot.buttons import ButtonTokens
from bot.commands import help_text, lookup
from bot.handoff import Handoff
from bot.intake import Bucket, clean, lang_of_command, language_of
from bot.shared_plan import SharedPlans
from bot.reminders import Reminders
from bot.pseudonym import sender_id
from bot.rasa_client import Button, RasaClient, RasaUnavailable, Reply, answers_a_need
from bot.settings import Settings
from bot.texts import text
from cards.payloads import (
    CANCEL_REMINDER, CHECKIN, CHECKIN_ASK, CHECKIN_NO, REMIND_MORNING, REMINDER, RENAMED, SHARED_PLAN,
)
from cards.render import templates, topic_titles
from crisis import embedding
from crisis.signal import NONE, Assessment, CrisisSignal
from knowledge.hours import RIGA, after_hours
from personal.registry import Store
from personal.store import PersonalData
from survey.events import Event, EventLog

log = logging.getLogger(__name__)

class FrontDoor:
    """Safe transport between a person and Rasa: pseudonymises, sanitises, answers crises and outages itself."""

    MAX_SENDERS = 100_000
    CRISIS_BLOCK_EVERY = 600.0  # seconds: one full crisis block per person per 10 minutes, a one-line reminder between
    CONVERSATION = 12 * 3600.0  # seconds: Rasa's session length, so "once per conversation" for the gentle line
    OFFER_SECONDS = 600.0  # a typed yes or no answers the check-in offer within this many seconds of it

    def __init__(
        self, settings: Settings, rasa: RasaClient, people: PersonalData | None = None, facts: Facts | None = None,
        crisis: CrisisSignal | None = None, handoff: Handoff | None = None, documents: Documents | None = None,
        schedule: Schedule = later, clock=time.monotonic, reminders: Reminders | None = None,
        shared_plans: SharedPlans | None = None, now: Callable[[], dt.datetime] = lambda: dt.datetime.now(RIGA),
        checkins: Checkins | None = None, survey: EventLog | None = None,
    ):
        self._settings = settings
        self._rasa = rasa
        self.people = people
        self._facts = facts
        self._crisis = crisis or CrisisSignal()
        self.handoff = handoff
        self.reminders = reminders
        self.shared_plans = shared_plans
        self.checkins = checkins
        self._survey = survey  # the counts Rasa's answers carry (survey/)
        self._documents = documents
        self._schedule = schedule
        self._clock = clock
        self._now = now  # wall time in Riga (night answers)
        self._tokens = ButtonTokens(settings.sender_secret)
        self._locks: OrderedDict[str, asyncio.Lock] = OrderedDict()
        self._buckets: OrderedDict[str, Bucket] = OrderedDict()
        self._crisis_shown: OrderedDict[str, float] = OrderedDict()  # when each person last got the crisis block
        self._gentle_shown: OrderedDict[str, float] = OrderedDict()  # when each person last got the gentle line
        self._languages: OrderedDict[str, str] = OrderedDict()  # the language each person last wrote in
        self._offers: OrderedDict[str, tuple[str, float]] = OrderedDict()  # the check-in offer under the last answer
        self._second_passes: set[str] = set()  # people whose /dzest second pass is running (only while it runs)
        if people is not None:
            for store in self._memory_stores():
                people.registry.register(store)

    def _memory_stores(self) -> list[Store]:
        """What this process keeps about a person in memory, registered so /dzest clears it too."""
        def drop(table: OrderedDict) -> Callable[[str, dt.datetime | None], int]:
            return lambda sender, _: int(table.pop(sender, None) is not None)

        stores = [
            Store("buttons", "memory", (), f"until {ButtonTokens.MAX:,} newer ones or a restart",
                  lambda s, _: self._tokens.forget(s)),
            Store("rate limit", "memory", (), "until a restart", drop(self._buckets)),
            Store("crisis block shown", "memory", (), "10 minutes", drop(self._crisis_shown)),
            Store("gentle line shown", "memory", (), "12 hours", drop(self._gentle_shown)),
            Store("language", "memory", (), "until a restart", drop(self._languages)),
            Store("check-in offered", "memory", (), "until the next message, button or command",
                  drop(self._offers)),
        ]
        documents = self._documents
        if documents is not None:
            stores.append(Store("rendered plan PDF", "memory", (), "until 200 newer ones or a restart",
                                lambda s, _: documents.forget(s)))
        return stores

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

    def button_token(self, sender: str, payload: str) -> str:
        """A short opaque token for a button (bot/buttons.py)."""
        return self._tokens.token(sender, payload)

    def allowed(self, sender: str) -> tuple[bool, bool]:
        """(may this update go on, should the person be told to slow down): one limit for every kind of update."""
        bucket = self._buckets.get(sender)
        if bucket is None:
            bucket = self._buckets[sender] = Bucket(self._settings.rate_per_minute)
            if len(self._buckets) > self.MAX_SENDERS:
                self._buckets.popitem(last=False)
        if bucket.take():
            return True, False
        tell = not bucket.warned
        bucket.warned = True
        return False, tell

    def language(self, sender: str, hint: str | None = None) -> str:
        """The person's language: what they just showed (a Russian command, Cyrillic), else what they last wrote in."""
        if hint is not None:
            self._languages[sender] = hint
            self._languages.move_to_end(sender)
            while len(self._languages) > self.MAX_SENDERS:
                self._languages.popitem(last=False)
            return hint
        return self._languages.get(sender, "lv")

    # --- what people send -------------------------------------------------------------------------------------
    async def handle_text(self, channel: str, user_id: int | str, raw: str, limited: bool = True) -> list[Reply]:
        """A typed message: crisis numbers first if needed, then the volunteer who has this conversation, or Rasa's
        answer, or a static fallback. `limited=False` when the channel has already applied the rate limit."""
        sender = self.sender(channel, user_id)
        message, truncated = clean(raw, self._settings.max_text_chars)
        lang = self.language(sender, language_of(message, self.language(sender)) if message else None)
        if not message:
            return [Reply(text("empty", lang))]
        if limited:
            go_on, tell = self.allowed(sender)
            if not go_on:  # over the limit: no model, no Rasa; the patterns still answer a stated danger
                self._offers.pop(sender, None)
                return (await self.crisis_only(sender, message, lang)) + (
                    [Reply(text("slow_down", lang))] if tell else [])
        async with self._lock(sender):  # one person's messages are handled, and reach Rasa, in the order they came
            return await self._text_turn(sender, str(user_id), channel, message, truncated, lang)

    async def crisis_only(self, sender: str, message: str, lang: str) -> list[Reply]:
        """For a message over the rate limit: the crisis block if the patterns see a stated danger, else nothing."""
        return await self._crisis_block(sender, lang, CrisisSignal().assess(message))

    async def _text_turn(self, sender: str, chat_ref: str, channel: str, message: str, truncated: bool,
                         lang: str) -> list[Reply]:
        offer = self._offers.pop(sender, None)  # the check-in offer under the last answer, for this message only
        assessment = await self._assess(message)
        out = await self._crisis_block(sender, lang, assessment)  # first, before Rasa is even asked
        if truncated:
            out.append(Reply(text("too_long", lang)))
        if self.handoff is not None:
            try:
                taken = await self.handoff.intercept(sender, message, lang, assessment.explicit)
            except Exception as exc:  # the queue's database is down: the robot still answers
                log.warning("handoff failed: %s", type(exc).__name__)
                taken = None
            if taken is not None:
                return out + taken
        if self.checkins is not None and Checkins.is_stop(message) and await self.checkins.waiting(sender):
            return out + await self.checkins.stop(sender, lang)
        if offer is not None and self.checkins is not None and self._clock() - offer[1] < self.OFFER_SECONDS:
            answer = Checkins.typed_answer(message)  # "jā, var rīt jautāt" typed, not pressed
            if answer is not None:
                return out + await self.checkins.on_payload(sender, chat_ref, channel,
                                                            offer[0] if answer else CHECKIN_NO, lang)
        if not any(c.isalnum() for c in message):  # "???", "👍": no words to read; Rasa would guess topics for them
            return out + [Reply(text("not_text", lang))]
        replies, answered = await self._ask_rasa(sender, message, lang, hold=True, crisis=assessment)
        if answered:
            replies = [*replies, *await self._held_offer(sender, lang)]
        return out + replies

    async def _assess(self, message: str) -> Assessment:
        """The crisis decision: patterns, then the model (when there is one), in a worker thread."""
        return await asyncio.to_thread(self._crisis.assess, message)

    async def _crisis_block(self, sender: str, lang: str, assessment: Assessment) -> list[Reply]:
        """The numbers, for the person or for a helper; a one-line reminder if they were shown a moment ago."""
        if assessment.level not in ("explicit", "urgent"):
            return []
        if not self._first_in(self._crisis_shown, sender, self.CRISIS_BLOCK_EVERY):
            return [Reply(text("crisis_again", lang))]
        if assessment.level == "urgent":  # the model is nearly sure, the patterns found no stated danger: two lines
            return [Reply(f"{text('urgent_line', lang)}\n{text('distress_line', lang)}")]
        volunteers = self.handoff is not None and await self.handoff.reachable()
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

    async def _held_offer(self, sender: str, lang: str) -> list[Reply]:
        """A message kept while the assistant could not answer is offered back once, then deleted."""
        if self.people is None:
            return []
        try:
            held = await asyncio.to_thread(self.people.take_held, sender)
        except Exception as exc:
            log.warning("held messages unavailable: %s", type(exc).__name__)
            return []
        return [Reply(text("held_offer", lang).format(words=words[:200]),
                      (Button(text("btn_held_answer", lang), words),)) for words in held[-1:]]

    async def handle_command(self, channel: str, user_id: int | str, raw: str) -> list[Reply]:
        """One of our own commands (table in bot/commands.py); unknown ones are answered, never forwarded."""
        sender = self.sender(channel, user_id)
        self._offers.pop(sender, None)  # a check-in offer is answered by the next message only
        command = lookup(raw)
        lang = self.language(sender, lang_of_command(raw))
        if command is None:
            if self.handoff is not None and channel == "telegram":
                answer = await self.handoff.volunteer_command(int(user_id), str(user_id), raw)
                if answer is not None:
                    return answer
            return [Reply(text("unknown_command", lang))]
        if command.action == "forget":
            return [await self.forget(sender)]
        if command.action == "my_data":
            return [await self.my_data(sender, lang)]
        if command.action == "language":
            return [Reply(text("choose_language"), tuple(
                Button(text(f"btn_language_{c}"), f'/set_language{{"language": "{c}"}}') for c in ("lv", "ru")))]
        if command.action == "handoff" and self.handoff is not None:
            return await self.handoff.offer(sender, str(user_id), channel, "asked", lang)
        if command.action == "end_handoff":
            return await self.handoff.end(sender, lang) if self.handoff else [Reply(text("not_in_handoff", lang))]
        token = raw.split(maxsplit=1)[1].strip() if command.action == "start" and len(raw.split()) > 1 else ""
        welcome = Reply(text("start_privacy", lang).format(**privacy.days(self._settings.retention)))
        if token and self.shared_plans is not None:  # a deep link: t.me/<bot>?start=<token> arrives as "/start <token>"
            # Someone new arrives by the link: who we are and what is kept, then the plan and the question.
            return [welcome, *await self.shared_plans.open(sender, token[:64], lang)]
        first = {"help": [Reply(help_text(lang))], "start": [welcome]}.get(command.action, [])
        payload = {"help": "/help", "start": "/greet"}.get(command.action) or f"/{command.topic}"  # its topic's intent
        return first + await self._ask_rasa_in_turn(sender, payload, lang)

    async def handle_button(self, channel: str, user_id: int | str, token: str) -> list[Reply]:
        """A pressed button: only payloads this front door issued to this very person are accepted."""
        sender = self.sender(channel, user_id)
        self._offers.pop(sender, None)  # a check-in offer is answered by the next message only
        lang = self.language(sender)
        payload = self._tokens.payload(sender, token)
        if payload is None:
            return [Reply(text("button_expired", lang))]
        payload = RENAMED.get(payload, payload)  # a button sent before a rename
        if payload.startswith("#"):  # the front door's own (signed, or kept in memory when too long to sign)
            return await self._own_payload(sender, str(user_id), channel, payload, lang)
        return await self._ask_rasa_in_turn(sender, payload, lang)

    async def _own_payload(self, sender: str, chat_ref: str, channel: str, payload: str, lang: str) -> list[Reply]:
        """A button the front door answers itself: reminders, shared plans, check-ins, the handoff."""
        if payload.startswith(REMINDER) and self.reminders is not None:
            if payload == CANCEL_REMINDER:
                return await self.reminders.cancel(sender, lang)
            return await self.reminders.ask(sender, chat_ref, channel, lang)
        if payload.startswith(SHARED_PLAN) and self.shared_plans is not None:
            return await self.shared_plans.on_payload(sender, chat_ref, payload, lang)
        if payload.startswith(CHECKIN) and self.checkins is not None:
            return await self.checkins.on_payload(sender, chat_ref, channel, payload, lang)
        if self.handoff is None or payload.startswith((REMINDER, SHARED_PLAN, CHECKIN)):
            return [Reply(text("button_expired", lang))]
        return await self.handoff.on_payload(sender, chat_ref, channel, payload, lang)

    async def handle_location(self, channel: str, user_id: int | str, latitude: float, longitude: float) -> list[Reply]:
        """Nearest shelters to a shared location; the coordinates go nowhere else and are not kept."""
        lang = self.language(self.sender(channel, user_id))
        if self._facts is not None and after_hours(self._now()):  # at night: one message and the morning button
            plan = await asyncio.to_thread(self._facts.night_plan, latitude, longitude, lang)
            if plan:
                return [Reply(text("location_intro", lang)),
                        Reply(plan, (Button(templates(lang)["btn_remind_morning"], REMIND_MORNING),))]
        cards = await asyncio.to_thread(self._facts.nearby, latitude, longitude, lang) if self._facts else []
        if not cards:
            return [Reply(text("location_none", lang))]
        return [Reply(text("location_intro", lang))] + [Reply(c) for c in cards]

    async def my_data(self, sender: str, lang: str = "lv") -> Reply:
        """What is held for this sender, in plain words."""
        if self.people is None:
            return Reply(text("my_data_none", lang))
        try:
            held = await asyncio.to_thread(self.people.describe, sender)
        except Exception as exc:  # a locked or missing database must not crash the chat
            log.warning("my_data failed: %s", type(exc).__name__)
            return Reply(text("store_unavailable", lang))
        return Reply(privacy.my_data(held, self._settings.retention, lang))

    async def forget(self, sender: str) -> Reply:
        """Delete everything held for this sender, also what a turn under way writes back: the person's lock first
        (that turn finishes), a tombstone (nothing new is stored), every registered store, and a second pass once
        Rasa can no longer write for that turn."""
        lang = self.language(sender)
        async with self._lock(sender):
            try:
                deleted = await self.handoff.forget(sender) if self.handoff is not None else 0  # tells the volunteer
                if self.people is not None:
                    deleted += await asyncio.to_thread(self.people.forget, sender)
                else:
                    deleted += sum(s.forget(sender, None) for s in self._memory_stores() if s.forget is not None)
            except Exception as exc:  # the database may be locked or down: say so, lose nothing
                log.warning("forget failed: %s", type(exc).__name__)
                return Reply(text("forget_failed", lang))
        if self.people is not None:
            self._schedule(self._settings.forget_recheck.total_seconds(), lambda: self.forget_again(sender))
        log.info("forget: %d rows deleted", deleted)
        return Reply(text("forgotten", lang))

    async def forget_again(self, sender: str, tries: int = 3) -> None:
        """The second pass of a /dzest (also run by the retention job for tombstones a restart left behind). A failed
        pass is tried again later, also when only the files' scrub failed (a reader held SQLite's log) and the
        tombstone the retention job looks for is already gone. One pass per person at a time: the retention round
        and the scheduled pass fall due together."""
        if self.people is None or sender in self._second_passes:
            return
        self._second_passes.add(sender)
        log.info("second deletion: started")
        try:
            deleted = await asyncio.to_thread(self.people.forget_again, sender)
        except Exception as exc:
            log.warning("second deletion failed: %s", type(exc).__name__)
            if tries > 1:
                self._schedule(self._settings.forget_recheck.total_seconds(),
                               lambda: self.forget_again(sender, tries - 1))
            return
        finally:
            self._second_passes.discard(sender)
        log.info("second deletion: %d rows deleted, files scrubbed", deleted)

    async def _ask_rasa_in_turn(self, sender: str, message: str, lang: str) -> list[Reply]:
        """A button or command payload for Rasa, in its place among the person's messages."""
        async with self._lock(sender):
            return (await self._ask_rasa(sender, message, lang))[0]

    async def _ask_rasa(self, sender: str, message: str, lang: str, hold: bool = False,
                        crisis: Assessment = NONE) -> tuple[list[Reply], bool]:
        """(Rasa's answer, True) or (the static one, False); the caller holds the person's lock."""
        # Rasa takes the crisis decision and the language from here (nlu_components/crisis.py, actions/language.py);
        # `sent_at` tells a /dzest's second pass which events came before it (personal/tracker); the crisis signal's
        # sentence vector saves Rasa encoding the text again (crisis.embedding).
        metadata: dict[str, object] = {
            "language": lang, "crisis": crisis.level if crisis.explicit else None, "sent_at": time.time()}
        if crisis.vector is not None and self._settings.sentence_vector_to_rasa:
            metadata[embedding.METADATA_KEY] = embedding.pack(message, crisis.vector)
        try:
            raw = await self._rasa.send(sender, message, metadata)
            self._remember_offer(sender, raw)
            return await self._documents_in(sender, raw, lang) + self._gentle(sender, lang, crisis, raw), True
        except RasaUnavailable as exc:
            log.warning("rasa unavailable: %s", exc)
        offer = (Button(topic_titles(lang)["request_handoff"], "#h:rasa_down"),) if self.handoff is not None else ()
        out = [Reply(text("unavailable", lang), offer)]
        if not hold:  # a button or command, not the person's own words
            return out, False
        if self.people is not None:
            try:
                if await asyncio.to_thread(self.people.hold, sender, message, lang, "rasa_unavailable"):
                    out.append(Reply(text("held", lang).format(**privacy.days(self._settings.retention))))
            except Exception as exc:
                log.warning("hold failed: %s", type(exc).__name__)
        if self._facts is not None:
            topic, cards = await asyncio.to_thread(self._facts.for_message, message, lang)
            if topic == "shelter":
                out += [Reply(c) for c in cards] or [Reply(text("fallback_shelter", lang))]
        return out + self._gentle(sender, lang, crisis, []), False

    def _remember_offer(self, sender: str, replies: list[Reply]) -> None:
        """The check-in offer ("Vai drīkstu rīt pajautāt...?") if this answer made one, for a typed yes or no."""
        offered = [b.payload for r in replies for b in r.buttons if b.payload.startswith(CHECKIN_ASK)]
        if offered:
            self._offers[sender] = (offered[-1], self._clock())
            self._offers.move_to_end(sender)
            while len(self._offers) > self.MAX_SENDERS:
                self._offers.popitem(last=False)
        else:
            self._offers.pop(sender, None)

    def _gentle(self, sender: str, lang: str, crisis: Assessment, raw: list[Reply]) -> list[Reply]:
        """Under the answer, never instead of it, once a conversation: the gentle line, if no practical answer came."""
        gentle = crisis.level == "distress" and not answers_a_need(raw)
        return [Reply(text("distress_line", lang))] if gentle and self._first_in(
            self._gentle_shown, sender, self.CONVERSATION) else []

    async def _documents_in(self, sender: str, replies: list[Reply], lang: str) -> list[Reply]:
        """A document Rasa asked for, rendered here (none ever passes through Rasa's tracker); a count for the survey,
        recorded here and not shown."""
        out = []
        for r in replies:
            if r.survey is not None:  # counted, never shown
                await self._count(r.survey, lang)
                continue
            if r.document_kind is None:
                out.append(r)
                continue
            try:
                doc = await asyncio.to_thread(self._documents.render, sender, r.document_kind, lang) \
                    if self._documents is not None else None
            except Exception as exc:
                log.warning("document failed: %s", type(exc).__name__)
                doc = None
            out.append(Reply("", document=doc) if doc is not None else Reply(text("document_failed", lang)))
        return out

    async def _count(self, raw: dict, lang: str) -> None:
        """An action's count for the survey; a failure to count never stands in the way of the answer."""
        event = Event.of(raw, lang)
        if event is None or self._survey is None:
            return
        try:
            await asyncio.to_thread(self._survey.record, event)
        except Exception as exc:
            log.warning("survey count failed: %s", type(exc).__name__)

    async def aclose(self) -> None:
        """Close the Rasa client."""
        await self._rasa.aclose()
