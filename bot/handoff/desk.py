"""The volunteers' desk: their commands, in a private chat with the bot or in the volunteer group. Everyone else is
refused and the attempt audited (without who it was). In the group, anything about a person (a summary, their
words, notes) is sent to the volunteer directly; the group sees only that it was done."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Awaitable, Callable

from bot.commands import command_word
from bot.handoff.announcer import minutes, urgency
from bot.handoff.parts import Parts
from bot.rasa_client import Reply
from bot.texts import text
from personal.volunteers import VolunteerView

log = logging.getLogger(__name__)
Handler = Callable[["Desk", "Ask"], Awaitable[list[Reply]]]


@dataclass(frozen=True)
class Ask:
    """One volunteer command as received."""

    volunteer: VolunteerView | None
    actor: str  # for the audit log: volunteer:<id> | admin:<id>
    rest: str  # what follows the command word
    in_group: bool  # typed in the volunteer group (so details go to the volunteer directly)
    user_id: int

    @property
    def me(self) -> VolunteerView:
        """The volunteer who asked (a volunteer command is refused before its handler when there is none)."""
        if self.volunteer is None:
            raise PermissionError("a volunteer command without a volunteer")
        return self.volunteer


@dataclass(frozen=True)
class VolunteerCommand:
    """A volunteer command: Latvian name, English alias, what follows it, its handler, admins only."""

    name: str
    aliases: tuple[str, ...]
    args: str  # what follows it; what it does is `v_cmd_<name>` in bot/texts.yml
    handler: Handler
    admin: bool = False


def _request_arg(rest: str) -> tuple[int | None, str]:
    number, _, words = rest.partition(" ")
    number = number.lstrip("#").removeprefix("Nr.").strip()
    return (int(number) if number.isdigit() else None), words.strip()


class Desk(Parts):
    """The command handlers (mixed into bot.handoff.Handoff)."""

    async def volunteer_command(self, user_id: int, chat_ref: str, raw: str, in_group: bool = False) -> list[Reply] | None:
        """A volunteer or admin command; None when `raw` is none of them."""
        parsed = volunteer_command(raw)
        if parsed is None:
            return None
        command, rest = parsed
        is_admin = int(user_id) in self._settings.admin_ids
        volunteer = await self._db(self._store.volunteer, int(user_id))
        if (command.admin and not is_admin) or (not command.admin and volunteer is None):
            await self._db(self._store.audit, "refused", command.name)
            log.warning("volunteer command refused")
            return [Reply(text("v_refused"))]
        actor = f"admin:{user_id}" if command.admin or volunteer is None else f"volunteer:{volunteer.id}"
        return await command.handler(self, Ask(volunteer, actor, rest, in_group, int(user_id)))

    async def _private(self, ask: Ask, replies: list[Reply]) -> list[Reply]:
        """Details about a person: to the volunteer directly when asked in the group."""
        if not ask.in_group:
            return replies
        if await self.courier.deliver(str(ask.user_id), replies):
            return [Reply(text("v_sent_privately"))]
        return [Reply(text("v_start_private_chat"))]

    async def _help(self, ask: Ask) -> list[Reply]:
        admin = int(ask.user_id) in self._settings.admin_ids  # admins see theirs too
        lines = [f"{usage(c.name)} – {text('v_cmd_' + c.name)}" for c in VOLUNTEER_COMMANDS if admin or not c.admin]
        return [Reply(text("v_help") + "\n" + "\n".join(lines))]

    async def _queue(self, ask: Ask, queue: str = "help") -> list[Reply]:
        rows = await self._db(self._store.queue, queue)
        await self._db(self._store.audit, ask.actor, "viewed_queue", None, f"{queue}: {len(rows)}")
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
                id=r.id, urgency=urgency(r.urgency) if queue == "help" else "📝", place=r.municipality or "–",
                minutes=minutes(r.created_at, now), status=text(f"v_status_{r.status}"), who=who))
        lines.append(text("v_queue_foot"))
        return [Reply("\n".join(lines))]

    async def _moderation(self, ask: Ask) -> list[Reply]:
        return await self._queue(ask, queue="moderation")

    async def _claim(self, ask: Ask) -> list[Reply]:
        rid, _ = _request_arg(ask.rest)
        if rid is None:
            return [Reply(text("v_usage").format(usage=usage("nemt")))]
        r = await self._db(self._store.claim, rid, ask.me.id, self._clock())
        if r is None:
            return [Reply(text("v_claim_failed").format(id=rid))]
        await self._db(self._store.audit, ask.actor, "claimed", rid)
        if r.queue == "help" and r.chat_ref:
            await self.courier.deliver(r.chat_ref, [Reply(text("handoff_claimed", r.language).format(
                name=ask.me.name))], r.sender)
        return await self._private(ask, [Reply(text("v_claimed").format(id=rid, summary=self.volunteer_summary(r)))])

    async def _reply(self, ask: Ask) -> list[Reply]:
        rid, words = _request_arg(ask.rest)
        if rid is None or not words:
            return [Reply(text("v_usage").format(usage=usage("atb")))]
        current = await self._db(self._store.get, rid)
        if current is None or current.volunteer_id != ask.me.id or current.status not in ("claimed", "waiting"):
            return [Reply(text("v_not_yours").format(id=rid))]
        delivered = bool(current.chat_ref) and await self.courier.deliver(current.chat_ref, [Reply(
            text("from_volunteer", current.language).format(name=ask.me.name, words=words))], current.sender)
        if not delivered:
            return [Reply(text("v_delivery_failed").format(id=rid))]
        await self._db(self._store.replied, rid, ask.me.id)
        await self._db(self._store.audit, ask.actor, "replied", rid, f"{len(words)} chars")
        return [Reply(text("v_replied").format(id=rid))]

    async def _resolve(self, ask: Ask) -> list[Reply]:
        rid, _ = _request_arg(ask.rest)
        if rid is None:
            return [Reply(text("v_usage").format(usage=usage("gatavs")))]
        r = await self._db(self._store.close, rid, "resolved", ask.me.id, self._clock())
        if r is None:
            return [Reply(text("v_not_yours").format(id=rid))]
        await self._db(self._store.audit, ask.actor, "resolved", rid)
        if r.queue == "help" and r.chat_ref:
            await self.courier.deliver(r.chat_ref, [Reply(text("handoff_resolved", r.language))], r.sender)
        return [Reply(text("v_resolved").format(id=rid))]

    async def _hand_back(self, ask: Ask) -> list[Reply]:
        rid, _ = _request_arg(ask.rest)
        if rid is None:
            return [Reply(text("v_usage").format(usage=usage("atdot")))]
        r = await self._db(self._store.hand_back, rid, ask.me.id)
        if r is None:
            return [Reply(text("v_not_yours").format(id=rid))]
        await self._db(self._store.audit, ask.actor, "handed_back", rid)
        if r.queue == "help" and r.chat_ref:
            await self.courier.deliver(r.chat_ref, [Reply(text("handoff_handed_back", r.language))], r.sender)
        await self.announce_pending()
        return [Reply(text("v_handed_back").format(id=rid))]

    async def _note(self, ask: Ask) -> list[Reply]:
        rid, words = _request_arg(ask.rest)
        if rid is None or not words:
            return [Reply(text("v_usage").format(usage=usage("piezime")))]
        if not await self._db(self._store.add_note, rid, ask.me.name, words):
            return [Reply(text("v_no_such").format(id=rid))]
        await self._db(self._store.audit, ask.actor, "noted", rid, f"{len(words)} chars")
        return [Reply(text("v_noted").format(id=rid))]

    async def _show(self, ask: Ask) -> list[Reply]:
        rid, _ = _request_arg(ask.rest)
        r = await self._db(self._store.get, rid) if rid is not None else None
        if r is None or r.status == "draft":
            return [Reply(text("v_no_such").format(id=rid if rid is not None else "?"))]
        await self._db(self._store.audit, ask.actor, "viewed", rid)
        notes = [text("v_note_line").format(at=n["at"], by=n["by"], text=n["text"]) for n in r.notes]
        body = self.volunteer_summary(r) + "\n" + text("v_status_line").format(status=text(f"v_status_{r.status}"))
        return await self._private(ask, [Reply(body + ("\n" + "\n".join(notes) if notes else ""))])

    async def _verify(self, ask: Ask) -> list[Reply]:
        return await self.next_check(ask.user_id, ask.in_group)

    async def _new_value(self, ask: Ask) -> list[Reply]:
        return await self.new_value(ask.user_id, ask.rest)

    async def _add_volunteer(self, ask: Ask) -> list[Reply]:
        tid, _, name = ask.rest.partition(" ")
        if not tid.lstrip("-").isdigit() or not name.strip():
            return [Reply(text("v_usage").format(usage=usage("pievienot")))]
        added = await self._db(self._store.add_volunteer, int(tid), name.strip())
        await self._db(self._store.audit, ask.actor, "added_volunteer", None, f"volunteer:{added.id}")
        return [Reply(text("v_added").format(name=added.name))]

    async def _remove_volunteer(self, ask: Ask) -> list[Reply]:
        tid = ask.rest.split()[0] if ask.rest.split() else ""
        if not tid.lstrip("-").isdigit():
            return [Reply(text("v_usage").format(usage=usage("nonemt")))]
        returned = await self._db(self._store.remove_volunteer, int(tid))
        await self._db(self._store.audit, ask.actor, "removed_volunteer", None)
        for r in returned:
            if r.chat_ref:
                await self.courier.deliver(r.chat_ref, [Reply(text("handoff_handed_back", r.language))], r.sender)
        await self.announce_pending()
        return [Reply(text("v_removed").format(n=len(returned)))]

    async def _volunteers(self, ask: Ask) -> list[Reply]:
        people = await self._db(self._store.volunteers)
        lines = [f"{p.name} – {p.telegram_id}" for p in people]
        return await self._private(ask, [Reply(text("v_volunteers").format(n=len(people))
                                               + ("\n" + "\n".join(lines) if lines else ""))])

    async def _audit(self, ask: Ask) -> list[Reply]:
        rid, _ = _request_arg(ask.rest)
        rows = await self._db(self._store.audit_log, rid, 50)
        lines = [f"{a} {b}" + (f" Nr. {c}" if c else "") + (f" ({d})" if d else "") for a, b, c, d in rows[-50:]]
        return await self._private(ask, [Reply("\n".join(lines) or text("v_audit_empty"))])


VOLUNTEER_COMMANDS: tuple[VolunteerCommand, ...] = (
    VolunteerCommand("rinda", ("queue",), "", Desk._queue),
    VolunteerCommand("nemt", ("claim",), "NR", Desk._claim),
    VolunteerCommand("atb", ("reply",), "NR teksts", Desk._reply),
    VolunteerCommand("gatavs", ("resolve",), "NR", Desk._resolve),
    VolunteerCommand("atdot", ("handback",), "NR", Desk._hand_back),
    VolunteerCommand("piezime", ("note",), "NR teksts", Desk._note),
    VolunteerCommand("skatit", ("show",), "NR", Desk._show),
    VolunteerCommand("labojumi", ("moderation",), "", Desk._moderation),
    VolunteerCommand("parbaudit", ("verify",), "", Desk._verify),
    VolunteerCommand("jauns", ("newvalue",), "vērtība", Desk._new_value),
    VolunteerCommand("maina", ("shift",), "", Desk._help),
    VolunteerCommand("pievienot", ("addvolunteer",), "TELEGRAM_ID vārds", Desk._add_volunteer, admin=True),
    VolunteerCommand("nonemt", ("removevolunteer",), "TELEGRAM_ID", Desk._remove_volunteer, admin=True),
    VolunteerCommand("brivpratigie", ("volunteers",), "", Desk._volunteers, admin=True),
    VolunteerCommand("audits", ("audit",), "NR", Desk._audit, admin=True),
)
VOLUNTEER_BY_NAME = {n: c for c in VOLUNTEER_COMMANDS for n in (c.name, *c.aliases)}


def usage(name: str) -> str:
    """'/nemt NR': a volunteer command as it is typed."""
    command = VOLUNTEER_BY_NAME[name]
    return f"/{command.name} {command.args}".rstrip()


def volunteer_command(raw: str) -> tuple[VolunteerCommand, str] | None:
    """'/nemt@celvedis_bot 12' -> (claim, '12'); anything else -> None."""
    command = VOLUNTEER_BY_NAME.get(command_word(raw))
    return (command, raw.strip().partition(" ")[2].strip()) if command else None
