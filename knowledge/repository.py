"""The query API the actions use. Plain dataclasses out; no ORM object leaves this module."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, replace
from functools import cached_property
from typing import Protocol, Sequence

from sqlalchemy import and_, select
from sqlalchemy.orm import selectinload

from knowledge.db import session_scope
from knowledge.hours import is_open
from knowledge.models import Municipality, Service
from lvnorm.places import PlaceResolver

SHELTER_KINDS = ("night_shelter", "shelter")
_CONFIDENCE_RANK = {"verified": 0, "partially_verified": 1, "unverified": 2}


@dataclass(frozen=True)
class PhoneInfo:
    """A number and who answers it."""

    number: str
    label: str | None
    note: str | None


@dataclass(frozen=True)
class Provenance:
    """Where a fact comes from and how sure we are of it."""

    source_url: str
    source_date: str | None
    verified_on: str
    confidence: str

    @property
    def call_ahead(self) -> bool:
        """Partially verified and unverified facts must be checked by phone before a person relies on them."""
        return self.confidence != "verified"


@dataclass(frozen=True)
class ServiceInfo:
    """One service as the actions see it."""

    id: str
    kind: str
    name: str
    municipality: str | None
    address: str | None
    phones: tuple[PhoneInfo, ...]
    hours_text: str | None
    conditions: tuple[str, ...]
    bring: tuple[str, ...]
    gender: str | None
    provenance: Provenance
    hours_rules: tuple[dict, ...] = ()
    all_day_below_c: int | None = None
    latitude: float | None = None
    longitude: float | None = None
    open_now: bool | None = None  # set when a query asked about a moment; None: the hours cannot tell
    distance_km: float | None = None  # set by nearest()

    def open_at(self, when: dt.datetime, temperature_c: float | None = None) -> bool | None:
        """Open at that moment by its hours rules (None when it has none)."""
        return is_open(list(self.hours_rules), when, self.all_day_below_c, temperature_c)


@dataclass(frozen=True)
class MunicipalityInfo:
    """A municipality's canonical name and kind."""

    name: str
    kind: str
    website: str | None


class KnowledgeRepository(Protocol):
    """What the actions may ask the knowledge base."""

    def services(self, kinds: Sequence[str], municipality: str | None) -> list[ServiceInfo]: ...

    def municipality(self, name: str) -> MunicipalityInfo | None: ...

    def resolve_place(self, text: str) -> str | None: ...


def _service_info(row: Service, municipality: str | None) -> ServiceInfo:
    return ServiceInfo(
        id=row.id, kind=row.kind, name=row.name, municipality=municipality, address=row.address,
        phones=tuple(PhoneInfo(p.number, p.label, p.note) for p in row.phones),
        hours_text=row.hours_text, conditions=tuple(row.conditions_text or ()), bring=tuple(row.bring or ()),
        gender=row.gender,
        provenance=Provenance(row.source_url, row.source_date, row.verified_on.isoformat(), row.confidence),
        hours_rules=tuple(row.hours_rules or ()), all_day_below_c=row.all_day_below_c,
        latitude=float(row.latitude) if row.latitude is not None else None,
        longitude=float(row.longitude) if row.longitude is not None else None,
    )


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(a))


@dataclass(frozen=True)
class Responsibility:
    """Which municipality's social service must help, and on what ground."""

    municipality: str | None
    ground: str  # declared | last_declared | present | unknown


class SqlKnowledgeRepository:
    """The knowledge base on SQLite or PostgreSQL."""

    def __init__(self, url: str | None = None):
        self._url = url

    def services(
        self, kinds: Sequence[str], municipality: str | None, at: dt.datetime | None = None,
        temperature_c: float | None = None,
    ) -> list[ServiceInfo]:
        """Services of the given kinds in a municipality (None: national ones), best-sourced first.

        With `at`, each carries `open_now`, and those open at that moment come first, unknown next, closed last.
        """
        with session_scope(self._url) as s:
            q = select(Service).options(selectinload(Service.phones)).where(Service.kind.in_(list(kinds)))
            if municipality is None:
                q = q.where(Service.municipality_id.is_(None))
            else:
                q = q.join(Municipality, Service.municipality_id == Municipality.id).where(
                    Municipality.name == municipality
                )
            rows = s.scalars(q).all()
            out = [_service_info(r, municipality) for r in rows]
        kind_rank = {k: i for i, k in enumerate(kinds)}
        if at is not None:
            out = [replace(x, open_now=x.open_at(at, temperature_c)) for x in out]
        open_rank = {True: 0, None: 1, False: 2}
        return sorted(
            out,
            key=lambda x: (
                open_rank[x.open_now], _CONFIDENCE_RANK.get(x.provenance.confidence, 9), kind_rank[x.kind],
                not x.phones, x.name,
            ),
        )

    def nearest(self, kinds: Sequence[str], latitude: float, longitude: float, limit: int = 5) -> list[ServiceInfo]:
        """The closest services with coordinates: a bounding box in SQL, widened until the answer is certain."""
        box = 0.05  # degrees of latitude, about 5.5 km; longitude gets twice that (Latvia is at about 57 °N)
        with session_scope(self._url) as s:
            while True:
                q = (
                    select(Service, Municipality.name)
                    .outerjoin(Municipality, Service.municipality_id == Municipality.id)
                    .options(selectinload(Service.phones))
                    .where(
                        Service.kind.in_(list(kinds)),
                        and_(Service.latitude.between(latitude - box, latitude + box),
                             Service.longitude.between(longitude - 2 * box, longitude + 2 * box)),
                    )
                )
                found = sorted(
                    (replace(i, distance_km=haversine_km(latitude, longitude, i.latitude, i.longitude))
                     for i in (_service_info(r, m) for r, m in s.execute(q).all())),
                    key=lambda x: x.distance_km,
                )
                # Only what lies within the box's inscribed circle is certainly nearer than anything outside it.
                radius = min(box * 111.0, 2 * box * 111.0 * math.cos(math.radians(latitude)))
                if (len(found) >= limit and found[limit - 1].distance_km <= radius) or box > 6:
                    return found[:limit]
                box *= 2

    def responsible_municipality(
        self, declared: str | None, last_declared: str | None = None, present: str | None = None
    ) -> Responsibility:
        """Social help comes from the municipality of the declared (or last declared) residence."""
        for value, ground in ((declared, "declared"), (last_declared, "last_declared"), (present, "present")):
            if value:
                info = self.municipality(value)
                if info:
                    return Responsibility(info.name, ground)
        return Responsibility(None, "unknown")

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
                    "name": m.name, "merged_into": m.merged_into,
                    "places": [{"name": p.name, "decl": p.decl, "ambiguous": p.ambiguous} for p in m.places],
                }
                for m in sorted(rows, key=lambda m: (m.kind != "state_city", bool(m.merged_into), m.name))
            ]
        return PlaceResolver(gazetteer)

    def resolve_place(self, text: str) -> str | None:
        """The canonical municipality a free-text place mention names, or None."""
        return self._resolver.resolve(text)
