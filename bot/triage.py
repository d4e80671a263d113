"""Volunteers: a triage queue and a human handoff, run by the front door so a crashed Rasa or action server cannot
drop a request.

The person's side: an offer shows exactly what would be shared (topics, place, language, and their own words only
if they add them) and asks for consent; only then the request is queued and announced. While a volunteer has the
conversation, the person's messages go to that volunteer instead of Rasa, until the volunteer resolves it or the
person types /beigt. The volunteers' side: commands in a private chat with the bot or in the volunteer group.
Volunteers see a request number, never the person's Telegram identity.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from dataclasses import dataclass
from typing import Callable, Protocol

from actions.render import templates
from bot import personal_data
from bot.commands import command_word
from bot.rasa_client import Button, Reply
from bot.settings import Settings
from bot.texts import text
from knowledge.hours import RIGA
from knowledge.triage import Announcement, RequestView, TriageStore, VolunteerView

log = logging.getLogger(__name__)
URGENCY = {0: "🔴 KRĪZE", 1: "🟠 nav kur pārnakšņot", 2: "⚪ cits"}
LANGUAGE_NAMES = {"lv": "latviešu", "ru": "krievu"}
SHELTER_TOPICS = {"ask_shelter_tonight", "inform_municipality"}
ANNOUNCE_WAIT = 1.5  # seconds the person's confirmation may wait for the announcement
CATEGORIES = {"human", "fallback", "crisis", "no_data", "rasa_down", "report_error"}


class Messenger(Protocol):
    """Sends messages that are not an answer to the current update (to volunteers, or to a person later)."""

    async def send(self, chat_ref: str, replies: list[Reply], sender: str | None = None) -> bool: ...


def topic_titles(language: str) -> dict[str, str]:
    """The topic names people see on buttons, used for the summary too (one wording everywhere)."""
    return templates(language)["topic_titles"]


def _minutes(since: dt.datetime | None, now: dt.datetime) -> int:
    return max(0, int((now - since).total_seconds() // 60)) if since else 0


@dataclass(frozen=True)
class VolunteerCommand:
    """A volunteer command: Latvian name, English aliases, what follows it, and whether only admins may use it."""

    name: str
    aliases: tuple[str, ...]
    usage: str
    what: str
    admin: bool = False


VOLUNTEER_COMMANDS: tuple[VolunteerCommand, ...] = (
    VolunteerCommand("rinda", ("queue",), "", "atvērtie pieprasījumi: steidzamākie un ilgāk gaidošie augšā"),
    VolunteerCommand("nemt", ("claim",), "NR", "pieņemt pieprasījumu (robots personai vairs neatbild)"),
    VolunteerCommand("atb", ("reply",), "NR teksts", "atbildēt personai (caur robotu)"),
    VolunteerCommand("gatavs", ("resolve",), "NR", "atrisināts: robots atkal atbild personai"),
    VolunteerCommand("atdot", ("handback",), "NR", "atdot atpakaļ rindā"),
    VolunteerCommand("piezime", ("note",), "NR teksts", "piezīme tikai brīvprātīgajiem"),
    VolunteerCommand("skatit", ("show",), "NR", "pieprasījums ar piezīmēm"),
    VolunteerCommand("labojumi", ("moderation",), "", "ziņojumi par kļūdām sarakstos"),
    VolunteerCommand("maina", ("shift",), "", "brīvprātīgo komandas"),
    VolunteerCommand("pievienot", ("addvolunteer",), "TELEGRAM_ID vārds", "pievienot brīvprātīgo", admin=True),
    VolunteerCommand("nonemt", ("removevolunteer",), "TELEGRAM_ID", "noņemt brīvprātīgo", admin=True),
    VolunteerCommand("brivpratigie", ("volunteers",), "", "brīvprātīgo saraksts", admin=True),
    VolunteerCommand("audits", ("audit",), "NR", "kas ko redzēja un darīja", admin=True),
)
VOLUNTEER_BY_NAME = {n: c for c in VOLUNTEER_COMMANDS for n in (c.name, *c.aliases)}


def volunteer_command(raw: str) -> tuple[VolunteerCommand, str] | None:
    """'/nemt@celvedis_bot 12' -> (claim, '12'); anything else -> None."""
    command = VOLUNTEER_BY_NAME.get(command_word(raw))
    return (command, raw.strip().partition(" ")[2].strip()) if command else None


class Triage:
    """The queue's behaviour. Storage is knowledge.triage.TriageStore; delivery is a Messenger set by the channel."""

    def __init__(self, settings: Settings, store: TriageStore, sender_of: Callable[[int | str], str],
                 messenger: Messenger | None = None, clock: Callable[[], dt.datetime] | None = None):
        self._settings = settings
        self._store = store
        self._sender_of = sender_of  # Telegram user id -> pseudonymous id, for the audit line of a refusal
        self.messenger = messenger
        self._clock = clock or (lambda: dt.datetime.now(dt.timezone.utc))
        self._booted = self._clock()
        self._announce_lock = asyncio.Lock()
        self._tasks: set[asyncio.Task] = set()

    async def _db(self, fn, *args, **kwargs):
        return await asyncio.to_thread(fn, *args, **kwargs)

    # --- the person's side -------------------------------------------------------------------------------------
    async def offer(self, sender: str, chat_ref: str, channel: str, category: str, lang: str) -> list[Reply]:
        """Show what would be shared and ask for consent (a draft is kept until they answer)."""
        queue = "moderation" if category == "report_error" else "help"
        if category not in CATEGORIES:
            return [Reply(text("button_expired", lang))]
        existing = await self._db(self._store.open_request, sender, queue)
        if existing is not None and queue == "help":
            return [Reply(text("handoff_already_open", lang).format(id=existing.id),
                          (Button(text("btn_withdraw", lang), f"#end:{existing.id}"),))]
        recent = await self._db(personal_data.recent, self._settings.tracker_db_url, sender)
        lang = recent.language or lang
        topics = [t for t in recent.intents if t in topic_titles("lv")][-4:]
        urgency = 0 if category == "crisis" else 1 if SHELTER_TOPICS & set(topics[-2:]) else 2
        draft = await self._db(self._store.draft, sender=sender, channel=channel, chat_ref=chat_ref, queue=queue,
                               category=category, urgency=urgency, municipality=recent.municipality, language=lang,
                               topics=topics, shown=recent.shown[-3:] if queue == "moderation" else [],
                               now=self._clock())
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
        lines = [text("sum_topics", lang).format(topics=", ".join(titles[t] for t in r.topics) if r.topics
                                                 else text("sum_no_topics", lang))]
        if r.queue == "moderation" and r.shown:
            lines.append(text("sum_shown", lang).format(shown="; ".join(r.shown)))
        lines.append(text("sum_place", lang).format(place=r.municipality or text("sum_unknown", lang)))
        if r.urgency == 0:
            lines.append(text("sum_urgent", lang))
        if r.person_text:
            lines.append(text("sum_words", lang).format(words=r.person_text))
        return "\n".join("• " + line for line in lines)

    async def on_payload(self, sender: str, chat_ref: str, channel: str, payload: str, lang: str) -> list[Reply]:
        """A press on one of the queue's own buttons ('#verb:argument')."""
        verb, _, arg = payload[1:].partition(":")
        if verb == "h":
            return await self.offer(sender, chat_ref, channel, arg or "human", lang)
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
        await self._announce_soon()
        if r.queue == "moderation":
            return [Reply(text("report_sent", lang).format(id=r.id))]
        if not self.in_hours():
            start, end = self._settings.triage_hours
            return [Reply(text("handoff_sent_after_hours", lang).format(id=r.id, start=start, end=end))]
        if not await self._db(self._reachable):
            return [Reply(text("handoff_sent_nobody", lang).format(id=r.id))]
        return [Reply(text("handoff_sent", lang).format(id=r.id))]

    def _reachable(self) -> bool:
        return self.messenger is not None and (self._settings.volunteer_chat_id is not None
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
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
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
        sent = volunteer is not None and await self._deliver(str(volunteer.telegram_id), [Reply(
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
        await self._tell_volunteer(closed, "v_person_left")
        return [Reply(text("handoff_withdrawn" if withdrawn else "handoff_ended", lang))]

    async def forget(self, sender: str) -> int:
        """Delete the person's requests; a volunteer holding one is told it is gone."""
        n, was_open = await self._db(self._store.forget, sender)
        for r in was_open:
            await self._db(self._store.audit, "person", "deleted", r.id)
            await self._tell_volunteer(r, "v_person_forgot")
        return n

    def in_hours(self) -> bool:
        """Is it volunteers' working time (Riga)?"""
        start, end = self._settings.triage_hours
        now = self._clock().astimezone(RIGA).strftime("%H:%M")
        return start <= now < end if start <= end else (now >= start or now < end)

    # --- the volunteers' side ----------------------------------------------------------------------------------
    async def volunteer_command(self, user_id: int, chat_ref: str, raw: str) -> list[Reply] | None:
        """A volunteer or admin command; None when `raw` is none of them. Everyone else is refused and logged."""
        parsed = volunteer_command(raw)
        if parsed is None:
            return None
        command, rest = parsed
        is_admin = int(user_id) in self._settings.admin_ids
        volunteer = await self._db(self._store.volunteer, int(user_id))
        if (command.admin and not is_admin) or (not command.admin and volunteer is None):
            await self._db(self._store.audit, f"refused:{self._sender_of(user_id)[:12]}", command.name)
            log.warning("volunteer command refused")
            return [Reply(text("v_refused"))]
        handler = getattr(self, f"_v_{command.name}")
        actor = f"admin:{user_id}" if command.admin else f"volunteer:{volunteer.id}"
        return await handler(volunteer, actor, rest)

    async def _v_maina(self, v, actor, rest) -> list[Reply]:
        lines = [f"/{c.name} {c.usage}".rstrip() + f" – {c.what}" for c in VOLUNTEER_COMMANDS if not c.admin]
        return [Reply(text("v_help") + "\n" + "\n".join(lines))]

    async def _v_rinda(self, v, actor, rest, queue: str = "help") -> list[Reply]:
        rows = await self._db(self._store.queue, queue)
        await self._db(self._store.audit, actor, "viewed_queue", None, f"{queue}: {len(rows)}")
        if not rows:
            return [Reply(text("v_queue_empty" if queue == "help" else "v_moderation_empty"))]
        now = self._clock()
        lines = [text("v_queue_head" if queue == "help" else "v_moderation_head").format(n=len(rows))]
        for r in rows:
            who = ""
            if r.volunteer_id is not None:
                holder = await self._db(self._store.volunteer_by_id, r.volunteer_id)
                who = f" · {holder.name if holder else '?'}"
            lines.append(text("v_queue_line").format(
                id=r.id, urgency=URGENCY[r.urgency] if queue == "help" else "📝", place=r.municipality or "–",
                minutes=_minutes(r.created_at, now), status=text(f"v_status_{r.status}"), who=who))
        lines.append(text("v_queue_foot"))
        return [Reply("\n".join(lines))]

    async def _v_labojumi(self, v, actor, rest) -> list[Reply]:
        return await self._v_rinda(v, actor, rest, queue="moderation")

    @staticmethod
    def _request_arg(rest: str) -> tuple[int | None, str]:
        number, _, words = rest.partition(" ")
        number = number.lstrip("#").removeprefix("Nr.").strip()
        return (int(number) if number.isdigit() else None), words.strip()

    async def _v_nemt(self, v: VolunteerView, actor, rest) -> list[Reply]:
        rid, _ = self._request_arg(rest)
        if rid is None:
            return [Reply(text("v_usage").format(usage="/nemt NR"))]
        r = await self._db(self._store.claim, rid, v.id, self._clock())
        if r is None:
            return [Reply(text("v_claim_failed").format(id=rid))]
        await self._db(self._store.audit, actor, "claimed", rid)
        if r.queue == "help" and r.chat_ref:
            await self._deliver(r.chat_ref, [Reply(text("handoff_claimed", r.language).format(name=v.name))], r.sender)
        return [Reply(text("v_claimed").format(id=rid, summary=self.volunteer_summary(r)))]

    async def _v_atb(self, v: VolunteerView, actor, rest) -> list[Reply]:
        rid, words = self._request_arg(rest)
        if rid is None or not words:
            return [Reply(text("v_usage").format(usage="/atb NR teksts"))]
        current = await self._db(self._store.get, rid)
        if current is None or current.volunteer_id != v.id or current.status not in ("claimed", "waiting"):
            return [Reply(text("v_not_yours").format(id=rid))]
        delivered = bool(current.chat_ref) and await self._deliver(
            current.chat_ref, [Reply(text("from_volunteer", current.language).format(name=v.name, words=words))],
            current.sender)
        if not delivered:
            return [Reply(text("v_delivery_failed").format(id=rid))]
        await self._db(self._store.replied, rid, v.id)
        await self._db(self._store.audit, actor, "replied", rid, f"{len(words)} chars")
        return [Reply(text("v_replied").format(id=rid))]

    async def _v_gatavs(self, v: VolunteerView, actor, rest) -> list[Reply]:
        rid, _ = self._request_arg(rest)
        if rid is None:
            return [Reply(text("v_usage").format(usage="/gatavs NR"))]
        r = await self._db(self._store.close, rid, "resolved", v.id, self._clock())
        if r is None:
            return [Reply(text("v_not_yours").format(id=rid))]
        await self._db(self._store.audit, actor, "resolved", rid)
        if r.queue == "help" and r.chat_ref:
            await self._deliver(r.chat_ref, [Reply(text("handoff_resolved", r.language))], r.sender)
        return [Reply(text("v_resolved").format(id=rid))]

    async def _v_atdot(self, v: VolunteerView, actor, rest) -> list[Reply]:
        rid, _ = self._request_arg(rest)
        if rid is None:
            return [Reply(text("v_usage").format(usage="/atdot NR"))]
        r = await self._db(self._store.hand_back, rid, v.id)
        if r is None:
            return [Reply(text("v_not_yours").format(id=rid))]
        await self._db(self._store.audit, actor, "handed_back", rid)
        if r.queue == "help" and r.chat_ref:
            await self._deliver(r.chat_ref, [Reply(text("handoff_handed_back", r.language))], r.sender)
        await self.announce_pending()
        return [Reply(text("v_handed_back").format(id=rid))]

    async def _v_piezime(self, v: VolunteerView, actor, rest) -> list[Reply]:
        rid, words = self._request_arg(rest)
        if rid is None or not words:
            return [Reply(text("v_usage").format(usage="/piezime NR teksts"))]
        if not await self._db(self._store.add_note, rid, v.name, words):
            return [Reply(text("v_no_such").format(id=rid))]
        await self._db(self._store.audit, actor, "noted", rid, f"{len(words)} chars")
        return [Reply(text("v_noted").format(id=rid))]

    async def _v_skatit(self, v: VolunteerView, actor, rest) -> list[Reply]:
        rid, _ = self._request_arg(rest)
        r = await self._db(self._store.get, rid) if rid is not None else None
        if r is None or r.status == "draft":
            return [Reply(text("v_no_such").format(id=rid if rid is not None else "?"))]
        await self._db(self._store.audit, actor, "viewed", rid)
        notes = [text("v_note_line").format(at=n["at"], by=n["by"], text=n["text"]) for n in r.notes]
        body = self.volunteer_summary(r) + "\n" + text("v_status_line").format(status=text(f"v_status_{r.status}"))
        return [Reply(body + ("\n" + "\n".join(notes) if notes else ""))]

    async def _v_pievienot(self, v, actor, rest) -> list[Reply]:
        tid, _, name = rest.partition(" ")
        if not tid.lstrip("-").isdigit() or not name.strip():
            return [Reply(text("v_usage").format(usage="/pievienot TELEGRAM_ID vārds"))]
        added = await self._db(self._store.add_volunteer, int(tid), name.strip())
        await self._db(self._store.audit, actor, "added_volunteer", None, f"volunteer:{added.id}")
        return [Reply(text("v_added").format(name=added.name))]

    async def _v_nonemt(self, v, actor, rest) -> list[Reply]:
        tid = rest.split()[0] if rest.split() else ""
        if not tid.lstrip("-").isdigit():
            return [Reply(text("v_usage").format(usage="/nonemt TELEGRAM_ID"))]
        returned = await self._db(self._store.remove_volunteer, int(tid))
        await self._db(self._store.audit, actor, "removed_volunteer", None, f"telegram:{tid}")
        for r in returned:
            if r.chat_ref:
                await self._deliver(r.chat_ref, [Reply(text("handoff_handed_back", r.language))], r.sender)
        await self.announce_pending()
        return [Reply(text("v_removed").format(n=len(returned)))]

    async def _v_brivpratigie(self, v, actor, rest) -> list[Reply]:
        people = await self._db(self._store.volunteers)
        lines = [f"{p.name} – {p.telegram_id}" for p in people]
        return [Reply(text("v_volunteers").format(n=len(people)) + ("\n" + "\n".join(lines) if lines else ""))]

    async def _v_audits(self, v, actor, rest) -> list[Reply]:
        rid, _ = self._request_arg(rest)
        rows = await self._db(self._store.audit_log, rid, 50)
        lines = [f"{a} {b}" + (f" Nr. {c}" if c else "") + (f" ({d})" if d else "") for a, b, c, d in rows[-50:]]
        return [Reply("\n".join(lines) or text("v_audit_empty"))]

    def volunteer_summary(self, r: RequestView) -> str:
        """What a volunteer sees about a request: never who the person is."""
        titles = topic_titles("lv")
        lines = [text("v_sum_head").format(id=r.id, urgency=URGENCY[r.urgency] if r.queue == "help" else "📝 labojums",
                                           place=r.municipality or "vieta nav zināma",
                                           language=LANGUAGE_NAMES.get(r.language, r.language))]
        lines.append(text("v_sum_topics").format(topics=", ".join(titles[t] for t in r.topics) or "–"))
        if r.shown:
            lines.append(text("v_sum_shown").format(shown="; ".join(r.shown)))
        if r.person_text:
            lines.append(text("v_sum_words").format(words=r.person_text))
        return "\n".join(lines)

    # --- announcing, reminding, expiring -----------------------------------------------------------------------
    def announcement(self, a: Announcement) -> str:
        """One request as announced to volunteers: 🆕, or 🔁 when an earlier attempt may have reached them."""
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
            cutoff = min(self._booted, now - dt.timedelta(seconds=self._settings.triage_stale_seconds))
            items = await self._db(self._store.take_announcements, cutoff, now)
            if not items:
                return 0
            reached = await self._to_volunteers([Reply("\n\n".join(self.announcement(a) for a in items))])
            for a in items:
                if reached:
                    await self._db(self._store.announced, a.request.id, self._clock())
                    await self._db(self._store.audit, "system", "announced", a.request.id,
                                   "repeat" if a.repeat else None)
                else:
                    await self._db(self._store.announce_failed, a.request.id)
            return len(items) if reached else 0

    async def tick(self) -> None:
        """One round of housekeeping: announce, re-announce unclaimed urgent requests, expire, purge."""
        s, now = self._settings, self._clock()
        await self.announce_pending()
        for r in await self._db(self._store.due_reannounce, dt.timedelta(minutes=s.triage_reannounce_minutes), now):
            if await self._to_volunteers([Reply(text("v_reannounce").format(
                    id=r.id, urgency=URGENCY[r.urgency], place=r.municipality or "–",
                    minutes=_minutes(r.created_at, now)))]):
                await self._db(self._store.audit, "system", "reannounced", r.id)
        for r in await self._db(self._store.expire, dt.timedelta(hours=s.triage_expire_hours), now):
            await self._db(self._store.audit, "system", "expired", r.id)
            if r.chat_ref and r.queue == "help":
                await self._deliver(r.chat_ref, [Reply(text("handoff_expired", r.language).format(id=r.id))], r.sender)
            await self._tell_volunteer(r, "v_expired")
        purged = await self._db(self._store.purge, dt.timedelta(days=s.triage_retention_days),
                                dt.timedelta(days=s.triage_audit_retention_days), now)
        if purged:
            log.info("triage: %d old rows deleted", purged)

    async def run_forever(self) -> None:
        """The housekeeping loop of the Telegram process."""
        while True:
            try:
                await self.tick()
            except Exception as exc:  # the loop must outlive a database hiccup
                log.warning("triage tick failed: %s", type(exc).__name__)
            await asyncio.sleep(self._settings.triage_tick_seconds)

    # --- delivery ----------------------------------------------------------------------------------------------
    async def _deliver(self, chat_ref: str, replies: list[Reply], sender: str | None = None) -> bool:
        if self.messenger is None:
            return False
        try:
            return await self.messenger.send(chat_ref, replies, sender)
        except Exception as exc:
            log.warning("delivery failed: %s", type(exc).__name__)
            return False

    async def _to_volunteers(self, replies: list[Reply]) -> bool:
        """To the volunteer group if there is one, else to every active volunteer directly."""
        if self._settings.volunteer_chat_id is not None:
            return await self._deliver(str(self._settings.volunteer_chat_id), replies)
        people = await self._db(self._store.volunteers)
        results = [await self._deliver(str(p.telegram_id), replies) for p in people]
        return any(results)

    async def _tell_volunteer(self, r: RequestView, key: str) -> None:
        if r.volunteer_id is None:
            return
        v = await self._db(self._store.volunteer_by_id, r.volunteer_id)
        if v is not None:
            await self._deliver(str(v.telegram_id), [Reply(text(key).format(id=r.id))])

