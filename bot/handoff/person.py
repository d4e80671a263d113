"""The person's side of a handoff: what would be shared and consent to it, their own words, their messages relayed
while a volunteer has the conversation, leaving, and forgetting."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging

from bot.handoff.parts import CHECK_PREFIX, Parts
from bot.rasa_client import Button, Reply
from bot.texts import text
from cards.render import topic_titles
from knowledge.hours import RIGA
from lvnorm.requester import role_of, who
from personal import tracker
from personal.handoff import Gone, RequestView
from survey.events import Event, EventLog

log = logging.getLogger(__name__)
SHELTER_TOPICS = {"ask_shelter_tonight", "inform_municipality"}
ANNOUNCE_WAIT = 1.5  # seconds the person's confirmation may wait for the announcement
# Why a person is offered a volunteer: they asked, the bot did not understand twice, a crisis, no data for their place,
# Rasa down; a report that a listing is wrong goes to the moderation queue.
CATEGORIES = {"asked", "fallback", "crisis", "no_data", "rasa_down", "report_error"}


class PersonSide(Parts):
    """Offer, consent, relay, leave, forget (mixed into bot.handoff.Handoff)."""

    async def offer(self, sender: str, chat_ref: str, channel: str, category: str, lang: str) -> list[Reply]:
        """Show what would be shared and ask for consent (a draft is kept until they answer)."""
        queue = "moderation" if category == "report_error" else "help"
        if category not in CATEGORIES:
            return [Reply(text("button_expired", lang))]
        existing = await self._db(self._store.open_request, sender, queue)
        if existing is not None and queue == "help":
            return [Reply(text("handoff_already_open", lang).format(id=existing.id),
                          (Button(text("btn_withdraw", lang), f"#end:{existing.id}"),))]
        if queue == "help" and category != "crisis" and await self._db(
                self._store.sent_since, sender, self._clock() - dt.timedelta(days=1)) >= self._settings.handoff_per_day:
            return [Reply(text("handoff_too_many", lang))]
        recent = await self._db(tracker.recent, self._settings.tracker_db_url, sender)
        lang = recent.language or lang
        topics = [t for t in recent.intents if t in topic_titles("lv")][-4:]
        urgency = 0 if category == "crisis" else 1 if SHELTER_TOPICS & set(topics[-2:]) else 2
        try:
            draft = await self._db(self._store.draft, sender=sender, channel=channel, chat_ref=chat_ref, queue=queue,
                                   category=category, urgency=urgency, municipality=recent.municipality,
                                   language=lang, topics=topics, shown=recent.shown[-3:] if queue == "moderation" else [],
                                   now=self._clock(), requester=recent.requester if queue == "help" else None)
        except Gone:
            return [Reply(text("forgotten_wait", lang))]
        return [self._consent_question(draft, lang)]

    def _consent_question(self, r: RequestView, lang: str) -> Reply:
        key = "report_consent" if r.queue == "moderation" else "handoff_consent"
        return Reply(text(key, lang).format(summary=self.person_summary(r, lang)), (
            Button(text("btn_send", lang), f"#ok:{r.id}"),
            Button(text("btn_add_words", lang), f"#tx:{r.id}"),
            Button(text("btn_dont_send", lang), f"#no:{r.id}"),
        ))

    def person_summary(self, r: RequestView, lang: str) -> str:
        """The summary as the person sees it, in their language."""
        titles = topic_titles(lang)
        lines = [text("sum_topics", lang).format(topics=", ".join(titles[t] for t in r.topics if t in titles)
                                                 if r.topics else text("sum_no_topics", lang))]
        if r.queue == "moderation" and r.shown:
            lines.append(text("sum_shown", lang).format(shown="; ".join(r.shown)))
        lines.append(text("sum_place", lang).format(place=r.municipality or text("sum_unknown", lang)))
        about = who(r.requester, lang)
        if about:  # a relative or a worker: shared, so shown before they agree
            lines.append(text("sum_requester", lang).format(who=about))
        if r.urgency == 0:
            lines.append(text("sum_urgent", lang))
        if r.person_text:
            lines.append(text("sum_words", lang).format(words=r.person_text))
        return "\n".join("• " + line for line in lines)

    async def on_payload(self, sender: str, chat_ref: str, channel: str, payload: str, lang: str) -> list[Reply]:
        """A press on one of the handoff's own buttons ('#verb:argument'); a volunteer's call has its own."""
        if payload.startswith(CHECK_PREFIX) and chat_ref.lstrip("-").isdigit():
            return await self.check_button(int(chat_ref), payload)
        verb, _, arg = payload[1:].partition(":")
        if verb == "h":
            return await self.offer(sender, chat_ref, channel, arg or "asked", lang)
        if not arg.isdigit():
            return [Reply(text("button_expired", lang))]
        rid = int(arg)
        mine = await self._db(self._store.get, rid)
        if mine is None or mine.sender != sender:
            return [Reply(text("handoff_gone", lang))]
        lang = mine.language
        if verb == "ok":
            return await self._consent(sender, rid, lang)
        if verb == "tx":
            draft = await self._db(self._store.want_text, rid, sender)
            return [Reply(text("handoff_ask_words" if draft else "handoff_gone", lang))]
        if verb == "no":
            await self._db(self._store.cancel, rid, sender)
            return [Reply(text("handoff_cancelled", lang))]
        if verb == "end":
            return await self.end(sender, lang, rid)
        return [Reply(text("button_expired", lang))]

    async def _consent(self, sender: str, rid: int, lang: str) -> list[Reply]:
        outcome, r = await self._db(self._store.consent, rid, sender, self._clock())
        if outcome == "gone" or r is None:
            return [Reply(text("handoff_gone", lang))]
        if outcome in ("already", "open"):
            key = "report_already" if r.queue == "moderation" else "handoff_already_open"
            return [Reply(text(key, lang).format(id=r.id))]
        await self._db(self._store.audit, "person", "consented", r.id, f"{r.queue}/{r.category}")
        if r.queue == "help" and self._survey is not None:
            await self._count(self._survey, r)
        await self._announce_soon()
        announced = (await self._db(self._store.get, r.id)).announced_at is not None
        if not announced:  # queued, but nobody has been told yet: say exactly that
            return [Reply(text("handoff_queued", lang).format(id=r.id))]
        if r.queue == "moderation":
            return [Reply(text("report_sent", lang).format(id=r.id))]
        if not self.in_hours():
            start, end = self._settings.handoff_hours
            return [Reply(text("handoff_sent_after_hours", lang).format(id=r.id, start=start, end=end))]
        return [Reply(text("handoff_sent", lang).format(id=r.id))]

    async def _count(self, survey: EventLog, r: RequestView) -> None:
        """A need handed to volunteers, for the survey: its topic and place, never the request."""
        try:
            await self._db(survey.record, Event(r.topics[-1] if r.topics else "request_handoff", "handoff",
                                                      r.municipality, None, r.language, role_of(r.requester)))
        except Exception as exc:  # counting never stands in the way of the request
            log.warning("survey count failed: %s", type(exc).__name__)

    def _reachable(self) -> bool:
        return self.courier.messenger is not None and (self.courier.group_id is not None
                                                       or bool(self._store.volunteers()))

    async def reachable(self) -> bool:
        """Can a volunteer be told of a request now (a group or at least one volunteer, and a way to send)?"""
        try:
            return await self._db(self._reachable)
        except Exception as exc:  # the queue's database is down: offer no button that cannot work
            log.warning("volunteers unknown: %s", type(exc).__name__)
            return False

    async def _announce_soon(self) -> None:
        """Announce now, but answer the person after at most ANNOUNCE_WAIT seconds: a volunteer group's rate limit
        must not keep them waiting. Whatever is still unsent is finished here, or by the next round."""
        task = asyncio.create_task(self.announce_pending())
        try:
            await asyncio.wait_for(asyncio.shield(task), ANNOUNCE_WAIT)
        except asyncio.TimeoutError:
            pass
        except Exception as exc:
            log.warning("announcing failed: %s", type(exc).__name__)

    async def intercept(self, sender: str, message: str, lang: str, crisis: bool) -> list[Reply] | None:
        """Before Rasa: the person's own words for a draft, or a message for the volunteer who has them."""
        r = await self._db(self._store.intercepting, sender)
        if r is None:
            return None
        if r.status == "draft":
            draft = await self._db(self._store.set_text, r.id, sender, message)
            return [self._consent_question(draft, lang)] if draft else None
        volunteer = await self._db(self._store.volunteer_by_id, r.volunteer_id)
        key = "v_person_crisis" if crisis else "v_person_wrote"
        sent = volunteer is not None and await self.courier.deliver(str(volunteer.telegram_id), [Reply(
            text(key).format(id=r.id, words=message))])
        if not sent:
            return [Reply(text("relay_failed", lang))]
        await self._db(self._store.person_wrote, r.id)
        await self._db(self._store.audit, f"volunteer:{volunteer.id}", "received", r.id, f"{len(message)} chars")
        return [Reply(text("relayed", lang).format(name=volunteer.name))]

    async def end(self, sender: str, lang: str, rid: int | None = None) -> list[Reply]:
        """The person leaves the handoff (or withdraws a waiting request): the robot answers again."""
        r = await self._db(self._store.open_request, sender)
        if r is None or (rid is not None and r.id != rid):
            return [Reply(text("not_in_handoff", lang))]
        withdrawn = r.status == "new"  # nobody has it yet: the person takes the question back
        closed = await self._db(self._store.close, r.id, "cancelled" if withdrawn else "resolved", None, self._clock())
        if closed is None:
            return [Reply(text("not_in_handoff", lang))]
        await self._db(self._store.audit, "person", "withdrew" if withdrawn else "left", r.id)
        await self.courier.to_volunteer(closed.volunteer_id, [Reply(text("v_person_left").format(id=r.id))])
        return [Reply(text("handoff_withdrawn" if withdrawn else "handoff_ended", lang))]

    async def forget(self, sender: str) -> int:
        """Delete the person's requests; a volunteer holding one is told it is gone."""
        n, was_open = await self._db(self._store.forget, sender)
        for r in was_open:
            await self._db(self._store.audit, "person", "deleted", r.id)
            await self.courier.to_volunteer(r.volunteer_id, [Reply(text("v_person_forgot").format(id=r.id))])
        return n

    def in_hours(self) -> bool:
        """Is it volunteers' working time (Riga)?"""
        start, end = self._settings.handoff_hours
        now = self._clock().astimezone(RIGA).strftime("%H:%M")
        return start <= now < end if start <= end else (now >= start or now < end)
