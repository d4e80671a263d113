"""SQLAlchemy models. The schema itself is created by the alembic migrations in `knowledge/migrations`."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import JSON, BigInteger, Boolean, Date, DateTime, ForeignKey, Index, Integer, Numeric, String, Text
from sqlalchemy import text as text_
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class Base(DeclarativeBase):
    """Declarative base for every knowledge-base table."""


class Provenance:
    """Where a fact comes from, how old the source is and how sure we are."""

    source_url: Mapped[str] = mapped_column(Text)
    source_notes: Mapped[str | None] = mapped_column(Text)
    source_date: Mapped[str | None] = mapped_column(String(10))  # ISO: YYYY, YYYY-MM or YYYY-MM-DD
    verified_on: Mapped[dt.date] = mapped_column(Date)
    confidence: Mapped[str] = mapped_column(String(20))  # verified | partially_verified | unverified


class Municipality(Provenance, Base):
    """A state city or a novads; a merged one points at the one that took it over."""

    __tablename__ = "municipality"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    kind: Mapped[str] = mapped_column(String(20))  # state_city | novads
    iso_code: Mapped[str | None] = mapped_column(String(10))
    website: Mapped[str | None] = mapped_column(Text)
    merged_into: Mapped[str | None] = mapped_column(ForeignKey("municipality.name"))
    aliases: Mapped[list] = mapped_column(JSON, default=list)  # Russian and transliterated names
    places: Mapped[list[Place]] = relationship(back_populates="municipality", cascade="all, delete-orphan")


class Place(Base):
    """A town or parish people name, mapped to its municipality."""

    __tablename__ = "place"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    municipality_id: Mapped[str] = mapped_column(ForeignKey("municipality.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(20))  # town | parish
    decl: Mapped[str | None] = mapped_column(String(20))
    ambiguous: Mapped[bool] = mapped_column(Boolean, default=False)
    aliases: Mapped[list] = mapped_column(JSON, default=list)
    municipality: Mapped[Municipality] = relationship(back_populates="places")


class Service(Provenance, Base):
    """A place or line that helps: shelter, social service, soup kitchen, hotline, ..."""

    __tablename__ = "service"
    __table_args__ = (
        Index("ix_service_municipality_kind", "municipality_id", "kind"),
        Index("ix_service_kind_latitude", "kind", "latitude"),
    )

    id: Mapped[str] = mapped_column(String(100), primary_key=True)
    kind: Mapped[str] = mapped_column(String(30), index=True)
    name: Mapped[str] = mapped_column(Text)
    municipality_id: Mapped[str | None] = mapped_column(ForeignKey("municipality.id"), index=True)
    address: Mapped[str | None] = mapped_column(Text)
    email: Mapped[str | None] = mapped_column(Text)
    website: Mapped[str | None] = mapped_column(Text)
    hours_text: Mapped[str | None] = mapped_column(Text)
    hours_rules: Mapped[list] = mapped_column(JSON, default=list)
    all_day_below_c: Mapped[int | None] = mapped_column(Integer)
    conditions_text: Mapped[list] = mapped_column(JSON, default=list)
    gender: Mapped[str | None] = mapped_column(String(10))
    id_required: Mapped[bool | None] = mapped_column(Boolean)
    residence_required: Mapped[bool | None] = mapped_column(Boolean)
    sobriety_required: Mapped[bool | None] = mapped_column(Boolean)
    fee_per_night_eur: Mapped[Decimal | None] = mapped_column(Numeric(8, 2))
    max_stay_days: Mapped[int | None] = mapped_column(Integer)
    referral_required: Mapped[bool | None] = mapped_column(Boolean)
    bring: Mapped[list] = mapped_column(JSON, default=list)
    languages: Mapped[list] = mapped_column(JSON, default=list)
    latitude: Mapped[float | None] = mapped_column(Numeric(9, 6))
    longitude: Mapped[float | None] = mapped_column(Numeric(9, 6))
    ru: Mapped[dict | None] = mapped_column(JSON)  # Russian texts (knowledge/data/ru.yaml)
    phones: Mapped[list[Phone]] = relationship(
        back_populates="service", cascade="all, delete-orphan", order_by="Phone.position"
    )


class Phone(Base):
    """A phone number of a service, with who answers it."""

    __tablename__ = "phone"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    service_id: Mapped[str] = mapped_column(ForeignKey("service.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    number: Mapped[str] = mapped_column(String(20))
    label: Mapped[str | None] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text)
    service: Mapped[Service] = relationship(back_populates="phones")


class Procedure(Provenance, Base):
    """A step a person takes (get an ID, declare residence, register with the NVA, ...) and how steps depend."""

    __tablename__ = "procedure"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    summary: Mapped[list] = mapped_column(JSON, default=list)
    where_kind: Mapped[str | None] = mapped_column(String(20))
    where_institution: Mapped[str | None] = mapped_column(String(20))
    where_text: Mapped[str | None] = mapped_column(Text)
    bring: Mapped[list] = mapped_column(JSON, default=list)
    requires: Mapped[list] = mapped_column(JSON, default=list)
    unlocks: Mapped[list] = mapped_column(JSON, default=list)
    cost_eur: Mapped[Decimal | None] = mapped_column(Numeric(8, 2))
    cost_text: Mapped[str | None] = mapped_column(Text)
    deadline_days_after_release: Mapped[int | None] = mapped_column(Integer)
    deadline_text: Mapped[str | None] = mapped_column(Text)
    working_age_only: Mapped[bool] = mapped_column(Boolean, default=False)
    gaps: Mapped[str | None] = mapped_column(Text)
    ru: Mapped[dict | None] = mapped_column(JSON)


class Document(Provenance, Base):
    """Something a person holds (ID, release certificate, declared residence, ...) and what it unlocks."""

    __tablename__ = "document"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    obtained_by: Mapped[str | None] = mapped_column(String(64))
    unlocks: Mapped[list] = mapped_column(JSON, default=list)
    ru: Mapped[dict | None] = mapped_column(JSON)


class Benefit(Provenance, Base):
    """Money or a status from the state or a municipality, with its conditions and deadline."""

    __tablename__ = "benefit"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    kind: Mapped[str] = mapped_column(String(30), index=True)
    name: Mapped[str] = mapped_column(Text)
    municipality_id: Mapped[str | None] = mapped_column(ForeignKey("municipality.id"), index=True)
    amount_eur: Mapped[Decimal | None] = mapped_column(Numeric(10, 2))
    amount_text: Mapped[str | None] = mapped_column(Text)
    conditions: Mapped[list] = mapped_column(JSON, default=list)
    apply_where: Mapped[str | None] = mapped_column(String(20))
    bring: Mapped[list] = mapped_column(JSON, default=list)
    deadline_days_after_release: Mapped[int | None] = mapped_column(Integer)
    deadline_text: Mapped[str | None] = mapped_column(Text)
    ru: Mapped[dict | None] = mapped_column(JSON)


class Threshold(Provenance, Base):
    """An income threshold (GMI, needy, low-income) for a year, national or for one municipality."""

    __tablename__ = "threshold"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    year: Mapped[int] = mapped_column(Integer)
    municipality_id: Mapped[str | None] = mapped_column(ForeignKey("municipality.id"))
    first_person_eur: Mapped[Decimal] = mapped_column(Numeric(10, 2))
    other_person_eur: Mapped[Decimal | None] = mapped_column(Numeric(10, 2))


class HeldMessage(Base):
    """A message the assistant could not answer (Rasa down): kept, briefly, so a volunteer can see it."""

    __tablename__ = "held_message"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sender: Mapped[str] = mapped_column(String(64), index=True)  # pseudonymous id, never the Telegram id
    text: Mapped[str] = mapped_column(Text)
    language: Mapped[str] = mapped_column(String(5))
    reason: Mapped[str] = mapped_column(String(40))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), index=True)


class ChecklistState(Base):
    """A person's plan: what they told us and what they ticked off, under their pseudonymous id only."""

    __tablename__ = "checklist_state"

    sender: Mapped[str] = mapped_column(String(64), primary_key=True)
    situation: Mapped[dict] = mapped_column(JSON)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


OPEN_STATUSES = ("new", "claimed", "waiting")


class HelpRequest(Base):
    """A person's question handed to volunteers (queue 'help'), or a reported wrong listing (queue 'moderation').

    Created as a draft; shared with volunteers only after the person has seen the summary and consented. The chat
    reference is what delivers a volunteer's reply; it is cleared when the request closes.
    """

    __tablename__ = "help_request"
    __table_args__ = (
        # One open request per person and queue: a repeated consent press or a redelivered update cannot duplicate.
        Index("ux_help_request_open", "sender", "queue", unique=True,
              sqlite_where=text_("status IN ('new', 'claimed', 'waiting')"),
              postgresql_where=text_("status IN ('new', 'claimed', 'waiting')")),
        Index("ix_help_request_status_urgency", "status", "urgency", "created_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sender: Mapped[str] = mapped_column(String(64), index=True)  # pseudonymous id
    channel: Mapped[str] = mapped_column(String(16))
    chat_ref: Mapped[str | None] = mapped_column(String(32))  # where replies go; never shown to volunteers
    queue: Mapped[str] = mapped_column(String(12))  # help | moderation
    category: Mapped[str] = mapped_column(String(20))  # human | fallback | crisis | no_data | rasa_down | report_error
    urgency: Mapped[int] = mapped_column(Integer)  # 0 crisis, 1 nowhere to sleep tonight, 2 other
    municipality: Mapped[str | None] = mapped_column(String(100))
    language: Mapped[str] = mapped_column(String(5))
    topics: Mapped[list] = mapped_column(JSON, default=list)  # intent names of the conversation, newest last
    shown: Mapped[list] = mapped_column(JSON, default=list)  # names of the listings last shown (error reports)
    person_text: Mapped[str | None] = mapped_column(Text)  # only if the person chose to add their own words
    awaiting_text: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(12))  # draft|new|claimed|waiting|resolved|expired|cancelled
    volunteer_id: Mapped[int | None] = mapped_column(ForeignKey("volunteer.id", ondelete="SET NULL"))
    notes: Mapped[list] = mapped_column(JSON, default=list)  # volunteers' notes: [{at, by, text}]
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    consented_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    claimed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    closed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    # The announcing outbox: not started, started (sending), or confirmed (announced_at, also the reminder clock).
    announce_started_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    announced_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


class Volunteer(Base):
    """An authorised volunteer. Volunteers are staff who agreed to it, so their Telegram id is kept to reach them."""

    __tablename__ = "volunteer"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    telegram_id: Mapped[int] = mapped_column(BigInteger, unique=True)
    name: Mapped[str] = mapped_column(String(40))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    added_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class TriageAudit(Base):
    """Who saw and did what in the volunteer queue. Never message text; the request may already be deleted."""

    __tablename__ = "triage_audit"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), index=True)
    actor: Mapped[str] = mapped_column(String(80))  # volunteer:<id> | admin:<id> | person | system | refused:<hash>
    action: Mapped[str] = mapped_column(String(30))
    request_id: Mapped[int | None] = mapped_column(Integer, index=True)
    detail: Mapped[str | None] = mapped_column(String(200))
