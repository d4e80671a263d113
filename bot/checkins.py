"""Check-ins: "Vai drīkstu rīt pajautāt, vai izdevās?" under a shelter, food or social-service answer; the next day
at the check-in hour (Riga time) "Vai izdevās dabūt gultu?" with buttons, sent by the channel's scheduler (PTB's
JobQueue on Telegram) from the check-in table, so a restart loses none. The answer is counted for the survey
(survey/); "closed" or "full" twice in a week sends the listing to the volunteers' /labojumi; a refusal asks why, in
the words of the Ombudsman's survey."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from typing import Callable

from bot.handoff import Messenger
from bot.rasa_client import Button, Reply
from bot.texts import text
from cards.payloads import CHECKIN_ANSWER, CHECKIN_ASK, CHECKIN_NO, CHECKIN_REASON, CHECKIN_STOP
from knowledge.db import now_utc
from knowledge.hours import RIGA
from knowledge.repository import KnowledgeRepository
from lvnorm.text import fold, words
from personal.checkins import Asked, CheckinStore, next_day
from survey.events import CHECKIN_ANSWERS, CHECKIN_TOPICS, LISTING_DOUBTS, REFUSAL_REASONS, Event, EventLog

log = logging.getLogger(__name__)
STOP_WORDS = frozenset({"stop", "стоп", "nejauta", "nejautajiet", "vairs nejauta", "ne sprasivajte"})
# A typed answer to "Vai drīkstu rīt pajautāt, vai izdevās?", compared folded: only these words (yes or no, and
# words about asking tomorrow), so that "ja vyshel vchera" is no yes. In the terminal chat (2026-12-07) "ja" typed
# under the offer got "Labi. Ar ko varu palīdzēt?"; others typed "jā, var rīt jautāt", "da, mozhno sprosit zavtra".
YES_WORDS = frozenset(map(fold, {"ja", "da", "да", "labi", "ok", "okei", "davai", "давай", "protams", "конечно",
                                  "konechno"}))
NO_WORDS = frozenset(map(fold, {"ne", "нет", "net", "nevajag", "не"}))
ABOUT_ASKING = frozenset(map(fold, {
    "var", "varat", "vari", "pajauta", "pajautat", "pajautajiet", "jautat", "jautajiet", "rit", "paldies",
    "можно", "спросить", "спросите", "спроси", "спрашивайте", "завтра", "спасибо", "надо",
    "mozhno", "sprosit", "sprosite", "sprosi", "zavtra", "spasibo", "nado"}))
ON_REFUSAL = "/ask_refusal"  # what to do when help was refused: the knowledge base's procedure, through Rasa


class Checkins:
    """Agreeing to a check-in, the rounds that ask, and the answers."""

    def __init__(self, store: CheckinStore, events: EventLog, repo: Callable[[], KnowledgeRepository],
                 requester_of: Callable[[str], str], report_listing: Callable[[str, str | None, str], object],
                 at: dt.time, messenger: Messenger | None = None, clock: Callable[[], dt.datetime] = now_utc):
        self._store = store
        self._events = events
        self._repo = repo
        self._requester_of = requester_of  # person | relative | worker, from the conversation (personal.tracker)
        self._report_listing = report_listing  # (service id, municipality, name): a /labojumi report
        self._at = at
        self._messenger = messenger
        self._clock = clock

    @staticmethod
    def is_stop(message: str) -> bool:
        """Typed "stop" (only meant for us when a check-in waits: the caller asks the store)."""
        return fold(message).strip(' “”"«»„.!?') in STOP_WORDS

    @staticmethod
    def typed_answer(message: str) -> bool | None:
        """A typed yes (True) or no (False) to the offer to ask tomorrow, or None when the message is something
        else."""
        found = words(message)
        if not found or not set(found) <= YES_WORDS | NO_WORDS | ABOUT_ASKING:
            return None
        yes, no = bool(YES_WORDS & set(found)), bool(NO_WORDS & set(found))
        return None if yes == no else yes

    async def on_payload(self, sender: str, chat_ref: str, channel: str, payload: str, lang: str) -> list[Reply]:
        """Every check-in button."""
        if payload == CHECKIN_NO:
            return [Reply(text("checkin_no", lang))]
        if payload == CHECKIN_STOP:
            return await self.stop(sender, lang)
        if payload.startswith(CHECKIN_ASK):
            return await self.agree(sender, chat_ref, channel, lang, payload[len(CHECKIN_ASK):])
        if payload.startswith(CHECKIN_ANSWER):
            return await self.answer(sender, payload[len(CHECKIN_ANSWER):], lang)
        if payload.startswith(CHECKIN_REASON):
            return await self.reason(sender, payload[len(CHECKIN_REASON):], lang)
        return [Reply(text("button_expired", lang))]

    async def agree(self, sender: str, chat_ref: str, channel: str, lang: str, service_id: str) -> list[Reply]:
        """'Jā, pajautā': one check-in per person, the next day at the check-in hour."""
        if channel != "telegram" or self._messenger is None:  # the terminal chat is gone by tomorrow
            return [Reply(text("checkin_telegram_only", lang))]
        found = await asyncio.to_thread(self._repo().services_by_id, [service_id])
        if not found or found[0].kind not in CHECKIN_TOPICS:
            return [Reply(text("button_expired", lang))]
        service, now = found[0], self._clock()
        due = next_day(now, self._at)
        requester = await asyncio.to_thread(self._requester_of, sender)
        if not await asyncio.to_thread(self._store.ask, sender, channel, chat_ref, lang, requester,
                                       CHECKIN_TOPICS[service.kind], service.id, service.municipality, due, now):
            return [Reply(text("reminder_refused", lang))]
        key = "checkin_today" if due.astimezone(RIGA).date() == now.astimezone(RIGA).date() else "checkin_set"
        return [Reply(text(key, lang).format(time=due.astimezone(RIGA).strftime("%H:%M")),
                      (Button(text("btn_checkin_stop", lang), CHECKIN_STOP),))]

    async def stop(self, sender: str, lang: str) -> list[Reply]:
        """'stop': the check-in goes, nothing else."""
        try:
            await asyncio.to_thread(self._store.stop, sender)
        except Exception as exc:  # the database is down: say so, the turn goes on
            log.warning("checkin stop failed: %s", type(exc).__name__)
            return [Reply(text("store_unavailable", lang))]
        return [Reply(text("checkin_stopped", lang))]

    async def waiting(self, sender: str) -> bool:
        """Whether a typed "stop" is meant for a check-in (no, when the database cannot say: Rasa answers it)."""
        try:
            return await asyncio.to_thread(self._store.waiting, sender)
        except Exception as exc:
            log.warning("checkin lookup failed: %s", type(exc).__name__)
            return False

    async def round(self, now: dt.datetime | None = None) -> int:
        """Ask every check-in that is due; returns how many were asked."""
        if self._messenger is None:
            return 0
        asked = 0
        for due in await asyncio.to_thread(self._store.claim_due, now or self._clock()):
            if due.chat_ref is None:  # sealed with another key: it cannot be delivered
                await asyncio.to_thread(self._store.drop, due.id)
                continue
            try:
                delivered = await self._messenger.send(due.chat_ref, await asyncio.to_thread(self.question, due),
                                                       due.sender)
            except Exception as exc:  # tried again later, while it is still day
                log.warning("checkin failed: %s", type(exc).__name__)
                delivered = False
            if delivered:
                await asyncio.to_thread(self._store.sent, due.id)
                asked += 1
            else:
                await asyncio.to_thread(self._store.retry, due.id, now or self._clock())
        return asked

    def question(self, due: Asked) -> list[Reply]:
        """"Vai izdevās dabūt gultu?" about the place named yesterday, with the answers as buttons."""
        lang = due.language
        found = self._repo().services_by_id([due.service_id])
        name = found[0].name if found else "—"
        buttons = tuple(Button(text(f"btn_checkin_{a}", lang), CHECKIN_ANSWER + a) for a in CHECKIN_ANSWERS[due.topic])
        return [Reply(text(f"checkin_q_{due.topic}", lang).format(name=name),
                      (*buttons, Button(text("btn_checkin_stop", lang), CHECKIN_STOP)))]

    async def answer(self, sender: str, answer: str, lang: str) -> list[Reply]:
        """The answer: counted once (a second tap finds nothing); a refusal asks why."""
        refused = answer == "refused"
        asked = await asyncio.to_thread(self._store.answer, sender, lambda topic: answer in CHECKIN_ANSWERS[topic],
                                        refused)
        if asked is None:  # answered already, expired, or not an answer to this question
            return [Reply(text("button_expired", lang))]
        await asyncio.to_thread(self._events.record, Event(asked.topic, "checkin", asked.municipality, answer,
                                                           asked.language, asked.requester))
        if refused:
            return [Reply(text("checkin_why", lang), tuple(Button(text(f"btn_reason_{r}", lang), CHECKIN_REASON + r)
                                                          for r in REFUSAL_REASONS))]
        if answer in LISTING_DOUBTS:
            if await asyncio.to_thread(self._events.doubt, asked.service_id, answer):  # one open report per listing
                found = await asyncio.to_thread(self._repo().services_by_id, [asked.service_id])
                await asyncio.to_thread(self._report_listing, asked.service_id, asked.municipality,
                                        found[0].name if found else asked.service_id)
            return [Reply(text("checkin_doubt", lang))]
        return [Reply(text("checkin_thanks", lang))]

    async def reason(self, sender: str, reason: str, lang: str) -> list[Reply]:
        """Why help was refused, in the survey's words: counted, then what can be done about it."""
        asked = await asyncio.to_thread(self._store.reason, sender)
        if asked is None or reason not in REFUSAL_REASONS:
            return [Reply(text("button_expired", lang))]
        await asyncio.to_thread(self._events.record, Event(asked.topic, "refused", asked.municipality, reason,
                                                           asked.language, asked.requester))
        return [Reply(text("checkin_refusal", lang), (Button(text("btn_checkin_what_now", lang), ON_REFUSAL),))]
