"""Validate the human-edited data files and load them into the database (idempotent)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import yaml
from sqlalchemy import delete

from knowledge.db import session_scope
from knowledge.models import Municipality, Phone, Place, Service

DATA = Path(__file__).resolve().parent / "data"
KINDS = {
    "night_shelter", "shelter", "day_centre", "crisis_centre", "social_service", "soup_kitchen",
    "food_packages", "rehab", "hotline", "institution",
}
CONFIDENCE = {"verified", "partially_verified", "unverified"}
_PHONE = re.compile(r"^(\d{8}|\d{3,6})$")
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_TIME = re.compile(r"^([01]\d|2[0-4]):[0-5]\d$")
_MMDD = re.compile(r"^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$")


@dataclass
class Dataset:
    """Everything read from the data files, plus what is wrong with it."""

    municipalities: list[dict]
    services: list[dict]
    reviews: dict[str, dt.date]
    errors: list[str] = field(default_factory=list)


def read(data_dir: Path = DATA) -> Dataset:
    """Read and validate the data files; errors are collected, not raised."""
    def load(name):
        with open(data_dir / name, encoding="utf-8") as fh:
            return yaml.safe_load(fh) or []

    ds = Dataset(load("municipalities.yaml"), load("services.yaml"), load("reviews.yaml"))
    _validate(ds)
    return ds


def _provenance_errors(where: str, rec: dict) -> list[str]:
    errs = []
    if not rec.get("source_url"):
        errs.append(f"{where}: missing source_url")
    if rec.get("source_date") is not None and not _DATE.match(str(rec["source_date"])):
        errs.append(f"{where}: source_date {rec['source_date']!r} is not YYYY, YYYY-MM or YYYY-MM-DD")
    if rec.get("confidence") not in CONFIDENCE:
        errs.append(f"{where}: confidence must be one of {sorted(CONFIDENCE)}")
    return errs


def _validate(ds: Dataset) -> None:
    err = ds.errors
    names, ids = set(), set()
    for m in ds.municipalities:
        where = f"municipality {m.get('id')}"
        if m.get("id") in ids:
            err.append(f"{where}: duplicate id")
        ids.add(m.get("id"))
        names.add(m.get("name"))
        if m.get("kind") not in {"state_city", "novads"}:
            err.append(f"{where}: kind must be state_city or novads")
        err.extend(_provenance_errors(where, m))
    for m in ds.municipalities:
        if m.get("merged_into") and m["merged_into"] not in names:
            err.append(f"municipality {m['id']}: merged_into {m['merged_into']!r} is unknown")
    sids = set()
    for s in ds.services:
        where = f"service {s.get('id')}"
        if s.get("id") in sids:
            err.append(f"{where}: duplicate id")
        sids.add(s.get("id"))
        if s.get("kind") not in KINDS:
            err.append(f"{where}: unknown kind {s.get('kind')!r}")
        if s.get("municipality") is not None and s["municipality"] not in names:
            err.append(f"{where}: unknown municipality {s['municipality']!r}")
        for p in s.get("phones") or []:
            if not _PHONE.match(str(p.get("number", ""))):
                err.append(f"{where}: malformed phone {p.get('number')!r} (8 digits or a 3-6 digit short number)")
        for r in (s.get("hours") or {}).get("rules") or []:
            for key in ("open", "close"):
                if r.get(key) is not None and not _TIME.match(str(r[key])):
                    err.append(f"{where}: impossible {key} time {r[key]!r}")
            for key in ("season_from", "season_to"):
                if r.get(key) is not None and not _MMDD.match(str(r[key])):
                    err.append(f"{where}: impossible {key} {r[key]!r} (MM-DD)")
        err.extend(_provenance_errors(where, s))


def _verified_on(rec: dict, default: dt.date) -> dt.date:
    v = rec.get("verified_on")
    return dt.date.fromisoformat(str(v)) if v else default


def _prov(rec: dict, default: dt.date) -> dict:
    return {
        "source_url": rec["source_url"],
        "source_notes": rec.get("source_notes"),
        "source_date": str(rec["source_date"]) if rec.get("source_date") is not None else None,
        "verified_on": _verified_on(rec, default),
        "confidence": rec["confidence"],
    }


def load(url: str | None = None, data_dir: Path = DATA) -> Dataset:
    """Replace the reference data in the database with the data files' content, in one transaction."""
    ds = read(data_dir)
    if ds.errors:
        raise ValueError("data files are invalid:\n" + "\n".join(ds.errors))
    m_day = ds.reviews["municipalities.yaml"]
    s_day = ds.reviews["services.yaml"]
    by_name = {m["name"]: m["id"] for m in ds.municipalities}
    with session_scope(url) as s:
        for model in (Phone, Service, Place):
            s.execute(delete(model))
        s.execute(delete(Municipality).where(Municipality.merged_into.is_not(None)))
        s.execute(delete(Municipality))
        # Merged municipalities reference the surviving one by name: insert the survivors first.
        for m in sorted(ds.municipalities, key=lambda r: bool(r.get("merged_into"))):
            row = Municipality(
                id=m["id"], name=m["name"], kind=m["kind"], iso_code=m.get("iso_code"),
                website=m.get("website"), merged_into=m.get("merged_into"), **_prov(m, m_day),
            )
            row.places = [
                Place(name=p["name"], kind=p.get("kind", "town"), decl=p.get("decl"), ambiguous=bool(p.get("ambiguous")))
                for p in m.get("places") or []
            ]
            s.add(row)
            s.flush()
        for r in ds.services:
            hours = r.get("hours") or {}
            cond = r.get("conditions") or {}
            fee = cond.get("fee_per_night_eur")
            row = Service(
                id=r["id"], kind=r["kind"], name=r["name"],
                municipality_id=by_name.get(r.get("municipality")), address=r.get("address"),
                email=r.get("email"), website=r.get("website"),
                hours_text=hours.get("text"), hours_rules=hours.get("rules") or [],
                all_day_below_c=hours.get("all_day_below_c"),
                conditions_text=cond.get("text") or [], gender=cond.get("gender"),
                id_required=cond.get("id_required"), residence_required=cond.get("residence_required"),
                sobriety_required=cond.get("sobriety_required"),
                fee_per_night_eur=Decimal(str(fee)) if fee is not None else None,
                max_stay_days=cond.get("max_stay_days"), referral_required=cond.get("referral_required"),
                bring=cond.get("bring") or [], languages=r.get("languages") or [],
                latitude=r.get("latitude"), longitude=r.get("longitude"), **_prov(r, s_day),
            )
            row.phones = [
                Phone(position=i, number=str(p["number"]), label=p.get("label"), note=p.get("note"))
                for i, p in enumerate(r.get("phones") or [])
            ]
            s.add(row)
    return ds
