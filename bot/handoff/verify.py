"""Volunteers check the listings by phone from Telegram: /parbaudit gives the next listing to call (people's reports
first, knowledge/verifications.py orders the rest), with exactly what to confirm and the number; the buttons answer
(all right / something changed / closed / no answer); a change asks which field, and /jauns brings the new value.
Each answer is an event the queries apply at once; a report about that listing in /labojumi is closed with it."""

from __future__ import annotations

import logging

from bot.handoff.parts import CHECK_PREFIX as PREFIX, Parts
from bot.rasa_client import Button, Reply
from bot.texts import text
from cards.render import service_card, source_date
from knowledge.verifications import APPLIED, FIELDS, Check, Verifications
from personal.volunteers import VolunteerView

log = logging.getLogger(__name__)
VERBS = {"ok": "confirmed", "ch": "changed", "cl": "closed", "na": "no_answer"}  # a button's verb -> the answer
OUTCOME_BUTTONS = {"confirmed": "v_check_ok", "changed": "v_check_changed", "closed": "v_check_closed",
                   "no_answer": "v_check_no_answer"}  # the answer's words, as on its button


class Verify(Parts):
    """The calls' side of the volunteers' desk (mixed into bot.handoff.Handoff)."""

    _checks: Verifications | None

    async def _caller(self, user_id: int) -> VolunteerView | None:
        """The volunteer pressing or typing; anyone else is refused (audited, without who it was)."""
        volunteer = await self._db(self._store.volunteer, int(user_id))
        if volunteer is None:
            await self._db(self._store.audit, "refused", "verify")
        return volunteer

    async def next_check(self, user_id: int, in_group: bool = False) -> list[Reply]:
        """The next listing to call, asked of this volunteer (in a private chat: its buttons are theirs)."""
        if in_group:
            return [Reply(text("v_check_private"))]
        me = await self._caller(user_id)
        if me is None or self._checks is None:
            return [Reply(text("v_refused"))]
        reports = await self._db(self._store.queue, "moderation")
        named = [n for r in reports if not r.sender.startswith("listing:") for n in r.shown]
        reported = [r.sender.removeprefix("listing:") for r in reports if r.sender.startswith("listing:")]
        reported += await self._db(self._checks.ids_named, named) if named else []
        check = await self._db(self._checks.ask, me.id, reported, self._clock())
        if check is None:
            return [Reply(text("v_check_none"))]
        listing = await self._db(self._checks.listing, check.service_id)
        if listing is None:  # gone from the data files since: nothing to call
            await self._db(self._checks.answer, check.id, me.id, "no_answer", self._clock())
            return [Reply(text("v_check_none"))]
        await self._db(self._store.audit, f"volunteer:{me.id}", "verify_asked", None, check.service_id)
        lines = [text("v_check_head").format(id=check.id)]
        if check.service_id in reported:
            lines.append(text("v_check_reported"))
        lines += [service_card(listing, with_conditions=False), text("v_check_call").format(phone=listing.phones[0].number)]
        return [Reply("\n".join(lines), tuple(
            Button(text(OUTCOME_BUTTONS[outcome]), f"{PREFIX}{verb}:{check.id}") for verb, outcome in VERBS.items()))]

    async def check_button(self, user_id: int, payload: str) -> list[Reply]:
        """A press on a check's button ('#vf:ok:12', '#vf:address:12', '#vf:next:0')."""
        verb, _, number = payload.removeprefix(PREFIX).partition(":")
        if verb == "next":
            return await self.next_check(user_id)
        me = await self._caller(user_id)
        if me is None or self._checks is None or not number.isdigit():
            return [Reply(text("v_refused"))]
        check_id = int(number)
        if VERBS.get(verb) == "changed":
            return [Reply(text("v_check_which").format(id=check_id), tuple(
                Button(text(f"v_check_field_{f}"), f"{PREFIX}{f}:{check_id}") for f in FIELDS))]
        if verb in FIELDS:
            chosen = await self._db(self._checks.choose_field, check_id, me.id, verb)
            if chosen is None:
                return [Reply(text("v_check_gone").format(id=check_id))]
            return [Reply(text("v_check_type").format(example=text(f"v_check_example_{verb}")))]
        if verb not in VERBS:
            return [Reply(text("button_expired"))]
        done = await self._db(self._checks.answer, check_id, me.id, VERBS[verb], self._clock())
        if done is None:
            return [Reply(text("v_check_gone").format(id=check_id))]
        return await self._answered(done, me)

    async def new_value(self, user_id: int, words: str) -> list[Reply]:
        """/jauns VALUE: the new value of the field this volunteer said had changed."""
        me = await self._caller(user_id)
        if me is None or self._checks is None:
            return [Reply(text("v_refused"))]
        waiting = await self._db(self._checks.awaiting_value, me.id, self._clock())
        if waiting is None:
            return [Reply(text("v_check_no_value"))]
        example = text(f"v_check_example_{waiting.field}")
        if not words.strip():
            return [Reply(text("v_check_type").format(example=example))]
        done = await self._db(self._checks.change, waiting.id, me.id, words, self._clock())
        if done is None:
            return [Reply(text("v_check_bad_phone").format(example=example) if waiting.field == "phones"
                          else text("v_check_gone").format(id=waiting.id))]
        return await self._answered(done, me)

    async def _answered(self, check: Check, me: VolunteerView) -> list[Reply]:
        """Audited; a report about exactly this listing is closed, one that names it among others gets a note; the
        volunteer is thanked and offered the next one."""
        actor = f"volunteer:{me.id}"
        await self._db(self._store.audit, actor, "verified", None, f"{check.service_id}: {check.outcome}")
        if check.outcome in APPLIED and self._checks is not None:
            name = await self._db(self._checks.listing_any, check.service_id)
            alone = name is not None and await self._db(self._checks.ids_named, [name]) == [check.service_id]
            for r in await self._db(self._store.queue, "moderation"):
                if r.sender == f"listing:{check.service_id}" or (alone and r.shown == (name,)):
                    if await self._db(self._store.close, r.id, "resolved", me.id, self._clock()):
                        await self._db(self._store.audit, actor, "resolved", r.id, f"call Nr. {check.id}")
                elif name is not None and name in r.shown:
                    await self._db(self._store.add_note, r.id, me.name, text("v_check_note").format(
                        id=check.id, name=name, outcome=text(OUTCOME_BUTTONS[check.outcome or ""])))
        day = source_date(check.day)
        key = {"confirmed": "v_check_confirmed", "closed": "v_check_closed_saved",
               "no_answer": "v_check_no_answer_saved"}.get(check.outcome or "", "v_check_saved")
        said = text(key).format(id=check.id, date=day, value=check.value,
                                field=text(f"v_check_field_{check.field}").lower() if check.field else "")
        return [Reply(said, (Button(text("v_check_next"), f"{PREFIX}next:0"),))]
