"""Appending the survey's events: one row per need met or not, with no sender, no text and no day."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from sqlalchemy import func, select

from knowledge.db import now_utc, session_scope
from knowledge.hours import RIGA
from knowledge.records import FOOD_KINDS, SHELTER_KINDS
from survey.models import ServiceOutcome, SurveyEvent

log = logging.getLogger(__name__)

# What happened to a need. The first three come with Rasa's answers, the others from the front door.
OUTCOMES = ("answered", "no_data", "fallback", "handoff", "checkin", "refused")
REQUESTERS = ("person", "relative", "worker")
# What a check-in can hear, per topic (shelter: "did you get a bed?"); `refused` asks for the reason next.
CHECKIN_ANSWERS = {
    "shelter": ("yes", "full", "closed", "not_gone", "other"),
    "food": ("yes", "closed", "not_gone", "other"),
    "social_service": ("yes", "refused", "not_gone", "other"),
}
# The refusal reasons of the Ombudsman's survey (2021, §5.1), as a person can name them; `other` for the rest.
REFUSAL_REASONS = ("no_address", "no_income_docs", "deadline", "no_nva", "declared_elsewhere", "not_eligible",
                   "other")
# The places a check-in asks about, by the topic its answers count under (actions/survey.py offers, bot/checkins.py asks).
CHECKIN_TOPICS = {**{k: "shelter" for k in SHELTER_KINDS}, **{k: "food" for k in FOOD_KINDS},
                  "social_service": "social_service"}
LISTING_DOUBTS = ("closed", "full")  # check-in answers that say a listing may be wrong
DOUBTS_TO_REPORT = 2  # this many in DOUBT_WINDOW send the listing to /labojumi
DOUBT_WINDOW = dt.timedelta(days=7)


@dataclass(frozen=True)
class Event:
    """One need, as counted."""

    topic: str
    outcome: str
    municipality: str | None = None
    reason: str | None = None
    language: str = "lv"
    requester: str = "person"

    @classmethod
    def of(cls, raw: object, language: str) -> "Event | None":
        """From an action's custom message ({"survey": {...}}); anything malformed is not counted."""
        if not isinstance(raw, dict) or raw.get("outcome") not in OUTCOMES or not isinstance(raw.get("topic"), str):
            return None
        municipality = raw.get("municipality") if isinstance(raw.get("municipality"), str) else None
        requester = str(raw["requester"]) if raw.get("requester") in REQUESTERS else "person"
        return cls(raw["topic"][:40], raw["outcome"], municipality and municipality[:100], None, language, requester)


def month_of(now: dt.datetime | None = None) -> str:
    """The month an event counts in (Riga time)."""
    return (now or now_utc()).astimezone(RIGA).strftime("%Y-%m")


class EventLog:
    """The append-only table of events."""

    def __init__(self, url: str | None):
        self._url = url

    def record(self, event: Event, now: dt.datetime | None = None) -> None:
        """Append one event (the month is all that is kept of its time)."""
        with session_scope(self._url) as s:
            s.add(SurveyEvent(month=month_of(now), municipality=event.municipality, topic=event.topic,
                              outcome=event.outcome, reason=event.reason, language=event.language,
                              requester=event.requester))

    def doubt(self, service_id: str, outcome: str, now: dt.datetime | None = None) -> bool:
        """A check-in said the place was closed or full; True from the DOUBTS_TO_REPORT-th in a week on (the caller
        reports the listing; an open report is not filed twice)."""
        today = (now or now_utc()).astimezone(RIGA).date()
        with session_scope(self._url) as s:
            s.add(ServiceOutcome(service_id=service_id, day=today, outcome=outcome))
            s.flush()
            seen = s.scalar(select(func.count()).select_from(ServiceOutcome).where(
                ServiceOutcome.service_id == service_id, ServiceOutcome.outcome.in_(LISTING_DOUBTS),
                ServiceOutcome.day > today - DOUBT_WINDOW)) or 0
            s.query(ServiceOutcome).filter(ServiceOutcome.day <= today - DOUBT_WINDOW).delete()
        return seen >= DOUBTS_TO_REPORT  # report_listing keeps one open report per listing, however many say so
