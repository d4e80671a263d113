"""The volunteers and the audit log of what they saw and did (the requests are personal/handoff.py)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from knowledge.db import now_utc, session_scope
from personal.models import HandoffAudit, Volunteer


@dataclass(frozen=True)
class VolunteerView:
    """An authorised volunteer."""

    id: int
    telegram_id: int
    name: str
    active: bool


class Roster:
    """Who may help, and the log of what they did: the base of the handoff store (one database, one URL)."""

    url: str | None

    def volunteer(self, telegram_id: int) -> VolunteerView | None:
        """The active volunteer with this Telegram id, or None."""
        with session_scope(self.url) as s:
            v = s.scalars(select(Volunteer).where(Volunteer.telegram_id == telegram_id,
                                                  Volunteer.active.is_(True))).first()
            return VolunteerView(v.id, v.telegram_id, v.name, v.active) if v else None

    def volunteer_by_id(self, volunteer_id: int) -> VolunteerView | None:
        """A volunteer by internal id (active or not)."""
        with session_scope(self.url) as s:
            v = s.get(Volunteer, volunteer_id)
            return VolunteerView(v.id, v.telegram_id, v.name, v.active) if v else None

    def volunteers(self) -> list[VolunteerView]:
        """Active volunteers."""
        with session_scope(self.url) as s:
            rows = s.scalars(select(Volunteer).where(Volunteer.active.is_(True)).order_by(Volunteer.id)).all()
            return [VolunteerView(v.id, v.telegram_id, v.name, v.active) for v in rows]

    def add_volunteer(self, telegram_id: int, name: str) -> VolunteerView:
        """Authorise a volunteer (or re-activate and rename one)."""
        with session_scope(self.url) as s:
            v = s.scalars(select(Volunteer).where(Volunteer.telegram_id == telegram_id)).first()
            if v is None:
                v = Volunteer(telegram_id=telegram_id, name=name[:40], active=True, added_at=now_utc())
                s.add(v)
            else:
                v.name, v.active, v.removed_at = name[:40], True, None
            s.flush()
            return VolunteerView(v.id, v.telegram_id, v.name, v.active)

    def audit(self, actor: str, action: str, request_id: int | None = None, detail: str | None = None) -> None:
        """One line of the audit log."""
        with session_scope(self.url) as s:
            s.add(HandoffAudit(at=now_utc(), actor=actor[:80], action=action[:30], request_id=request_id,
                              detail=(detail or None) and detail[:200]))

    def audit_log(self, request_id: int | None = None, limit: int = 1000) -> list[tuple[str, str, int | None, str | None]]:
        """Audit lines (actor, action, request, detail), oldest first."""
        with session_scope(self.url) as s:
            q = select(HandoffAudit).order_by(HandoffAudit.id)
            if request_id is not None:
                q = q.where(HandoffAudit.request_id == request_id)
            return [(a.actor, a.action, a.request_id, a.detail) for a in s.scalars(q.limit(limit)).all()]
