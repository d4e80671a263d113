"""The query API the actions use. Plain dataclasses out; no ORM object leaves this module."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Protocol, Sequence

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from knowledge.db import session_scope
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
    )


class SqlKnowledgeRepository:
    """The knowledge base on SQLite or PostgreSQL."""

    def __init__(self, url: str | None = None):
        self._url = url

    def services(self, kinds: Sequence[str], municipality: str | None) -> list[ServiceInfo]:
        """Services of the given kinds in a municipality (None: national ones), best-sourced first."""
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
        return sorted(
            out,
            key=lambda x: (
                _CONFIDENCE_RANK.get(x.provenance.confidence, 9), kind_rank[x.kind], not x.phones, x.name
            ),
        )

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
