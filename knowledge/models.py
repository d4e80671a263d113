"""SQLAlchemy models of the reference data (municipalities, services, procedures, benefits). The schema itself is
created by the alembic migrations in `knowledge/migrations`; the tables about a person are in personal/models.py."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import JSON, Boolean, Date, DateTime, ForeignKey, Index, Integer, Numeric, String, Text
from sqlalchemy import text as text_
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from knowledge.records import JsonObject


class Base(DeclarativeBase):
    """Declarative base for every knowledge-base table."""


class Provenance:
    """Where a fact comes from, how old the source is and how sure we are."""

    source_url: Mapped[str] = mapped_column(Text)
    source_notes: Mapped[str | None] = mapped_column(Text)
    source_date: Mapped[str | None] = mapped_column(String(10))  # ISO: YYYY, YYYY-MM or YYYY-MM-DD
    verified_on: Mapped[dt.date] = mapped_column(Date)
    confidence: Mapped[str] = mapped_column(String(20))  # verified | partially_verified | unverified
    verified_how: Mapped[str | None] = mapped_column(String(10))  # phone | page: how verified_on was checked
    # A fact's own source where it differs from the record's: {"phones": {"source_url": ..., "source_date": ...}}
    # or, checked by a volunteer's call, {"address": {"by_phone": "2026-12-06"}}.
    fact_sources: Mapped[JsonObject | None] = mapped_column(JSON(none_as_null=True))


class Municipality(Provenance, Base):
    """A state city or a novads; a merged one points at the one that took it over."""

    __tablename__ = "municipality"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    kind: Mapped[str] = mapped_column(String(20))  # state_city | novads
    iso_code: Mapped[str | None] = mapped_column(String(10))
    website: Mapped[str | None] = mapped_column(Text)
    merged_into: Mapped[str | None] = mapped_column(ForeignKey("municipality.name"))
    aliases: Mapped[list[str]] = mapped_column(JSON, default=list)  # Russian and transliterated names
    centre: Mapped[str | None] = mapped_column(String(100))  # the town distances are measured from (knowledge.geo)
    latitude: Mapped[float | None] = mapped_column(Numeric(9, 6))
    longitude: Mapped[float | None] = mapped_column(Numeric(9, 6))
    council: Mapped[JsonObject | None] = mapped_column(JSON(none_as_null=True))  # its office: knowledge.records.Council
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
    aliases: Mapped[list[str]] = mapped_column(JSON, default=list)
    municipality: Mapped[Municipality] = relationship(back_populates="places")


class Service(Provenance, Base):
    """A place or line that helps: shelter, social service, soup kitchen, hotline, ..."""

    __tablename__ = "service"
    __table_args__ = (
        Index("ix_service_municipality_kind", "municipality_id", "kind"),
        # Covering the nearest query's box: kind, the point and the id, without reading the table.
        Index("ix_service_kind_point", "kind", "latitude", "longitude", "id"),
    )

    id: Mapped[str] = mapped_column(String(100), primary_key=True)
    kind: Mapped[str] = mapped_column(String(30), index=True)
    name: Mapped[str] = mapped_column(Text)
    municipality_id: Mapped[str | None] = mapped_column(ForeignKey("municipality.id"), index=True)
    address: Mapped[str | None] = mapped_column(Text)
    email: Mapped[str | None] = mapped_column(Text)
    website: Mapped[str | None] = mapped_column(Text)
    hours_text: Mapped[str | None] = mapped_column(Text)
    hours_rules: Mapped[list[JsonObject]] = mapped_column(JSON, default=list)
    all_day_below_c: Mapped[int | None] = mapped_column(Integer)
    conditions_text: Mapped[list[str]] = mapped_column(JSON, default=list)
    gender: Mapped[str | None] = mapped_column(String(10))
    id_required: Mapped[bool | None] = mapped_column(Boolean)
    residence_required: Mapped[bool | None] = mapped_column(Boolean)
    sobriety_required: Mapped[bool | None] = mapped_column(Boolean)
    fee_per_night_eur: Mapped[Decimal | None] = mapped_column(Numeric(8, 2))
    max_stay_days: Mapped[int | None] = mapped_column(Integer)
    referral_required: Mapped[bool | None] = mapped_column(Boolean)
    bring: Mapped[list[str]] = mapped_column(JSON, default=list)
    languages: Mapped[list[str]] = mapped_column(JSON, default=list)
    latitude: Mapped[float | None] = mapped_column(Numeric(9, 6))
    longitude: Mapped[float | None] = mapped_column(Numeric(9, 6))
    location_precision: Mapped[str | None] = mapped_column(String(12))  # exact | town | centre (knowledge.geo)
    ru: Mapped[JsonObject | None] = mapped_column(JSON)  # Russian texts (knowledge/data/ru.yaml)
    has_phone: Mapped[bool] = mapped_column(Boolean, default=False)  # ranking reads it without the phone table
    # Its phones as [number, label, note] in order, written with them: a card is read without the phone table (one
    # query less a question: 0.65 ms of about 4.5 on 100,000 services, 2026-12-07).
    phone_list: Mapped[list[list[str | None]] | None] = mapped_column(JSON)
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
    summary: Mapped[list[str]] = mapped_column(JSON, default=list)
    where_kind: Mapped[str | None] = mapped_column(String(20))
    where_institution: Mapped[str | None] = mapped_column(String(20))
    where_text: Mapped[str | None] = mapped_column(Text)
    bring: Mapped[list[str]] = mapped_column(JSON, default=list)
    requires: Mapped[list[str]] = mapped_column(JSON, default=list)
    unlocks: Mapped[list[str]] = mapped_column(JSON, default=list)
    cost_eur: Mapped[Decimal | None] = mapped_column(Numeric(8, 2))
    cost_text: Mapped[str | None] = mapped_column(Text)
    deadline_days_after_release: Mapped[int | None] = mapped_column(Integer)
    deadline_text: Mapped[str | None] = mapped_column(Text)
    working_age_only: Mapped[bool] = mapped_column(Boolean, default=False)
    gaps: Mapped[str | None] = mapped_column(Text)
    ru: Mapped[JsonObject | None] = mapped_column(JSON)


class Document(Provenance, Base):
    """Something a person holds (ID, release certificate, declared residence, ...) and what it unlocks."""

    __tablename__ = "document"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    obtained_by: Mapped[str | None] = mapped_column(String(64))
    unlocks: Mapped[list[str]] = mapped_column(JSON, default=list)
    ru: Mapped[JsonObject | None] = mapped_column(JSON)


class Benefit(Provenance, Base):
    """Money or a status from the state or a municipality, with its conditions and deadline."""

    __tablename__ = "benefit"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    kind: Mapped[str] = mapped_column(String(30), index=True)
    name: Mapped[str] = mapped_column(Text)
    municipality_id: Mapped[str | None] = mapped_column(ForeignKey("municipality.id"), index=True)
    amount_eur: Mapped[Decimal | None] = mapped_column(Numeric(10, 2))
    amount_text: Mapped[str | None] = mapped_column(Text)
    conditions: Mapped[list[str]] = mapped_column(JSON, default=list)
    apply_where: Mapped[str | None] = mapped_column(String(20))
    bring: Mapped[list[str]] = mapped_column(JSON, default=list)
    deadline_days_after_release: Mapped[int | None] = mapped_column(Integer)
    deadline_text: Mapped[str | None] = mapped_column(Text)
    ru: Mapped[JsonObject | None] = mapped_column(JSON)


class Threshold(Provenance, Base):
    """An income threshold (GMI, needy, low-income) for a year, national or for one municipality."""

    __tablename__ = "threshold"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    year: Mapped[int] = mapped_column(Integer)
    municipality_id: Mapped[str | None] = mapped_column(ForeignKey("municipality.id"))
    first_person_eur: Mapped[Decimal] = mapped_column(Numeric(10, 2))
    other_person_eur: Mapped[Decimal | None] = mapped_column(Numeric(10, 2))


class Verification(Base):
    """A volunteer's check of a listing by phone: asked, then answered (confirmed | changed | closed | no_answer).
    The data files' reload does not touch this table; the queries apply its answers on top of the files' values
    (knowledge/verifications.py) until `python -m knowledge export-verifications` writes them into the files."""

    __tablename__ = "verification"
    __table_args__ = (
        Index("ix_verification_service", "service_id", "answered_at"),
        # One open call per listing: two volunteers asking at the same moment are given different listings.
        Index("ux_verification_open", "service_id", unique=True, sqlite_where=text_("outcome IS NULL"),
              postgresql_where=text_("outcome IS NULL")),
        # The answers every query applies (knowledge.verifications.in_force): not the history a load superseded.
        Index("ix_verification_in_force", "service_id", sqlite_where=text_("superseded_at IS NULL"),
              postgresql_where=text_("superseded_at IS NULL")),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    service_id: Mapped[str] = mapped_column(String(100))  # no foreign key: a reload replaces the service rows
    volunteer_id: Mapped[int | None] = mapped_column(Integer)  # the volunteer who called (never a person seeking help)
    asked_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    field: Mapped[str | None] = mapped_column(String(10))  # changed: address | phones | hours
    value: Mapped[str | None] = mapped_column(Text)  # changed: the new value, as the volunteer typed it
    # confirmed | changed | closed | no_answer | lapsed (not answered in time); None while the call is under way
    outcome: Mapped[str | None] = mapped_column(String(12), index=True)
    answered_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    how: Mapped[str] = mapped_column(String(10), default="phone")
    exported_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    superseded_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))  # a load after the export
