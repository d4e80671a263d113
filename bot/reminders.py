"""The morning reminder: asked for with a button under a night answer, sent at the morning hour (Riga time) by the
channel's scheduler (PTB's JobQueue on Telegram), made at sending time from what the person has then: the first open
steps of their document plan, else their place's social service with its hours and what to bring."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from typing import Callable

from bot.handoff import Messenger
from bot.rasa_client import Button, Reply
from cards.payloads import CANCEL_REMINDER
from bot.texts import text
from cards.checklist import open_step_lines
from cards.render import localized, service_card, templates
from knowledge.checklist import Situation
from knowledge.db import now_utc
from knowledge.hours import RIGA
from knowledge.repository import KnowledgeRepository
from personal.reminders import ReminderStore, next_morning

log = logging.getLogger(__name__)
MORNING_STEPS = 3  # the first steps of the day: enough to start, short enough to read on a phone


class Reminders:
    """Asking for a reminder, and the rounds that send what is due."""

    def __init__(self, store: ReminderStore, repo: Callable[[], KnowledgeRepository],
                 plan_of: Callable[[str], Situation | None], place_of: Callable[[str], str | None],
                 morning_at: dt.time, messenger: Messenger | None = None, clock: Callable[[], dt.datetime] = now_utc):
        self._store = store
        self._repo = repo
        self._plan_of = plan_of  # the person's stored document plan (personal.checklist)
        self._place_of = place_of  # the place of their conversation (personal.tracker)
        self._morning_at = morning_at
        self._messenger = messenger
        self._clock = clock

    async def ask(self, sender: str, chat_ref: str, channel: str, lang: str) -> list[Reply]:
        """The button "Atgādini man rīt no rīta": one reminder per person, at the next working morning."""
        if channel != "telegram" or self._messenger is None:  # the terminal chat is gone by morning
            return [Reply(text("reminder_telegram_only", lang))]
        now = self._clock()
        due = next_morning(now, self._morning_at)
        if not await asyncio.to_thread(self._store.ask, sender, channel, chat_ref, lang, due, now):
            return [Reply(text("reminder_refused", lang))]
        days = (due.astimezone(RIGA).date() - now.astimezone(RIGA).date()).days
        key = {0: "reminder_today", 1: "reminder_set"}.get(days, "reminder_on")
        local = due.astimezone(RIGA)
        return [Reply(text(key, lang).format(time=local.strftime("%H:%M"), date=local.strftime("%d.%m.%Y.")),
                      (Button(text("btn_reminder_cancel", lang), CANCEL_REMINDER),))]

    async def cancel(self, sender: str, lang: str) -> list[Reply]:
        """The cancel button under the confirmation: only the reminder goes, nothing else."""
        await asyncio.to_thread(self._store.cancel, sender)
        return [Reply(text("reminder_cancelled", lang))]

    async def round(self, now: dt.datetime | None = None) -> int:
        """Send every reminder that is due; returns how many went out."""
        if self._messenger is None:
            return 0
        sent = 0
        for due in await asyncio.to_thread(self._store.claim_due, now or self._clock()):
            try:
                replies = await asyncio.to_thread(self.morning, due.sender, due.language)
                delivered = due.chat_ref is not None and await self._messenger.send(due.chat_ref, replies, due.sender)
            except Exception as exc:  # tried again later, while it is still morning
                log.warning("reminder failed: %s", type(exc).__name__)
                await asyncio.to_thread(self._store.retry, due.id, now or self._clock())
                continue
            if delivered or due.chat_ref is None:  # sent, or undeliverable (sealed with another key): nothing kept
                await asyncio.to_thread(self._store.done, due.id)
                sent += delivered
            else:
                await asyncio.to_thread(self._store.retry, due.id, now or self._clock())
        return sent

    def morning(self, sender: str, lang: str) -> list[Reply]:
        """What the morning message says, from what the person has now."""
        repo = self._repo()
        situation = self._plan_of(sender)
        steps = open_step_lines(repo, situation, lang, MORNING_STEPS) if situation is not None else []
        if steps:
            return [Reply("\n".join([text("morning_plan", lang), *steps]))]
        place = self._place_of(sender)
        services = repo.services(["social_service"], place, limit=1) if place else []
        if not services:
            return [Reply(text("morning_unknown", lang))]
        step = next(iter(repo.procedures(["social_service_application"])), None)
        first = [text("morning_place", lang).format(municipality=place)]
        if step is not None and step.bring:  # what to bring, from the knowledge base's procedure
            first.append(templates(lang)["step_bring"].format(bring=", ".join(localized(step, lang).bring)))
        return [Reply("\n".join(first)), Reply(service_card(services[0], lang))]
