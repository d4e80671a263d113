"""Volunteers keep the listings true by phone: the next listing to call (people's reports first, then shelters,
social services and food; the longest unchecked first), the call's answer as an event (confirmed, changed with the
new value, closed, no answer), the events applied on top of the data files by the queries, and written back into
the data files for review in git (`python -m knowledge export-verifications`, knowledge/writeback.py).

An event names the volunteer who called (their number in the volunteer table), never a person seeking help. An
answer applies while it is at least as new as the record's own date (`verified_on`, else its source's), so a later
edit of the file wins, and until a load of the files after its export (then the files say it, as reviewed in git).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace
from typing import Any, Sequence

from sqlalchemy import ColumnElement, Row, and_, exists, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from knowledge.db import affected, aware, now_utc, session_scope
from knowledge.hours import RIGA
from knowledge.models import Service, Verification
from knowledge.records import FOOD_KINDS, SHELTER_KINDS, FactSource, PhoneInfo, ServiceInfo, undated

# The order volunteers are asked to call: where people sleep, where they ask for help, where they eat (a listing of
# another kind is called only when a report names it).
ORDER: tuple[tuple[str, ...], ...] = (SHELTER_KINDS, ("social_service",), FOOD_KINDS)
CHECKED = ("confirmed", "changed")  # the call reached the place
APPLIED = (*CHECKED, "closed")  # what the queries apply
FIELDS = ("address", "phones", "hours")  # what a call can change
RU_KEYS = {"phones": "phone_labels", "hours": "hours_text"}  # a changed field's Russian text (ru.yaml) no longer fits
OPEN_FOR = dt.timedelta(hours=2)  # a call not answered by then lapses, and the listing can be asked again
RETRY_AFTER = dt.timedelta(days=1)  # nobody answered: ask again after this
FRESH_FOR = dt.timedelta(days=90)  # confirmed or changed: not asked again for this long
_NOT_A_NUMBER = re.compile(r"[,;/]|[^\d\s+()-]+")  # what separates numbers in a typed answer


def phone_numbers(value: str) -> tuple[str, ...]:
    """'+371 65 236 440, 26123456' -> ('65236440', '26123456'); only 8-digit Latvian numbers."""
    found = [re.sub(r"\D", "", chunk) for chunk in _NOT_A_NUMBER.split(value)]
    found = [n[3:] if len(n) == 11 and n.startswith("371") else n for n in found]
    return tuple(dict.fromkeys(n for n in found if len(n) == 8))


@dataclass(frozen=True)
class Check:
    """One call a volunteer was asked to make."""

    id: int
    service_id: str
    volunteer_id: int | None
    asked_at: dt.datetime
    field: str | None
    value: str | None
    outcome: str | None
    answered_at: dt.datetime | None

    @classmethod
    def of(cls, row: Verification | Row[Any]) -> "Check":
        return cls(row.id, row.service_id, row.volunteer_id, aware(row.asked_at), row.field, row.value, row.outcome,
                   aware(row.answered_at))

    @property
    def day(self) -> str:
        """The day of the answer in Riga (ISO), as cards and the data files show it."""
        return riga_day(self.answered_at or self.asked_at).isoformat()


def riga_day(at: dt.datetime) -> dt.date:
    """The calendar day in Latvia of a stored moment."""
    return at.astimezone(RIGA).date()


class Verifications:
    """The calls' events on the knowledge database (the same one the queries read)."""

    def __init__(self, url: str | None = None):
        self.url = url

    def ask(self, volunteer_id: int, first: Sequence[str] = (), now: dt.datetime | None = None) -> Check | None:
        """The next listing for this volunteer to call, recorded as asked; None when nothing with a phone is due.
        `first`: listings people reported wrong (the moderation queue), asked before anything else. One open call per
        listing (a unique index): two volunteers asking at once get different listings."""
        now = now or now_utc()
        rank = {kind: i for i, kinds in enumerate(ORDER) for kind in kinds}
        reported = set(first)
        with session_scope(self.url) as s:
            s.execute(update(Verification).where(Verification.outcome.is_(None),
                                                 Verification.asked_at < now - OPEN_FOR)
                      .values(outcome="lapsed", answered_at=now))
        with session_scope(self.url) as s:
            shut = closed(s)
            busy = or_(
                Verification.outcome.is_(None),
                and_(Verification.outcome == "no_answer", Verification.answered_at > now - RETRY_AFTER),
                and_(Verification.outcome.in_(CHECKED), Verification.answered_at > now - FRESH_FOR),
            )
            last_call = (select(Verification.service_id, func.max(Verification.answered_at).label("at"))
                         .where(Verification.outcome.in_(CHECKED)).group_by(Verification.service_id).subquery())
            rows = [r for r in s.execute(
                select(Service.id, Service.kind, Service.name, Service.verified_on, Service.source_date,
                       Service.verified_how, last_call.c.at)
                .outerjoin(last_call, last_call.c.service_id == Service.id)
                .where(or_(Service.kind.in_(list(rank)), Service.id.in_(list(reported))),
                       Service.has_phone,
                       ~exists().where(Verification.service_id == Service.id, busy))
            ).all() if r.id not in shut]

        def key(r: Row[Any]) -> tuple[bool, int, dt.date, str]:
            own = dt.date.min if undated(r.source_date, r.verified_how) else r.verified_on  # unknown age: oldest
            checked = max(own, riga_day(aware(r.at))) if r.at is not None else own
            return (r.id not in reported, rank.get(r.kind, len(ORDER)), checked, r.name)

        for chosen in sorted(rows, key=key):  # taken a moment ago by another volunteer: the next one
            try:
                with session_scope(self.url) as s:
                    row = Verification(service_id=chosen.id, volunteer_id=volunteer_id, asked_at=now)
                    s.add(row)
                    s.flush()
                    return Check.of(row)
            except IntegrityError:
                continue
        return None

    def get(self, check_id: int) -> Check | None:
        """One call by number."""
        with session_scope(self.url) as s:
            row = s.get(Verification, check_id)
            return Check.of(row) if row else None

    def answer(self, check_id: int, volunteer_id: int, outcome: str,
               now: dt.datetime | None = None) -> Check | None:
        """Confirmed, closed or no answer: once, by the volunteer who was asked (None: already answered)."""
        if outcome not in ("confirmed", "closed", "no_answer"):
            raise ValueError(outcome)
        return self._answer(check_id, volunteer_id, now or now_utc(), outcome=outcome)

    def choose_field(self, check_id: int, volunteer_id: int, field: str) -> Check | None:
        """The volunteer says what changed; the new value comes with their next /jauns."""
        if field not in FIELDS:
            raise ValueError(field)
        with session_scope(self.url) as s:
            done = affected(s.execute(update(Verification).where(
                Verification.id == check_id, _by(volunteer_id), Verification.outcome.is_(None)).values(field=field)))
        return self.get(check_id) if done else None

    def awaiting_value(self, volunteer_id: int, now: dt.datetime | None = None) -> Check | None:
        """This volunteer's open call whose changed field waits for its new value (the newest)."""
        now = now or now_utc()
        with session_scope(self.url) as s:
            row = s.scalars(select(Verification).where(
                _by(volunteer_id), Verification.outcome.is_(None), Verification.field.is_not(None),
                Verification.asked_at > now - OPEN_FOR).order_by(Verification.asked_at.desc(), Verification.id.desc())
            ).first()
            return Check.of(row) if row else None

    def change(self, check_id: int, volunteer_id: int, value: str,
               now: dt.datetime | None = None) -> Check | None:
        """The new value of the chosen field; None when it is not this volunteer's open call or the value is not
        usable (a phone needs an 8-digit number)."""
        check = self.get(check_id)
        value = " ".join(value.split())[:300]
        if check is None or check.field is None or not value:
            return None
        if check.field == "phones":
            numbers = phone_numbers(value)
            if not numbers:
                return None
            value = ", ".join(numbers)
        return self._answer(check_id, volunteer_id, now or now_utc(), outcome="changed", value=value)

    def _answer(self, check_id: int, volunteer_id: int, now: dt.datetime, **values: str) -> Check | None:
        with session_scope(self.url) as s:
            done = affected(s.execute(update(Verification).where(
                Verification.id == check_id, _by(volunteer_id), Verification.outcome.is_(None))
                .values(answered_at=now, **values)))
        return self.get(check_id) if done else None

    def listing(self, service_id: str) -> ServiceInfo | None:
        """The listing as people see it now (the answers applied); None when gone or closed."""
        from knowledge.repository import SqlKnowledgeRepository  # the repository applies this module's answers

        found = SqlKnowledgeRepository(self.url).services_by_id([service_id])
        return found[0] if found else None

    def listing_any(self, service_id: str) -> str | None:
        """The listing's name (what a person's report quotes), closed or not."""
        with session_scope(self.url) as s:
            return s.scalar(select(Service.name).where(Service.id == service_id))

    def ids_named(self, names: Sequence[str]) -> list[str]:
        """The listings people's reports name (a report quotes the names it was shown)."""
        with session_scope(self.url) as s:
            return list(s.scalars(select(Service.id).where(Service.name.in_(list(names)))))

    def pending_export(self) -> list[Check]:
        """Answers not yet written into the data files, oldest first."""
        with session_scope(self.url) as s:
            rows = s.scalars(select(Verification).where(Verification.outcome.in_(APPLIED),
                                                        Verification.exported_at.is_(None),
                                                        Verification.superseded_at.is_(None))
                             .order_by(Verification.answered_at, Verification.id)).all()
            return [Check.of(r) for r in rows]

    def exported(self, ids: Sequence[int], now: dt.datetime | None = None) -> None:
        """These answers are in the data files now."""
        with session_scope(self.url) as s:
            s.execute(update(Verification).where(Verification.id.in_(list(ids))).values(exported_at=now or now_utc()))


def _by(volunteer_id: int) -> ColumnElement[bool]:
    return Verification.volunteer_id == volunteer_id


def superseded_by_load(s: Session, now: dt.datetime) -> None:
    """A load of the data files takes every exported answer from the files: the answers stop applying (kept as
    history), so a reviewer's correction in git is what people see."""
    s.execute(update(Verification).where(Verification.exported_at.is_not(None), Verification.superseded_at.is_(None))
              .values(superseded_at=now))


# --- applied by the queries ------------------------------------------------------------------------------------------
_CHECK_COLUMNS = (Verification.id, Verification.service_id, Verification.volunteer_id, Verification.asked_at,
                  Verification.field, Verification.value, Verification.outcome, Verification.answered_at)
Found = dict[str, list[Check]]  # the answers in force, by listing, oldest first


def in_force(s: Session, ids: Sequence[str] | None = None) -> Found:
    """The answers the queries apply (not yet superseded by a load of the files), by listing: one query on a partial
    index that holds only those (what was answered since the files were last loaded after an export), so a query
    reads them whole when `ids` is None."""
    q = select(*_CHECK_COLUMNS).where(Verification.outcome.in_(APPLIED), Verification.superseded_at.is_(None))
    if ids is not None:
        q = q.where(Verification.service_id.in_(list(ids)))
    out: Found = {}
    for row in s.execute(q.order_by(Verification.answered_at, Verification.id)):
        out.setdefault(row.service_id, []).append(Check.of(row))
    return out


def closed(s: Session, found: Found | None = None) -> set[str]:
    """The listings a call found closed, unless a later answer or a later edit of the file says otherwise."""
    found = in_force(s) if found is None else found
    suspects = [sid for sid, checks in found.items() if any(c.outcome == "closed" for c in checks)]
    if not suspects:
        return set()
    verified_on: dict[str, dt.date] = {sid: day for sid, day in s.execute(
        select(Service.id, Service.verified_on).where(Service.id.in_(suspects)))}
    out = set()
    for sid in suspects:
        if found_closed(current_answers(found[sid], verified_on.get(sid))):
            out.add(sid)
    return out


def current_answers(checks: list[Check], verified_on: dt.date | None) -> list[Check]:
    """The answers a record's own date has not superseded (a later edit of the file wins over an older call)."""
    return [c for c in checks if verified_on is None or (c.answered_at and riga_day(c.answered_at) >= verified_on)]


def found_closed(current: list[Check]) -> bool:
    """Closed by the last call; a later call that reached the place reopens it."""
    return bool(current) and current[-1].outcome == "closed"


def apply(info: ServiceInfo, checks: list[Check]) -> ServiceInfo | None:
    """The listing as the calls left it: None when found closed; a changed field carries the call's date."""
    current = current_answers(checks, dt.date.fromisoformat(info.provenance.verified_on))
    if found_closed(current):
        return None
    for check in (c for c in current if c.outcome != "closed"):
        prov = info.provenance
        facts = prov.facts
        changes: dict[str, Any] = {}
        if check.outcome == "changed" and check.field and check.value:
            facts = tuple(f for f in facts if f.field != check.field) + (FactSource(check.field, None, check.day, True),)
            ru = {k: v for k, v in (info.ru or {}).items() if k != RU_KEYS.get(check.field)} or None
            changes["ru"] = ru
            if check.field == "address":
                changes["address"] = check.value
            elif check.field == "phones":
                changes["phones"] = tuple(PhoneInfo(n, None, None) for n in phone_numbers(check.value))
            else:
                changes.update(hours_text=check.value, hours_rules=(), open_now=None)
        info = replace(info, **changes, provenance=replace(prov, verified_on=check.day, verified_how="phone",
                                                           confidence="verified", facts=facts))
    return info


def apply_all(s: Session, infos: list[ServiceInfo], found: Found | None = None) -> list[ServiceInfo]:
    """apply() for a list, keeping its order; closed listings drop out (`found`: in_force() already read)."""
    if found is None:  # a few listings: by their ids; many (a report over all of them): the table is small, read it
        found = in_force(s, [i.id for i in infos] if len(infos) <= 500 else None)
    out = [apply(i, found[i.id]) if i.id in found else i for i in infos]
    return [i for i in out if i is not None]
