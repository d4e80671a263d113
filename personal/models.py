"""The tables about a person (and about the volunteers who help): held messages, morning reminders, checklists,
handoff requests and their audit, volunteers, and the tombstones of people who asked to be forgotten."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, BigInteger, Boolean, DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy import text as text_
from sqlalchemy.orm import Mapped, mapped_column

from knowledge.models import Base
from knowledge.records import JsonObject

OPEN_STATUSES = ("new", "claimed", "waiting")


class HeldMessage(Base):
    """A message the assistant could not answer (Rasa down): offered back to the person on their next answered
    message, deleted then or after its retention, whichever comes first."""

    __tablename__ = "held_message"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sender: Mapped[str] = mapped_column(String(64), index=True)  # pseudonymous id, never the Telegram id
    text: Mapped[str] = mapped_column(Text)
    language: Mapped[str] = mapped_column(String(5))
    reason: Mapped[str] = mapped_column(String(40))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), index=True)


class Reminder(Base):
    """A morning reminder the person asked for ("Atgādini man rīt no rīta"): where to send it (encrypted, like a
    help request's chat), in which language, and when. Deleted after it is sent, by /dzest, or a day after it was
    due. What it says is made at sending time from what the person has then (their plan, their place)."""

    __tablename__ = "reminder"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sender: Mapped[str] = mapped_column(String(64), unique=True)  # pseudonymous id; one reminder per person at most
    channel: Mapped[str] = mapped_column(String(16))
    chat_ref: Mapped[str] = mapped_column(Text)  # encrypted (personal.crypto)
    language: Mapped[str] = mapped_column(String(5))
    due_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), index=True)
    status: Mapped[str] = mapped_column(String(8))  # pending | sending
    claimed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class SharedPlan(Base):
    """A shared plan: one a relative or volunteer built and gives with a one-time link. Only the token's hash is
    kept, the plan until the person opens the link (and decides), the helper's chat (encrypted) to tell them it was
    opened. Deleted when used, cancelled, by the helper's /dzest, or when the link expires."""

    __tablename__ = "shared_plan"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    sender: Mapped[str] = mapped_column(String(64), index=True)  # the helper's pseudonymous id
    chat_ref: Mapped[str | None] = mapped_column(Text)  # the helper's chat, encrypted; dropped once they are told
    language: Mapped[str] = mapped_column(String(5))  # the helper's, for "it was opened"
    situation: Mapped[JsonObject] = mapped_column(JSON)  # the plan's answers (personal.checklist.to_json)
    status: Mapped[str] = mapped_column(String(10))  # open | opened
    opened_by: Mapped[str | None] = mapped_column(String(64))  # the person who opened it, until they decide
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), index=True)


class ChecklistState(Base):
    """A person's plan: what they told us and what they ticked off, under their pseudonymous id only."""

    __tablename__ = "checklist_state"

    sender: Mapped[str] = mapped_column(String(64), primary_key=True)
    situation: Mapped[JsonObject] = mapped_column(JSON)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class HandoffRequest(Base):
    """A person's question handed to volunteers (queue 'help'), or a reported wrong listing (queue 'moderation').

    Created as a draft; shared with volunteers only after the person has seen the summary and consented. The chat
    reference (encrypted; never for moderation reports) is what delivers a volunteer's reply; it is cleared when the
    request closes.
    """

    __tablename__ = "handoff_request"
    __table_args__ = (
        # One open request per person and queue: a repeated consent press or a redelivered update cannot duplicate.
        Index("ux_handoff_request_open", "sender", "queue", unique=True,
              sqlite_where=text_("status IN ('new', 'claimed', 'waiting')"),
              postgresql_where=text_("status IN ('new', 'claimed', 'waiting')")),
        Index("ix_handoff_request_status_urgency", "status", "urgency", "created_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sender: Mapped[str] = mapped_column(String(64), index=True)  # pseudonymous id
    channel: Mapped[str] = mapped_column(String(16))
    chat_ref: Mapped[str | None] = mapped_column(Text)  # where replies go, encrypted; never shown to volunteers
    queue: Mapped[str] = mapped_column(String(12))  # help | moderation
    category: Mapped[str] = mapped_column(String(20))  # asked | fallback | crisis | no_data | rasa_down | report_error
    urgency: Mapped[int] = mapped_column(Integer)  # 0 crisis, 1 nowhere to sleep tonight, 2 other
    municipality: Mapped[str | None] = mapped_column(String(100))
    language: Mapped[str] = mapped_column(String(5))
    requester: Mapped[str | None] = mapped_column(String(20))  # whom the writer asks for ("son", "client"); None: self
    topics: Mapped[list[str]] = mapped_column(JSON, default=list)  # intent names of the conversation, newest last
    shown: Mapped[list[str]] = mapped_column(JSON, default=list)  # names of the listings last shown (error reports)
    person_text: Mapped[str | None] = mapped_column(Text)  # only if the person chose to add their own words
    awaiting_text: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(12))  # draft|new|claimed|waiting|resolved|expired|cancelled
    volunteer_id: Mapped[int | None] = mapped_column(ForeignKey("volunteer.id", ondelete="SET NULL"))
    notes: Mapped[list[JsonObject]] = mapped_column(JSON, default=list)  # volunteers' notes: [{at, by, text}]
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    consented_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    claimed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    closed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    # The announcing outbox: not started, started (sending), or confirmed (announced_at, also the reminder clock).
    announce_started_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    announced_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


class Volunteer(Base):
    """An authorised volunteer. Volunteers are staff who agreed to it, so their Telegram id is kept to reach them;
    it is deleted a set time after they are removed."""

    __tablename__ = "volunteer"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    telegram_id: Mapped[int] = mapped_column(BigInteger, unique=True)
    name: Mapped[str] = mapped_column(String(40))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    added_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    removed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


class HandoffAudit(Base):
    """Who saw and did what in the volunteer queue. Never message text, never a person's id or pseudonym."""

    __tablename__ = "handoff_audit"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), index=True)
    actor: Mapped[str] = mapped_column(String(80))  # volunteer:<id> | admin:<id> | person | system | refused
    action: Mapped[str] = mapped_column(String(30))
    request_id: Mapped[int | None] = mapped_column(Integer, index=True)
    detail: Mapped[str | None] = mapped_column(String(200))


class ForgottenSender(Base):
    """Someone asked to be forgotten: until `recheck_at` nothing more is stored for them, and at `recheck_at` what
    an in-flight turn wrote back after the first deletion is deleted again; then the row itself goes."""

    __tablename__ = "forgotten_sender"

    sender: Mapped[str] = mapped_column(String(64), primary_key=True)
    forgotten_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    recheck_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), index=True)


class Checkin(Base):
    """A check-in the person agreed to ("Vai drīkstu rīt pajautāt, vai izdevās?"): where to ask (encrypted), in which
    language, about which listed place, and when. Deleted when answered, by "stop" or /dzest, or three days after it
    was due. One per person at most, so at most one check-in a day."""

    __tablename__ = "checkin"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sender: Mapped[str] = mapped_column(String(64), unique=True)  # pseudonymous id
    channel: Mapped[str] = mapped_column(String(16))
    chat_ref: Mapped[str] = mapped_column(Text)  # encrypted (personal.crypto)
    language: Mapped[str] = mapped_column(String(5))
    requester: Mapped[str] = mapped_column(String(10))  # person | relative | worker: whose outcome it is
    topic: Mapped[str] = mapped_column(String(20))  # shelter | food | social_service
    service_id: Mapped[str] = mapped_column(String(80))
    municipality: Mapped[str | None] = mapped_column(String(100))
    due_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), index=True)
    status: Mapped[str] = mapped_column(String(8))  # pending | sending | asked | reason (asked why it was refused)
    claimed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
