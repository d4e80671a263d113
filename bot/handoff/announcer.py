"""Telling volunteers: announcing new requests (an outbox that survives a crash), re-announcing urgent ones nobody
claimed, expiring idle ones. A volunteer group sees only the number, the urgency and the place; what the person
wrote and what was shown go only to a registered volunteer in a direct chat."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from typing import Protocol

from bot.handoff.parts import Parts
from bot.rasa_client import Reply
from bot.settings import Settings
from bot.texts import text
from cards.render import topic_titles
from lvnorm.requester import who
from personal.handoff import Announcement, HandoffStore, RequestView

log = logging.getLogger(__name__)


class Messenger(Protocol):
    """Sends messages that are not an answer to the current update (to volunteers, or to a person later)."""

    async def send(self, chat_ref: str, replies: list[Reply], sender: str | None = None) -> bool: ...


def urgency(level: int) -> str:
    """How urgent a request is, as volunteers see it (0 a crisis, 1 no bed tonight, 2 the rest)."""
    return text(f"v_urgency_{level}")


def minutes(since: dt.datetime | None, now: dt.datetime) -> int:
    """Whole minutes between two times (0 when the first is unknown)."""
    return max(0, int((now - since).total_seconds() // 60)) if since else 0


class Courier:
    """Delivery: to one chat, to the volunteers (the group, else each volunteer directly), to a volunteer."""

    def __init__(self, settings: Settings, store: HandoffStore, messenger: Messenger | None):
        self._store = store
        self.messenger = messenger
        self.group_id = settings.volunteer_chat_id  # a supergroup migration changes it (group_moved)

    async def deliver(self, chat_ref: str, replies: list[Reply], sender: str | None = None) -> bool:
        """One chat; False when it could not be reached."""
        if self.messenger is None:
            return False
        try:
            return await self.messenger.send(chat_ref, replies, sender)
        except Exception as exc:
            log.warning("delivery failed: %s", type(exc).__name__)
            return False

    async def to_each_volunteer(self, replies: list[Reply]) -> bool:
        """Every active volunteer in a direct chat; True when at least one was reached."""
        people = await asyncio.to_thread(self._store.volunteers)
        return any([await self.deliver(str(p.telegram_id), replies) for p in people])

    async def to_volunteers(self, group: list[Reply], direct: list[Reply]) -> bool:
        """The group gets `group` (the short form); without a group, or when the group cannot be reached, each
        volunteer gets `direct`. True when someone was told."""
        if self.group_id is not None and await self.deliver(str(self.group_id), group):
            return True
        return await self.to_each_volunteer(direct)

    async def to_volunteer(self, volunteer_id: int | None, replies: list[Reply]) -> bool:
        """The volunteer holding a request, directly."""
        if volunteer_id is None:
            return False
        v = await asyncio.to_thread(self._store.volunteer_by_id, volunteer_id)
        return v is not None and await self.deliver(str(v.telegram_id), replies)

    def group_moved(self, new_id: int) -> None:
        """Telegram turned the volunteer group into a supergroup with a new id: use it from now on."""
        if self.group_id is not None:
            self.group_id = new_id
            log.warning("the volunteer group got a new id; set VOLUNTEER_CHAT_ID to it in the front door's env file")


class Announcer(Parts):
    """Announcing, re-announcing, expiring; run by the channel's scheduler (PTB's JobQueue on Telegram)."""

    def __init__(self) -> None:
        self._booted = self._clock()
        self._announce_lock = asyncio.Lock()

    def volunteer_summary(self, r: RequestView) -> str:
        """What a volunteer sees about a request, in a direct chat: never who the person is."""
        titles = topic_titles("lv")
        level = urgency(r.urgency) if r.queue == "help" else text("v_correction")
        lines = [text("v_sum_head").format(id=r.id, urgency=level,
                                           place=r.municipality or text("v_place_unknown"),
                                           language=text("language_name_" + r.language))]
        lines.append(text("v_sum_topics").format(topics=", ".join(titles[t] for t in r.topics if t in titles) or "–"))
        about = who(r.requester, "lv")
        if about:  # a mother or a social worker writes: the volunteer answers them, not him
            lines.append(text("v_sum_requester").format(who=about))
        if r.shown:
            lines.append(text("v_sum_shown").format(shown="; ".join(r.shown)))
        if r.person_text:
            lines.append(text("v_sum_words").format(words=r.person_text))
        return "\n".join(lines)

    def _short(self, r: RequestView, repeat: bool) -> str:
        """The group's form: number, urgency, place."""
        mark = "🔁" if repeat else "🆕"
        head = "v_announce_short_moderation" if r.queue == "moderation" else "v_announce_short"
        return text(head).format(mark=mark, id=r.id, urgency=urgency(r.urgency), place=r.municipality or "–")

    def _full(self, a: Announcement) -> str:
        """A volunteer's direct form: the whole summary."""
        r = a.request
        head = "v_announce_moderation" if r.queue == "moderation" else "v_announce"
        body = text(head).format(mark="🔁" if a.repeat else "🆕", summary=self.volunteer_summary(r), id=r.id)
        return body + ("\n" + text("v_announce_repeat") if a.repeat else "")

    async def announce_pending(self) -> int:
        """Announce, in one message, every queued request nobody has been told about (after a restart, too)."""
        async with self._announce_lock:
            now = self._clock()
            # 'sending' since before this process started and for longer than the stale time: its process died
            # mid-send. What this process is sending itself is never taken again, however slow Telegram is.
            cutoff = min(self._booted, now - dt.timedelta(seconds=self._settings.handoff_stale_seconds))
            items = await asyncio.to_thread(self._store.take_announcements, cutoff, now)
            if not items:
                return 0
            group = [Reply("\n".join(self._short(a.request, a.repeat) for a in items)
                           + "\n" + text("v_announce_short_foot"))]
            direct = [Reply("\n\n".join(self._full(a) for a in items))]
            reached = await self.courier.to_volunteers(group, direct)
            for a in items:
                if reached:
                    await asyncio.to_thread(self._store.announced, a.request.id, self._clock())
                    await asyncio.to_thread(self._store.audit, "system", "announced", a.request.id,
                                            "repeat" if a.repeat else None)
                else:
                    await asyncio.to_thread(self._store.announce_failed, a.request.id)
            return len(items) if reached else 0

    async def tick(self) -> None:
        """One round: announce, re-announce unclaimed urgent requests, expire idle ones."""
        s, now = self._settings, self._clock()
        await self.announce_pending()
        for r in await asyncio.to_thread(self._store.due_reannounce,
                                         dt.timedelta(minutes=s.handoff_reannounce_minutes), now):
            line = text("v_reannounce").format(id=r.id, urgency=urgency(r.urgency), place=r.municipality or "–",
                                               minutes=minutes(r.created_at, now))
            if await self.courier.to_volunteers([Reply(line)], [Reply(line)]):
                await asyncio.to_thread(self._store.audit, "system", "reannounced", r.id)
        for r in await asyncio.to_thread(self._store.expire, dt.timedelta(hours=s.handoff_expire_hours), now):
            await asyncio.to_thread(self._store.audit, "system", "expired", r.id)
            if r.chat_ref and r.queue == "help":
                await self.courier.deliver(r.chat_ref, [Reply(text("handoff_expired", r.language).format(id=r.id))],
                                           r.sender)
            await self.courier.to_volunteer(r.volunteer_id, [Reply(text("v_expired").format(id=r.id))])
