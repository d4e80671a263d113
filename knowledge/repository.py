"""The query API the actions and the front door use: plain records out (knowledge/records.py); no ORM object leaves
this module."""

from __future__ import annotations

import datetime as dt
import math
import json
from dataclasses import replace
from decimal import Decimal
from functools import cache, cached_property, lru_cache
from typing import Any, Protocol, Sequence

from sqlalchemy import ColumnElement, Row, Text, and_, case, cast, select
from sqlalchemy.orm import Session, selectinload

from knowledge import verifications
from knowledge.db import session_scope
from knowledge.hours import is_open
from knowledge.models import Benefit, Document, Municipality, Procedure, Service
from knowledge.records import (BenefitInfo, Council, Duty, FactSource, JsonObject, MunicipalityInfo, PhoneInfo,
                               ProcedureInfo, Provenance, ServiceInfo, Topic)
from lvnorm.places import PlaceResolver

_CONFIDENCE_RANK = {"verified": 0, "partially_verified": 1, "unverified": 2}


def _prov(row: Service | Procedure | Benefit | Row[Any]) -> Provenance:
    facts = tuple(FactSource.of(name, fact) for name, fact in (row.fact_sources or {}).items())
    return Provenance(row.source_url, row.source_date, row.verified_on.isoformat(), row.confidence, row.verified_how,
                      facts)


class KnowledgeRepository(Protocol):
    """What the actions may ask the knowledge base."""

    def services(self, kinds: Sequence[str], municipality: str | None, at: dt.datetime | None = None,
                 temperature_c: float | None = None, limit: int | None = None) -> list[ServiceInfo]: ...

    def municipality(self, name: str) -> MunicipalityInfo | None: ...

    def resolve_place(self, text: str) -> str | None: ...

    def topic(self, name: str) -> Topic | None: ...

    def procedures(self, ids: Sequence[str]) -> list[ProcedureInfo]: ...

    def benefits(self, kinds: Sequence[str], municipality: str | None) -> list[BenefitInfo]: ...

    def services_by_id(self, ids: Sequence[str]) -> list[ServiceInfo]: ...

    def duties(self) -> list[Duty]: ...

    def centre(self, municipality: str) -> tuple[float, float, str] | None: ...

    def nearest_elsewhere(self, kinds: Sequence[str], municipality: str, limit: int = 2) -> list[ServiceInfo]: ...

    def nearest(self, kinds: Sequence[str], latitude: float, longitude: float, limit: int = 5,
                exclude: str | None = None) -> list[ServiceInfo]: ...


def _service_info(row: Service | Row[Any], municipality: str | None,
                  phones: Sequence[PhoneInfo] | None = None) -> ServiceInfo:
    """A service row (an ORM object, or a row of _INFO_COLUMNS with its phones) as the actions see it."""
    return ServiceInfo(
        id=row.id, kind=row.kind, name=row.name, municipality=municipality, address=row.address,
        phones=tuple(phones) if phones is not None else tuple(PhoneInfo(p.number, p.label, p.note) for p in row.phones),
        hours_text=row.hours_text, conditions=tuple(row.conditions_text or ()), bring=tuple(row.bring or ()),
        gender=row.gender,
        provenance=_prov(row),
        hours_rules=tuple(row.hours_rules or ()), all_day_below_c=row.all_day_below_c,
        latitude=float(row.latitude) if row.latitude is not None else None,
        longitude=float(row.longitude) if row.longitude is not None else None, ru=row.ru,
        location_precision=row.location_precision, residence_required=row.residence_required,
        council=Council.of(getattr(row, "council", None)),  # a row of _INFO_COLUMNS has it; an ORM Service does not
    )


# What a card needs, read as plain rows (loading ORM objects took 1.8 ms of a 7.5 ms query on 100,000 services).
_INFO_COLUMNS = (
    Service.id, Service.kind, Service.name, Service.address, Service.hours_text, Service.conditions_text, Service.bring,
    Service.gender, Service.source_url, Service.source_date, Service.verified_on, Service.confidence,
    Service.verified_how, Service.fact_sources, Service.hours_rules, Service.all_day_below_c, Service.latitude,
    Service.longitude, Service.ru, Service.location_precision, Service.residence_required, Service.phone_list,
    Municipality.name.label("municipality"), Municipality.council,
)


def _with_phones(rows: Sequence[Row[Any]]) -> list[ServiceInfo]:
    """Rows of _INFO_COLUMNS as records, their phones from the row itself (Service.phone_list); in the rows' order."""
    return [_service_info(r, r.municipality, [PhoneInfo(*p) for p in r.phone_list or ()]) for r in rows]


def _infos(s: Session, ids: Sequence[str]) -> dict[str, ServiceInfo]:
    """Full records of these services, in one query."""
    rows = s.execute(select(*_INFO_COLUMNS).outerjoin(Municipality, Service.municipality_id == Municipality.id)
                     .where(Service.id.in_(list(ids)))).all()
    return {i.id: i for i in _with_phones(rows)}


@lru_cache(maxsize=4096)
def _open_state(rules_json: str | None, all_day_below_c: int | None, at: dt.datetime,
                temperature_c: float | None) -> bool | None:
    """Many services share one timetable (a city's seasonal shelter rules): evaluate each distinct one once."""
    return is_open(json.loads(rules_json) if rules_json else [], at, all_day_below_c, temperature_c)


def _dec(x: float) -> Decimal:
    return Decimal(f"{x:.6f}")


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(a))


class SqlKnowledgeRepository:
    """The knowledge base on SQLite or PostgreSQL."""

    def __init__(self, url: str | None = None):
        self._url = url

    def services(
        self, kinds: Sequence[str], municipality: str | None, at: dt.datetime | None = None,
        temperature_c: float | None = None, limit: int | None = None,
    ) -> list[ServiceInfo]:
        """Services of the given kinds in a municipality (None: national ones), best first, at most `limit`.

        With `at`, each carries `open_now`, and those open at that moment come first, unknown next, closed last; then
        those a person can find or call (an address or a phone: a soup kitchen with neither came first in Rīga,
        2026-12-07), the verified, the kinds in the order asked, the newer record's source date first (a place seen working this
        winter before one last listed years ago; undated last), those with a phone, by name. Many services share one timetable:
        each distinct timetable is evaluated once, and the database sorts by the result and returns only the winners.
        """
        where: list[ColumnElement[bool]] = [Service.kind.in_(list(kinds))]
        if municipality is None:
            where.append(Service.municipality_id.is_(None))
        else:
            where.append(Service.municipality_id == select(Municipality.id).where(Municipality.name == municipality)
                         .scalar_subquery())
        kind_rank = {k: i for i, k in enumerate(kinds)}
        open_rank = {True: 0, None: 1, False: 2}
        rules = cast(Service.hours_rules, Text)
        with session_scope(self._url) as s:
            answered = verifications.in_force(s)
            shut = verifications.closed(s, answered)
            if shut:
                where.append(Service.id.not_in(list(shut)))
            state = {(t, below): _open_state(t, below, at, temperature_c) if at else None
                     for t, below in s.execute(select(rules, Service.all_day_below_c).where(*where).distinct())}
            if not state:
                return []
            open_first = case(*[(and_(rules == t, Service.all_day_below_c.is_(None) if below is None
                                      else Service.all_day_below_c == below), open_rank[v])
                                for (t, below), v in state.items()], else_=1)
            name = Service.name.collate("C") if s.get_bind().dialect.name == "postgresql" else Service.name  # code points
            rows = s.execute(
                select(*_INFO_COLUMNS, rules.label("rules")).outerjoin(Municipality, Service.municipality_id == Municipality.id)
                .where(*where)
                .order_by(open_first, case((and_(Service.address.is_(None), Service.has_phone.is_(False)), 1), else_=0),
                          case(_CONFIDENCE_RANK, value=Service.confidence, else_=9),
                          case(kind_rank, value=Service.kind), Service.source_date.desc().nulls_last(),
                          case((Service.has_phone, 0), else_=1), name)
                .limit(limit)
            ).all()
            return verifications.apply_all(s, [
                replace(info, municipality=municipality, open_now=state[(r.rules, r.all_day_below_c)])
                for info, r in zip(_with_phones(rows), rows)], answered)

    def centre(self, municipality: str) -> tuple[float, float, str] | None:
        """(latitude, longitude, town) of a municipality's centre (knowledge.geo), or None."""
        with session_scope(self._url) as s:
            row = s.scalar(select(Municipality).where(Municipality.name == municipality))
            if row is None or row.latitude is None or row.longitude is None or row.centre is None:
                return None
            return float(row.latitude), float(row.longitude), row.centre

    def nearest_elsewhere(self, kinds: Sequence[str], municipality: str, limit: int = 2) -> list[ServiceInfo]:
        """The services of these kinds nearest to a municipality's centre, in other municipalities."""
        centre = self.centre(municipality)
        if centre is None:
            return []
        return self.nearest(kinds, centre[0], centre[1], limit, exclude=municipality)

    def nearest(self, kinds: Sequence[str], latitude: float, longitude: float, limit: int = 5,
                exclude: str | None = None) -> list[ServiceInfo]:
        """The closest services with coordinates (none of municipality `exclude`): a bounding box in SQL, widened
        until the answer is certain."""
        box = 0.05  # degrees of latitude, about 5.5 km; longitude gets twice that (Latvia is at about 57 °N)
        with session_scope(self._url) as s:
            answered = verifications.in_force(s)
            shut = verifications.closed(s, answered)
            while True:
                # Decimal bounds: a float parameter would make PostgreSQL cast the numeric column and skip the index.
                q = select(Service.id, Service.latitude, Service.longitude).where(
                    Service.kind.in_(list(kinds)),
                    *([Service.municipality_id.is_distinct_from(
                        select(Municipality.id).where(Municipality.name == exclude).scalar_subquery())]
                      if exclude else []),
                    Service.latitude.between(_dec(latitude - box), _dec(latitude + box)),
                    Service.longitude.between(_dec(longitude - 2 * box), _dec(longitude + 2 * box)),
                )
                found = sorted(
                    (haversine_km(latitude, longitude, float(r.latitude), float(r.longitude)), r.id)
                    for r in s.execute(q) if r.id not in shut
                )
                # Only what lies within the box's inscribed circle is certainly nearer than anything outside it.
                radius = min(box * 111.0, 2 * box * 111.0 * math.cos(math.radians(latitude)))
                if (len(found) >= limit and found[limit - 1][0] <= radius) or box > 6:
                    break
                box *= 2
            chosen = found[:limit]
            full = _infos(s, [sid for _, sid in chosen])
            return verifications.apply_all(s, [replace(full[sid], distance_km=d) for d, sid in chosen], answered)

    def duties(self) -> list[Duty]:
        """Who owes what, in the order of the data file."""
        return duties()

    def municipality(self, name: str) -> MunicipalityInfo | None:
        """A municipality by canonical name (a merged one answers as its successor)."""
        with session_scope(self._url) as s:
            row = s.scalar(select(Municipality).where(Municipality.name == name))
            if row is not None and row.merged_into:
                row = s.scalar(select(Municipality).where(Municipality.name == row.merged_into))
            return MunicipalityInfo(row.name, row.kind, row.website) if row else None

    @cached_property
    def _resolver(self) -> PlaceResolver:
        with session_scope(self._url) as s:
            rows = s.scalars(select(Municipality).options(selectinload(Municipality.places))).all()
            gazetteer = [
                {
                    "name": m.name, "merged_into": m.merged_into, "aliases": m.aliases or [],
                    "places": [{"name": p.name, "decl": p.decl, "ambiguous": p.ambiguous, "aliases": p.aliases or []}
                               for p in m.places],
                }
                for m in sorted(rows, key=lambda m: (m.kind != "state_city", bool(m.merged_into), m.name))
            ]
        return PlaceResolver(gazetteer)

    def resolve_place(self, text: str) -> str | None:
        """The canonical municipality a free-text place mention names, or None."""
        return self._resolver.resolve(text)

    # --- procedures, benefits, topics -----------------------------------------------------------------------
    def _document_names(self, s: Session) -> dict[str, str]:
        return {d.id: d.name for d in s.scalars(select(Document)).all()}

    def _document_names_ru(self, s: Session) -> dict[str, str]:
        return {d.id: (d.ru or {}).get("name") or d.name for d in s.scalars(select(Document)).all()}

    @staticmethod
    def _with_bring(ru: JsonObject | None, bring: list[str] | None, names: dict[str, str]) -> JsonObject | None:
        """The record's Russian texts plus the Russian names of the documents to bring."""
        if not ru and not bring:
            return ru
        return {**(ru or {}), "bring": [names.get(d, d) for d in bring or ()]}

    def procedures(self, ids: Sequence[str]) -> list[ProcedureInfo]:
        """Procedures in the order asked."""
        with session_scope(self._url) as s:
            docs, docs_ru = self._document_names(s), self._document_names_ru(s)
            rows = {p.id: p for p in s.scalars(select(Procedure).where(Procedure.id.in_(list(ids)))).all()}
            return [
                ProcedureInfo(
                    id=p.id, name=p.name, summary=tuple(p.summary or ()), where_text=p.where_text,
                    bring=tuple(docs.get(d, d) for d in p.bring or ()), requires=tuple(p.requires or ()),
                    unlocks=tuple(p.unlocks or ()), cost_text=p.cost_text,
                    deadline_days_after_release=p.deadline_days_after_release, deadline_text=p.deadline_text,
                    working_age_only=p.working_age_only, provenance=_prov(p),
                    ru=self._with_bring(p.ru, p.bring, docs_ru),
                )
                for p in (rows[i] for i in ids if i in rows)
            ]

    def benefits(self, kinds: Sequence[str], municipality: str | None) -> list[BenefitInfo]:
        """Benefits of the kinds asked: the municipality's own first, then national ones, in the order of kinds."""
        with session_scope(self._url) as s:
            docs, docs_ru = self._document_names(s), self._document_names_ru(s)
            q = (
                select(Benefit, Municipality.name)
                .outerjoin(Municipality, Benefit.municipality_id == Municipality.id)
                .where(Benefit.kind.in_(list(kinds)))
            )
            rows = [
                (b, m) for b, m in s.execute(q).all() if m is None or (municipality is not None and m == municipality)
            ]
            out = [
                BenefitInfo(
                    id=b.id, kind=b.kind, name=b.name, municipality=m, amount_text=b.amount_text,
                    conditions=tuple(b.conditions or ()), bring=tuple(docs.get(d, d) for d in b.bring or ()),
                    deadline_days_after_release=b.deadline_days_after_release, deadline_text=b.deadline_text,
                    provenance=_prov(b), bring_ids=tuple(b.bring or ()),
                    ru=self._with_bring(b.ru, b.bring, docs_ru),
                )
                for b, m in rows
            ]
        order = {k: i for i, k in enumerate(kinds)}
        return sorted(out, key=lambda b: (order[b.kind], b.municipality is None, b.name))

    def services_by_id(self, ids: Sequence[str]) -> list[ServiceInfo]:
        """Services in the order asked."""
        with session_scope(self._url) as s:
            rows = _infos(s, ids)
            return verifications.apply_all(s, [rows[i] for i in ids if i in rows])

    def topic(self, name: str) -> Topic | None:
        """The answer plan of a question (intent name)."""
        spec = _topics().get(name)
        if spec is None:
            return None
        return Topic(**{k: tuple(spec.get(k) or ())
                        for k in ("procedures", "benefits", "services", "local", "anywhere")},
                     duty=spec.get("duty"), duties=bool(spec.get("duties")), tonight=bool(spec.get("tonight")),
                     person=bool(spec.get("person")))


def duties() -> list[Duty]:
    """The rules of knowledge/data/duties.yaml: data the project reviews, not rows that change."""
    return [Duty(d["id"], d["name"], d["basis"], d["rule"], Provenance(
        d["source_url"], d.get("source_date"), str(d["verified_on"]), d["confidence"]), d.get("ru"))
        for d in _data_file("duties.yaml")]


def _topics() -> JsonObject:
    topics: JsonObject = _data_file("topics.yaml")
    return topics


@cache
def _data_file(name: str) -> Any:
    """Rules that are data but not rows: read once from knowledge/data/."""
    import yaml

    from knowledge.loader import DATA

    with open(DATA / name, encoding="utf-8") as fh:
        return yaml.load(fh, yaml.CSafeLoader) or {}
