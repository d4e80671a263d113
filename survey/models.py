"""The survey's tables: anonymous counts (survey_event) and what check-ins said about a listing (service_outcome)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from knowledge.models import Base


class SurveyEvent(Base):
    """One need met or not, in one month: no sender, no text, no day."""

    __tablename__ = "survey_event"
    __table_args__ = (Index("ix_survey_event_month_municipality", "month", "municipality"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    month: Mapped[str] = mapped_column(String(7))  # YYYY-MM, Riga time
    municipality: Mapped[str | None] = mapped_column(String(100))  # None: the person did not say where
    topic: Mapped[str] = mapped_column(String(40))  # shelter | food | social_service | an intent name
    outcome: Mapped[str] = mapped_column(String(20))  # survey.events.OUTCOMES
    reason: Mapped[str | None] = mapped_column(String(30))  # a refusal reason or a check-in answer
    language: Mapped[str] = mapped_column(String(5))
    requester: Mapped[str] = mapped_column(String(10))  # person | relative | worker


class ServiceOutcome(Base):
    """A check-in said a listed place was closed or full: two in a week send the listing to /labojumi."""

    __tablename__ = "service_outcome"
    __table_args__ = (Index("ix_service_outcome_service_day", "service_id", "day"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    service_id: Mapped[str] = mapped_column(String(80))
    day: Mapped[dt.date] = mapped_column(Date)
    outcome: Mapped[str] = mapped_column(String(10))  # closed | full
