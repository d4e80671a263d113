"""A shared plan: a relative or volunteer who built a document plan gives the person a one-time link
(python-telegram-bot's deep linking, `t.me/<bot>?start=<token>`). The person sees what was prepared and agrees before
anything is kept under their id; the helper learns only that the link was opened, never by whom."""

from __future__ import annotations

import asyncio
import logging
from typing import Callable

from telegram.helpers import create_deep_linked_url

from bot.handoff import Messenger
from bot.rasa_client import Button, Reply
from bot.texts import text
from cards.checklist import open_step_lines
from cards.payloads import SHARE_PLAN
from cards.render import templates
from knowledge.checklist import Situation
from knowledge.repository import KnowledgeRepository
from personal.shared_plan import TTL, SharedPlanStore

log = logging.getLogger(__name__)
CANCEL, TAKE, DECLINE = "#p:cancel", "#p:take:", "#p:no:"  # its own buttons (signed per person by the front door)
PREVIEW_STEPS = 5


class SharedPlans:
    """Making a link, opening it, the person's answer, and cancelling."""

    def __init__(self, store: SharedPlanStore, repo: Callable[[], KnowledgeRepository],
                 plan_of: Callable[[str], Situation | None], keep_plan: Callable[[str, Situation], bool],
                 keep_days: int, messenger: Messenger | None = None, bot_username: str | None = None):
        self._store = store
        self._repo = repo
        self._plan_of = plan_of  # the helper's stored plan (personal.checklist)
        self._keep_plan = keep_plan  # stores a plan under the person's id (personal.checklist.save)
        self._keep_days = keep_days  # how long a plan is kept after its last change (the retention setting)
        self._messenger = messenger
        self._bot_username = bot_username  # Telegram's name of the bot, for deep links; None in the terminal

    def link(self, token: str) -> str:
        """The deep link (or, in the terminal, the command Telegram would send)."""
        if self._bot_username:
            return create_deep_linked_url(self._bot_username, token)
        return f"/start {token}"

    async def on_payload(self, sender: str, chat_ref: str, payload: str, lang: str) -> list[Reply]:
        """A shared-plan button."""
        if payload == SHARE_PLAN:
            return await self.give(sender, chat_ref, lang)
        if payload == CANCEL:
            n = await asyncio.to_thread(self._store.cancel, sender)
            return [Reply(text("shared_plan_cancelled" if n else "shared_plan_nothing_to_cancel", lang))]
        kind, _, number = payload.rpartition(":")
        if not number.isdigit():
            return [Reply(text("button_expired", lang))]
        return await self.decide(sender, int(number), kind + ":" == TAKE, lang)

    async def give(self, sender: str, chat_ref: str, lang: str) -> list[Reply]:
        """A link for the helper's current plan."""
        situation = await asyncio.to_thread(self._plan_of, sender)
        if situation is None:
            return [Reply(text("shared_plan_no_plan", lang))]
        token = await asyncio.to_thread(self._store.create, sender, chat_ref, situation, lang)
        if token is None:
            return [Reply(text("reminder_refused", lang))]
        return [Reply(text("shared_plan_link", lang).format(link=self.link(token), days=TTL.days),
                      (Button(text("btn_shared_plan_cancel", lang), CANCEL),))]

    async def open(self, sender: str, token: str, lang: str) -> list[Reply]:
        """The person opened the link: what was prepared, and a question before anything is kept."""
        opened = await asyncio.to_thread(self._store.open, token, sender)
        if opened is None:
            return [Reply(text("shared_plan_invalid", lang))]
        if opened.helper_chat_ref and self._messenger is not None:  # only that it was opened, never by whom
            try:
                await self._messenger.send(opened.helper_chat_ref,
                                           [Reply(text("shared_plan_opened", opened.helper_language))], opened.helper)
            except Exception as exc:
                log.warning("shared plan notice failed: %s", type(exc).__name__)
        steps = await asyncio.to_thread(open_step_lines, self._repo(), opened.situation, lang, PREVIEW_STEPS, True)
        return [Reply("\n".join([text("shared_plan_preview", lang), *steps])),
                Reply(text("shared_plan_consent", lang).format(days=self._keep_days), (Button(text("btn_shared_plan_take", lang), f"{TAKE}{opened.id}"),
                                                       Button(text("btn_shared_plan_decline", lang), f"{DECLINE}{opened.id}")))]

    async def decide(self, sender: str, plan_id: int, take: bool, lang: str) -> list[Reply]:
        """Yes: the plan is the person's from now on. No: it is deleted. Either way the link is spent."""
        situation = await asyncio.to_thread(self._store.decide, plan_id, sender)
        if situation is None:
            return [Reply(text("shared_plan_invalid", lang))]
        if not take:
            return [Reply(text("shared_plan_declined", lang))]
        if not await asyncio.to_thread(self._keep_plan, sender, situation):
            return [Reply(text("reminder_refused", lang))]
        steps = await asyncio.to_thread(open_step_lines, self._repo(), situation, lang, None, True)
        t = templates(lang)  # the plan's own buttons: Rasa's checklist actions read the stored plan
        return [Reply("\n".join([text("shared_plan_taken", lang), *steps]),
                      (Button(t["btn_tick"], "/checklist_tick"), Button(t["btn_pdf"], "/checklist_pdf")))]
