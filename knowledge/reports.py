"""Reports for the people who keep the knowledge base true: stale records, coverage, CSV exports."""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass
from typing import IO, Iterable

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from knowledge.db import session_scope
from knowledge.models import Municipality, Service
from knowledge.repository import SHELTER_KINDS

FOOD_KINDS = ("soup_kitchen", "food_packages")
EXPORT_FIELDS = [
    "id", "kind", "name", "municipality", "address", "phones", "hours", "source_url", "source_date",
    "verified_on", "confidence",
]


def _months_between(earlier: dt.date, later: dt.date) -> int:
    return (later.year - earlier.year) * 12 + later.month - earlier.month - (later.day < earlier.day)


def _rows(url: str | None, kinds: Iterable[str] | None = None) -> list[dict]:
    with session_scope(url) as s:
        q = (
            select(Service, Municipality.name)
            .outerjoin(Municipality, Service.municipality_id == Municipality.id)
            .options(selectinload(Service.phones))
            .order_by(Municipality.name, Service.kind, Service.name)
        )
        if kinds:
            q = q.where(Service.kind.in_(list(kinds)))
        return [
            {
                "id": r.id, "kind": r.kind, "name": r.name, "municipality": m or "", "address": r.address or "",
                "phones": "; ".join(p.number + (f" ({p.label})" if p.label else "") for p in r.phones),
                "hours": r.hours_text or "", "source_url": r.source_url, "source_date": r.source_date or "",
                "verified_on": r.verified_on.isoformat(), "confidence": r.confidence,
            }
            for r, m in s.execute(q).all()
        ]


def stale(url: str | None, months: int = 12, today: dt.date | None = None) -> list[dict]:
    """Records whose verified-on date is more than `months` months old, with their age in months."""
    today = today or dt.date.today()
    out = []
    for row in _rows(url):
        age = _months_between(dt.date.fromisoformat(row["verified_on"]), today)
        if age > months:
            out.append({**row, "age_months": age})
    return out


def write_csv(rows: list[dict], out: IO[str], fields: list[str] | None = None) -> None:
    """CSV for volunteers who check listings by phone (UTF-8, one header row)."""
    fields = fields or (list(rows[0]) if rows else EXPORT_FIELDS)
    writer = csv.DictWriter(out, fieldnames=fields, extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)


def export(url: str | None, kinds: Iterable[str] | None = None) -> list[dict]:
    """All services (or those of some kinds), one row each."""
    return _rows(url, kinds)


@dataclass(frozen=True)
class Coverage:
    """What the knowledge base knows for one municipality."""

    municipality: str
    social_service: int
    social_service_contact: int  # with a phone or an address
    shelter: int
    food: int
    verified: int
    total: int


def coverage(url: str | None) -> list[Coverage]:
    """Per active municipality: social-service contact, shelter, food help, and how many records are verified."""
    with session_scope(url) as s:
        municipalities = s.scalars(
            select(Municipality).where(Municipality.merged_into.is_(None)).order_by(Municipality.name)
        ).all()
        services = s.scalars(select(Service).options(selectinload(Service.phones))).all()
        by_muni: dict[str, list[Service]] = {}
        for sv in services:
            by_muni.setdefault(sv.municipality_id, []).append(sv)
        out = []
        for m in municipalities:
            rows = by_muni.get(m.id, [])
            social = [r for r in rows if r.kind == "social_service"]
            out.append(Coverage(
                municipality=m.name, social_service=len(social),
                social_service_contact=sum(1 for r in social if r.phones or r.address),
                shelter=sum(1 for r in rows if r.kind in SHELTER_KINDS),
                food=sum(1 for r in rows if r.kind in FOOD_KINDS),
                verified=sum(1 for r in rows if r.confidence == "verified"), total=len(rows),
            ))
        return out


def coverage_table(rows: list[Coverage]) -> str:
    """A Markdown table plus a totals line."""
    lines = ["| municipality | social service contact | shelter | food | verified / records |", "|---|---|---|---|---|"]
    for c in rows:
        lines.append(
            f"| {c.municipality} | {'yes' if c.social_service_contact else 'no'} | {c.shelter} | {c.food} | "
            f"{c.verified} / {c.total} |"
        )
    n = len(rows)
    lines.append(
        f"| **{n} municipalities** | {sum(1 for c in rows if c.social_service_contact)} of {n} | "
        f"{sum(1 for c in rows if c.shelter)} of {n} | {sum(1 for c in rows if c.food)} of {n} | "
        f"{sum(c.verified for c in rows)} / {sum(c.total for c in rows)} |"
    )
    return "\n".join(lines)
