"""What the knowledge base answers with: plain, frozen records (no ORM object leaves knowledge/), and the rule of
which municipality owes what. The queries that make them are in knowledge/repository.py."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from knowledge.hours import is_open
from lvnorm.residence import NOWHERE, UNKNOWN

SHELTER_KINDS = ("night_shelter", "shelter")
FOOD_KINDS = ("soup_kitchen", "food_packages")
# A JSON object as stored: Russian texts, a fact's own source, a timetable rule, a plan's answers.
JsonObject = dict[str, Any]


def undated(source_date: str | None, verified_how: str | None) -> bool:
    """A record of unknown age: its source has no date and nobody has checked it since."""
    return source_date is None and verified_how is None


@dataclass(frozen=True)
class PhoneInfo:
    """A number and who answers it."""

    number: str
    label: str | None
    note: str | None


@dataclass(frozen=True)
class FactSource:
    """One fact's own source where it differs from its record's: a page and its date, or a volunteer's call."""

    field: str  # address | phones | hours | email | amount | council (the municipality's office, Council.fact)
    source_url: str | None
    date: str | None  # YYYY, YYYY-MM or YYYY-MM-DD; the day of the call when by_phone; None: undated, like its record
    by_phone: bool = False

    @classmethod
    def of(cls, name: str, fact: JsonObject) -> "FactSource":
        """From a data file's or a database row's `facts` entry."""
        if fact.get("by_phone"):
            return cls(name, None, str(fact["by_phone"]), True)
        date = fact.get("source_date")
        return cls(name, fact.get("source_url"), None if date is None else str(date))


@dataclass(frozen=True)
class Provenance:
    """Where a fact comes from and how sure we are of it."""

    source_url: str
    source_date: str | None
    verified_on: str
    confidence: str
    verified_how: str | None = None  # phone | page: how verified_on was checked (None: by the source's date)
    facts: tuple[FactSource, ...] = ()  # facts whose source differs from the record's

    @property
    def oldest_source_date(self) -> str | None:
        """The oldest date among the record's source and its facts' own sources (a volunteer's call aside)."""
        dates = [d for d in (self.source_date, *(f.date for f in self.facts if not f.by_phone)) if d]
        return min(dates) if dates else None

    @property
    def call_ahead(self) -> bool:
        """Partially verified and unverified facts must be checked by phone before a person relies on them."""
        return self.confidence != "verified"


@dataclass(frozen=True)
class Council:
    """A municipality's own office (municipalities.yaml `council`): the number to call when its service has none on
    record, with the page it comes from and that page's date (None: the page has none)."""

    phone: str
    address: str | None
    source_url: str
    source_date: str | None

    @classmethod
    def of(cls, value: JsonObject | None) -> "Council | None":
        """From a database row's `council` entry (the loader stores every value as a string or None)."""
        if not value:
            return None
        return cls(value["phone"], value.get("address"), value["source_url"], value.get("source_date"))

    @property
    def fact(self) -> FactSource:
        """Its number as a fact of its own, with its page and date, for the card's source lines."""
        return FactSource("council", self.source_url, self.source_date)


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
    hours_rules: tuple[JsonObject, ...] = ()
    all_day_below_c: int | None = None
    latitude: float | None = None
    longitude: float | None = None
    open_now: bool | None = None  # set when a query asked about a moment; None: the hours cannot tell
    opens_at: tuple[int, str] | None = None  # closed now, opens (0 today | 1 tomorrow, "18.00"): set for tonight's plan
    entry_over: str | None = None  # open now but takes no one new since this time ("21.00"): set for tonight's plan
    distance_km: float | None = None  # set by nearest()
    location_precision: str | None = None  # exact | town | centre: how well its point is known (knowledge.geo)
    residence_required: bool | None = None  # asks for a declared residence in its municipality
    council: Council | None = None  # its municipality's office: the number its card gives when it has none of its own
    ru: JsonObject | None = field(default=None, compare=False, repr=False)  # Russian texts (cards/render.py uses them)

    @property
    def findable(self) -> bool:
        """A person can find it or call it: it has an address or a phone (the repository ranks these first too)."""
        return bool(self.address or self.phones)

    def open_at(self, when: dt.datetime, temperature_c: float | None = None) -> bool | None:
        """Open at that moment by its hours rules (None when it has none)."""
        return is_open(list(self.hours_rules), when, self.all_day_below_c, temperature_c)


@dataclass(frozen=True)
class MunicipalityInfo:
    """A municipality's canonical name and kind."""

    name: str
    kind: str
    website: str | None


@dataclass(frozen=True)
class ProcedureInfo:
    """A step: what to do, where, what to bring, what it costs, by when."""

    id: str
    name: str
    summary: tuple[str, ...]
    where_text: str | None
    bring: tuple[str, ...]  # document names
    requires: tuple[str, ...]
    unlocks: tuple[str, ...]
    cost_text: str | None
    deadline_days_after_release: int | None
    deadline_text: str | None
    working_age_only: bool
    provenance: Provenance
    ru: JsonObject | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class BenefitInfo:
    """Money or a status, with its conditions and deadline."""

    id: str
    kind: str
    name: str
    municipality: str | None
    amount_text: str | None
    conditions: tuple[str, ...]
    bring: tuple[str, ...]  # document names
    deadline_days_after_release: int | None
    deadline_text: str | None
    provenance: Provenance
    bring_ids: tuple[str, ...] = ()
    ru: JsonObject | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class Topic:
    """What a question is answered with (knowledge/data/topics.yaml)."""

    procedures: tuple[str, ...] = ()
    benefits: tuple[str, ...] = ()
    services: tuple[str, ...] = ()
    local: tuple[str, ...] = ()
    anywhere: tuple[str, ...] = ()  # services for the whole country, shown when the municipality has none of `local`
    duty: str | None = None  # the duty (duties.yaml) whose municipality answers benefits and local services
    duties: bool = False  # the answer says which municipality owes what (with `duty`: also when the person has
    # no declared residence)
    tonight: bool = False  # the answer ends with tonight's bed where the person is (nowhere to live: nowhere to sleep)
    person: bool = False  # what is asked for is someone (a mentor, a volunteer): the answer ends offering a person


@dataclass(frozen=True)
class Duty:
    """Which municipality owes one kind of help, and why (knowledge/data/duties.yaml)."""

    id: str
    name: str
    basis: str  # "declared" (where the residence is or was declared), "present", "any", "nowhere" (see the data file)
    rule: str  # the rule in one plain sentence
    provenance: Provenance
    ru: JsonObject | None = field(default=None, compare=False, repr=False)


BASES = ("declared", "present", "any", "nowhere")


def owed_by(duty: Duty, declared: str | None, present: str | None) -> str | None:
    """The municipality that owes this help: the declared one for money and housing, else where the person is.
    With no declared residence known (or none at all), the place the person is in is the door to ask at."""
    if duty.basis in ("any", "nowhere"):
        return None
    if duty.basis == "declared" and declared not in (None, NOWHERE, UNKNOWN):
        return declared
    return present
