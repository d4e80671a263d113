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
from knowledge.records import FOOD_KINDS, SHELTER_KINDS, ServiceInfo, undated

EXPORT_FIELDS = [
    "id", "kind", "name", "municipality", "address", "phones", "hours", "source_url", "source_date",
    "verified_on", "confidence", "verified_how",
]


def _months_between(earlier: dt.date, later: dt.date) -> int:
    return (later.year - earlier.year) * 12 + later.month - earlier.month - (later.day < earlier.day)


def _rows(url: str | None, kinds: Iterable[str] | None = None) -> list[dict]:
    """One row per listing as people see it: the volunteers' calls applied, the closed ones left out."""
    from knowledge import verifications
    from knowledge.repository import _service_info

    with session_scope(url) as s:
        q = (
            select(Service, Municipality.name)
            .outerjoin(Municipality, Service.municipality_id == Municipality.id)
            .options(selectinload(Service.phones))
            .order_by(Municipality.name, Service.kind, Service.name)
        )
        if kinds:
            q = q.where(Service.kind.in_(list(kinds)))
        shown = verifications.apply_all(s, [_service_info(r, m) for r, m in s.execute(q).all()])
    return [
        {
            "id": r.id, "kind": r.kind, "name": r.name, "municipality": r.municipality or "", "address": r.address or "",
            "phones": "; ".join(p.number + (f" ({p.label})" if p.label else "") for p in r.phones),
            "hours": r.hours_text or "", "source_url": r.provenance.source_url,
            "source_date": r.provenance.source_date or "", "verified_on": r.provenance.verified_on,
            "confidence": r.provenance.confidence, "verified_how": r.provenance.verified_how or "",
        }
        for r in shown
    ]


def stale(url: str | None, months: int = 12, today: dt.date | None = None) -> list[dict]:
    """Records whose verified-on date is more than `months` months old, with their age in months, and records of
    unknown age (a source without a date that nobody has checked since: age_months is empty)."""
    today = today or dt.date.today()
    out = []
    for row in _rows(url):
        if undated(row["source_date"] or None, row["verified_how"] or None):
            out.append({**row, "age_months": None})
            continue
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
    social_service_phone_and_address: int = 0  # with both
    nearest_shelter_km: float | None = None  # 0 with a shelter of its own; else to the nearest one elsewhere
    oldest_source: str | None = None  # the oldest source date of what a person there could be shown
    state_city: bool = False
    recent: int = 0  # verified, from a source dated (or a call made) in RECENT_FROM or later
    calls: int = 0  # confirmed or changed by a volunteer's call


RECENT_FROM = "2024"  # "a source dated 2024 or later" (the knowledge issue's freshness figure)


def coverage(url: str | None) -> list[Coverage]:
    """Per active municipality: social-service contact, shelter, food help, how far the nearest shelter is, how many
    records are verified, and the oldest source date among them."""
    from knowledge.repository import SqlKnowledgeRepository

    from knowledge import verifications
    from knowledge.repository import _service_info

    repo = SqlKnowledgeRepository(url)
    with session_scope(url) as s:
        municipalities = s.scalars(
            select(Municipality).where(Municipality.merged_into.is_(None)).order_by(Municipality.name)
        ).all()
        services = s.scalars(select(Service).options(selectinload(Service.phones))).all()
        # As people see them: the volunteers' calls applied, the closed ones gone.
        shown = {i.id: i for i in verifications.apply_all(s, [_service_info(sv, None) for sv in services])}
        by_muni: dict[str, list[ServiceInfo]] = {}
        for sv in services:
            if sv.municipality_id is not None and sv.id in shown:  # national services belong to no municipality
                by_muni.setdefault(sv.municipality_id, []).append(shown[sv.id])
        out = []
        for m in municipalities:
            rows = by_muni.get(m.id, [])
            social = [r for r in rows if r.kind == "social_service"]
            shelters = sum(1 for r in rows if r.kind in SHELTER_KINDS)
            elsewhere = [] if shelters else repo.nearest_elsewhere(SHELTER_KINDS, m.name, limit=1)
            dates = [r.provenance.source_date for r in rows if r.provenance.source_date]
            out.append(Coverage(
                municipality=m.name, social_service=len(social),
                social_service_contact=sum(1 for r in social if r.phones or r.address),
                shelter=sum(1 for r in rows if r.kind in SHELTER_KINDS),
                food=sum(1 for r in rows if r.kind in FOOD_KINDS),
                verified=sum(1 for r in rows if r.provenance.confidence == "verified"), total=len(rows),
                social_service_phone_and_address=sum(1 for r in social if r.phones and r.address),
                nearest_shelter_km=0.0 if shelters else (elsewhere[0].distance_km if elsewhere else None),
                oldest_source=min(dates) if dates else None,
                state_city=m.kind == "state_city", recent=sum(1 for r in rows if _recent(r)),
                calls=sum(1 for r in rows if r.provenance.verified_how == "phone"),
            ))
        return out


def _recent(r: ServiceInfo) -> bool:
    """Verified from sources dated RECENT_FROM or later (every fact of it: a 2026 page with a 2020 phone number is
    not recent), or by a call since then."""
    p = r.provenance
    dated = p.verified_on if p.verified_how == "phone" else (p.oldest_source_date or "")
    return p.confidence == "verified" and dated >= RECENT_FROM


def coverage_table(rows: list[Coverage]) -> str:
    """A Markdown table plus a totals line."""
    lines = ["| municipality | social service: phone or address | phone and address | shelter | nearest shelter, km "
             "| food | verified / records | oldest source |", "|---|---|---|---|---|---|---|---|"]
    for c in rows:
        km = "–" if c.nearest_shelter_km is None else f"{c.nearest_shelter_km:.0f}"
        lines.append(
            f"| {c.municipality} | {'yes' if c.social_service_contact else 'no'} | "
            f"{'yes' if c.social_service_phone_and_address else 'no'} | {c.shelter} | {km} | {c.food} | "
            f"{c.verified} / {c.total} | {c.oldest_source or '–'} |"
        )
    n = len(rows)
    reach = [c.nearest_shelter_km for c in rows if c.nearest_shelter_km is not None]
    lines.append(
        f"| **{n} municipalities** | {sum(1 for c in rows if c.social_service_contact)} of {n} | "
        f"{sum(1 for c in rows if c.social_service_phone_and_address)} of {n} | "
        f"{sum(1 for c in rows if c.shelter)} of {n} | {len(reach)} of {n} within {max(reach, default=0):.0f} km | "
        f"{sum(1 for c in rows if c.food)} of {n} | {sum(c.verified for c in rows)} / {sum(c.total for c in rows)} | "
        f"{min((c.oldest_source for c in rows if c.oldest_source), default='–')} |"
    )
    cities = [c for c in rows if c.state_city]
    local, recent = sum(c.total for c in cities), sum(c.recent for c in cities)
    lines += ["", f"State cities: {recent} of {local} local records verified from a source dated {RECENT_FROM} or later "
                  f"({100 * recent / max(local, 1):.0f} %); {sum(c.calls for c in rows)} records checked by a "
                  f"volunteer's call."]
    return "\n".join(lines)
