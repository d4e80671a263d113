"""What the front door tells a person about their own data (/mani_dati, /start): in plain words, with the day counts
of the settings that the retention job enforces."""

from __future__ import annotations

from bot.texts import text
from lvnorm.requester import address
from lvnorm.residence import NOWHERE, UNKNOWN
from personal.checkins import KEEP_AFTER_DUE as KEEP_CHECKIN
from personal.registry import Retention
from personal.shared_plan import TTL as SHARED_TTL
from personal.store import PersonalSummary


def days(retention: Retention) -> dict[str, int]:
    """The retention the privacy texts promise."""
    r = retention
    return {"conversation_days": r.conversation.days, "held_days": r.held.days, "checklist_days": r.checklist.days,
            "handoff_days": r.handoff.days}


def my_data(held: PersonalSummary, retention: Retention, lang: str) -> str:
    """/mani_dati: counts and the few remembered facts, never message texts."""
    shown = dict(held.remembered)
    if "requester" in shown:  # a relation in words ("Jūsu dēlam"); nothing for the person themselves
        named = address(shown.pop("requester"), lang)
        if named:
            shown["requester"] = named
    if held.remembered.get("declared_municipality") in (NOWHERE, UNKNOWN):  # "none" / "unknown" in words
        shown["declared_municipality"] = text(
            "no" if held.remembered["declared_municipality"] == NOWHERE else "unknown", lang)
    remembered = ", ".join(f"{text('slot_' + k, lang)}: {v}" for k, v in sorted(shown.items()))
    return text("my_data", lang).format(
        messages=held.messages, remembered=remembered or text("nothing", lang), held=held.held_messages,
        checklist=text("yes" if held.checklist else "no", lang), requests=held.requests,
        reminder=text("yes" if held.reminder else "no", lang), shared=held.shared_plans,
        checkin=text("yes" if held.checkin else "no", lang), checkin_days=KEEP_CHECKIN.days, shared_days=SHARED_TTL.days,
        **days(retention),
    )
