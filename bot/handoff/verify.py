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
from knowledge.verifications import FIELDS, Check, Verifications

log = logging.getLogger(__name__)
_ANSWERS = {"ok": "confirmed", "cl": "closed", "na": "no_answer"}


class Verify(Parts):
    """The calls' side of the volunteers' desk (mixed into bot.handoff.Handoff)."""

    _checks: Verifications | None

    async def _caller(self, user_id: int) -> tuple[int | None, str] | None:
        """(volunteer number, audit actor) of a volunteer or an admin; None for anyone else (audited)."""
        volunteer = await self._db(self._store.volunteer, int(user_id))
        if volunteer is not None:
            return volunteer.id, f"volunteer:{volunteer.id}"
        if int(user_id) in self._settings.admin_ids:
            return None, f"admin:{user_id}"
        await self._db(self._store.audit, "refused", "verify")
        return None

    async def next_check(self, user_id: int) -> list[Reply]:
        """The next listing to call, asked of this volunteer."""
        caller = await self._caller(user_id)
        if caller is None or self._checks is None:
            return [Reply(text("v_refused"))]
        reports = await self._db(self._store.queue, "moderation")
        named = [n for r in reports if not r.sender.startswith("listing:") for n in r.shown]
        reported = [r.sender.removeprefix("listing:") for r in reports if r.sender.startswith("listing:")]
        reported += await self._db(self._checks.ids_named, named) if named else []
        check = await self._db(self._checks.ask, caller[0], reported, self._clock())
        if check is None:
            return [Reply(text("v_check_none"))]
        listing = await self._db(self._checks.listing, check.service_id)
        if listing is None:  # gone from the data files since: nothing to call
            await self._db(self._checks.answer, check.id, caller[0], "no_answer", self._clock())
            return [Reply(text("v_check_none"))]
        await self._db(self._store.audit, caller[1], "verify_asked", None, check.service_id)
        lines = [text("v_check_head").format(id=check.id)]
        if check.service_id in reported:
            lines.append(text("v_check_reported"))
        lines += [service_card(listing, with_conditions=False), text("v_check_call").format(phone=listing.phones[0].number)]
        return [Reply("\n".join(lines), (
            Button(text("v_check_ok"), f"{PREFIX}ok:{check.id}"),
            Button(text("v_check_changed"), f"{PREFIX}ch:{check.id}"),
            Button(text("v_check_closed"), f"{PREFIX}cl:{check.id}"),
            Button(text("v_check_no_answer"), f"{PREFIX}na:{check.id}"),
        ))]

    async def check_button(self, user_id: int, payload: str) -> list[Reply]:
        """A press on a check's button ('#vf:ok:12', '#vf:address:12', '#vf:next:0')."""
        verb, _, number = payload.removeprefix(PREFIX).partition(":")
        if verb == "next":
            return await self.next_check(user_id)
        caller = await self._caller(user_id)
        if caller is None or self._checks is None or not number.isdigit():
            return [Reply(text("v_refused"))]
        check_id = int(number)
        if verb == "ch":
            return [Reply(text("v_check_which").format(id=check_id), tuple(
                Button(text(f"v_check_field_{f}"), f"{PREFIX}{f}:{check_id}") for f in FIELDS))]
        if verb in FIELDS:
            chosen = await self._db(self._checks.choose_field, check_id, caller[0], verb)
            if chosen is None:
                return [Reply(text("v_check_gone").format(id=check_id))]
            return [Reply(text("v_check_type").format(example=text(f"v_check_example_{verb}")))]
        if verb not in _ANSWERS:
            return [Reply(text("button_expired"))]
        done = await self._db(self._checks.answer, check_id, caller[0], _ANSWERS[verb], self._clock())
        if done is None:
            return [Reply(text("v_check_gone").format(id=check_id))]
        return await self._answered(done, caller[1])

    async def new_value(self, user_id: int, words: str) -> list[Reply]:
        """/jauns VALUE: the new value of the field this volunteer said had changed."""
        caller = await self._caller(user_id)
        if caller is None or self._checks is None:
            return [Reply(text("v_refused"))]
        waiting = await self._db(self._checks.awaiting_value, caller[0], self._clock())
        if waiting is None:
            return [Reply(text("v_check_no_value"))]
        if not words.strip():
            return [Reply(text("v_check_type").format(example=text(f"v_check_example_{waiting.field}")))]
        done = await self._db(self._checks.change, waiting.id, caller[0], words, self._clock())
        if done is None:
            return [Reply(text("v_check_bad_phone" if waiting.field == "phones" else "v_check_gone").format(
                id=waiting.id))]
        return await self._answered(done, caller[1])

    async def _answered(self, check: Check, actor: str) -> list[Reply]:
        """Audited, the listing's open reports closed, the volunteer thanked, the next one offered."""
        await self._db(self._store.audit, actor, "verified", None, f"{check.service_id}: {check.outcome}")
        if check.outcome != "no_answer" and self._checks is not None:
            listing = await self._db(self._checks.listing_any, check.service_id)
            for r in await self._db(self._store.queue, "moderation"):
                if r.sender == f"listing:{check.service_id}" or (listing is not None and listing in r.shown):
                    await self._db(self._store.close, r.id, "resolved", None, self._clock())
        day = source_date(check.day)
        key = {"confirmed": "v_check_confirmed", "closed": "v_check_closed_saved",
               "no_answer": "v_check_no_answer_saved"}.get(check.outcome or "", "v_check_saved")
        said = text(key).format(id=check.id, date=day, value=check.value,
                                field=text(f"v_check_field_{check.field}").lower() if check.field else "")
        return [Reply(said, (Button(text("v_check_next"), f"{PREFIX}next:0"),))]
