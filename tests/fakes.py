"""In-memory stand-ins (the knowledge base, Rasa, the person-data stores, the crisis model, clocks) for the tests."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field, replace
from typing import Sequence

from crisis.model import CrisisModel
from knowledge.records import BenefitInfo, MunicipalityInfo, PhoneInfo, ProcedureInfo, Provenance, ServiceInfo, Topic
from knowledge.repository import duties
from personal.checklist import from_json, to_json
from personal.reminders import Due

PROV = Provenance("https://www.pmlp.gov.lv/x", "2025-12-18", "2026-11-25", "verified")


def procedure(id: str, name: str, **kw) -> ProcedureInfo:
    """A procedure record with sensible defaults."""
    return ProcedureInfo(id=id, name=name, summary=tuple(kw.get("summary", ("Ko darīt.",))), where_text=kw.get("where"),
                         bring=tuple(kw.get("bring", ())), requires=(), unlocks=(), cost_text=kw.get("cost"),
                         deadline_days_after_release=None, deadline_text=kw.get("deadline"), working_age_only=False,
                         provenance=PROV)


def benefit(id: str, kind: str, name: str, municipality=None, **kw) -> BenefitInfo:
    """A benefit record with sensible defaults."""
    return BenefitInfo(id=id, kind=kind, name=name, municipality=municipality, amount_text=kw.get("amount"),
                       conditions=tuple(kw.get("conditions", ())), bring=(), deadline_days_after_release=30,
                       deadline_text=kw.get("deadline"), provenance=PROV)


def service(kind: str, name: str, municipality: str, confidence: str = "verified", phones=("65421500",), **kw) -> ServiceInfo:
    """A service record with sensible defaults."""
    return ServiceInfo(
        id=kw.get("id", name.lower().replace(" ", "-")), kind=kind, name=name, municipality=municipality,
        address=kw.get("address", "Šaurā iela 23, Daugavpils"),
        phones=tuple(PhoneInfo(p, kw.get("label"), None) for p in phones),
        hours_text=kw.get("hours_text", "18.00–8.00"), conditions=tuple(kw.get("conditions", ("Bez maksas.",))),
        bring=tuple(kw.get("bring", ())), gender=None,
        provenance=Provenance(kw.get("source_url", "https://daugavpils.lv/x"), kw.get("source_date", "2024-10"),
                              "2026-11-25", confidence),
    )


@dataclass
class FakeRepository:
    """Answers from a list; records what was asked."""

    rows: list[ServiceInfo] = field(default_factory=list)
    asked: list[tuple] = field(default_factory=list)
    topics: dict = field(default_factory=dict)
    steps: list[ProcedureInfo] = field(default_factory=list)
    money: list[BenefitInfo] = field(default_factory=list)

    def services(self, kinds: Sequence[str], municipality: str | None, at=None, temperature_c=None,
                 limit=None) -> list[ServiceInfo]:
        self.asked.append((tuple(kinds), municipality))
        found = [r for r in self.rows if r.kind in kinds and r.municipality == municipality]
        return found[:limit] if limit else found

    def municipality(self, name: str) -> MunicipalityInfo | None:
        return MunicipalityInfo(name, "state_city", None)

    def resolve_place(self, text: str) -> str | None:
        return None

    def topic(self, name: str) -> Topic | None:
        return self.topics.get(name)

    def procedures(self, ids):
        return [p for i in ids for p in self.steps if p.id == i]

    def benefits(self, kinds, municipality):
        found = [b for b in self.money if b.kind in kinds and b.municipality in (None, municipality)]
        return sorted(found, key=lambda b: b.municipality is None)  # as the real one: the municipality's own first

    def services_by_id(self, ids):
        return [r for i in ids for r in self.rows if r.id == i]

    def duties(self):
        return duties()  # the real rules: they are reviewed data, not a collaborator to fake

    def centre(self, municipality):
        return (56.0, 25.0, municipality)

    def nearest_elsewhere(self, kinds, municipality, limit=2):
        found = [r for r in self.rows if r.kind in kinds and r.municipality != municipality  # as the real one: only
                 and r.distance_km is not None]  # places with coordinates have a distance
        return sorted(found, key=lambda r: r.distance_km)[:limit]


# --- the front door's collaborators ---------------------------------------------------------------------------------
from bot.rasa_client import RasaUnavailable, Reply  # noqa: E402
from bot.settings import Settings  # noqa: E402
from sqlalchemy import create_engine, text as sql  # noqa: E402
from crisis.signal import NONE  # noqa: E402
from personal.registry import Registry  # noqa: E402
from personal.store import PersonalSummary  # noqa: E402


class FakeRasa:
    """Answers with fixed replies (or is down); records what was sent and the metadata."""

    def __init__(self, replies=None, fail=False):
        self.sent, self.replies, self.fail, self.metadata = [], replies or [Reply("ok")], fail, []

    async def send(self, sender, message, metadata=None):
        self.sent.append((sender, message))
        self.metadata.append(metadata)
        if self.fail:
            raise RasaUnavailable("down")
        return list(self.replies)

    async def aclose(self):
        pass


class FakePeople:
    """Person data in memory, with a registry the front door adds its own stores to."""

    def __init__(self, broken=False):
        self.held, self.forgotten, self.rechecked, self.broken = [], [], [], broken
        self.failing_rechecks = 0  # how many second passes fail before one succeeds
        self.registry = Registry()

    def _check(self):
        if self.broken:
            raise RuntimeError("database is locked")

    def hold(self, sender, text, language, reason):
        self._check()
        self.held.append((sender, text, reason))
        return True

    def take_held(self, sender):
        self._check()
        mine = [h[1] for h in self.held if h[0] == sender]
        self.held = [h for h in self.held if h[0] != sender]
        return mine

    def describe(self, sender):
        self._check()
        return PersonalSummary(3, {"municipality": "Daugavpils", "declared_municipality": "none"},
                               len([h for h in self.held if h[0] == sender]))

    def forget(self, sender):
        self._check()
        self.forgotten.append(sender)
        return 7 + sum(self.registry.forget(sender).values())

    def forget_again(self, sender):
        self.rechecked.append(sender)
        if self.failing_rechecks:
            self.failing_rechecks -= 1
            raise RuntimeError("a reader kept the write-ahead log")
        return 0

    def due_rechecks(self, now):
        return []


class FakeFacts:
    """What the front door can say without Rasa: shelter cards for a message, cards near a location."""

    def __init__(self, topic=None, cards=(), near=()):
        self.topic, self.cards, self.near = topic, list(cards), list(near)

    def for_message(self, message, language="lv"):
        return self.topic, self.cards

    def nearby(self, latitude, longitude, language="lv"):
        return self.near

    def night_plan(self, latitude, longitude, language="lv"):
        return f"🌙 {self.near[0]}" if self.near else None


class FakeSignal:
    """A crisis signal that answers what the test says."""

    def __init__(self, answer=NONE):
        self.answer, self.seen = answer, []

    def assess(self, message):
        self.seen.append(message)
        return self.answer


class Clock:
    """A monotonic clock the test moves by hand."""

    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


class Messenger:
    """Records what the front door sends outside a turn (to volunteers, reminders, check-ins); a chat in `down`, or
    every chat when `ok` is False, cannot be reached."""

    def __init__(self, ok: bool = True):
        self.sent: list[tuple[str, Reply]] = []
        self.down: set[str] = set()
        self.ok = ok

    async def send(self, chat_ref, replies, sender=None):
        if not self.ok or chat_ref in self.down:
            return False
        self.sent += [(chat_ref, r) for r in replies]
        return True

    def to(self, chat_ref) -> list[str]:
        """The texts sent to one chat."""
        return [r.text for c, r in self.sent if c == str(chat_ref)]


class Later:
    """A scheduler that keeps jobs for the test to run."""

    def __init__(self):
        self.jobs = []

    def __call__(self, delay, job):
        self.jobs.append((delay, job))


def shown(messages: list[dict]) -> list[dict]:
    """An action's messages as the person sees them: without the counts for the survey."""
    return [m for m in messages if "survey" not in (m.get("custom") or {})]


def counted(messages: list[dict]) -> list[dict]:
    """The counts an action sent for the survey (actions/survey.py)."""
    return [m["custom"]["survey"] for m in messages if "survey" in (m.get("custom") or {})]


class FakePlanStore:
    """The document plans (personal/checklist.py), kept as their JSON."""

    def __init__(self):
        self.rows = {}

    def save(self, url, sender, situation):
        self.rows[sender] = to_json(situation)
        return True

    def load(self, url, sender):
        return from_json(self.rows[sender]) if sender in self.rows else None


class FakeReminderStore:
    """The morning reminders (personal/reminders.py): asked, claimed when due, done or retried."""

    def __init__(self):
        self.rows, self.done_ids, self.retried = {}, [], []

    def ask(self, sender, channel, chat_ref, language, due_at, now=None):
        self.rows[sender] = Due(len(self.rows) + 1, sender, channel, chat_ref, language), due_at
        return True

    def claim_due(self, now, limit=50):
        due = [d for d, at in self.rows.values() if at <= now]
        for d in due:
            del self.rows[d.sender]
        return due

    def done(self, rid):
        self.done_ids.append(rid)

    def retry(self, rid, now):
        self.retried.append(rid)


class FakeCrisisModel:
    """The statistical crisis model with a fixed probability (or an error), recording the vectors it was given."""

    threshold, urgent = 0.5, 0.95
    level = CrisisModel.level  # the real rule on the fake's thresholds

    def __init__(self, p=0.1, error=None):
        self.p, self.error, self.seen = p, error, []

    def probability(self, text, vector):
        self.seen.append(vector)
        if self.error is not None:
            raise self.error
        return self.p


class FakeHandoff:
    """Volunteers reachable or not; nobody holds the conversation."""

    def __init__(self, reachable):
        self._reachable = reachable

    async def reachable(self):
        return self._reachable

    async def intercept(self, sender, message, lang, crisis):
        return None


class WallClock:
    """A UTC clock the test moves by hand."""

    def __init__(self, hour: int = 12):  # 12:00 UTC is 14:00 in Riga: volunteers' working hours
        self.now = dt.datetime(2026, 11, 25, hour, 0, tzinfo=dt.timezone.utc)

    def __call__(self):
        return self.now


ADMIN, GROUP = 9001, -100500  # the handoff tests' admin and volunteer group


def door_settings(tmp_path, **extra) -> Settings:
    """The front door's settings for a test: SQLite files under tmp_path, an admin and a volunteer group, no Rasa."""
    base = Settings(rasa_urls=("http://127.0.0.1:1",), rasa_timeout=1, telegram_token=None, telegram_base_url=None,
                    sender_secret=b"k" * 32, tracker_db_url=f"sqlite:///{tmp_path / 'tracker.sqlite'}",
                    knowledge_db_url=f"sqlite:///{tmp_path / 'kb.sqlite'}", max_text_chars=1000,
                    admin_ids=frozenset({ADMIN}), volunteer_chat_id=GROUP)
    return replace(base, **extra)


def tracker(url: str, sender: str, intents: list[str], municipality: str | None = None, language: str = "lv",
            shown: list[str] = (), requester: str | None = None) -> None:
    """A stand-in for Rasa's SQL tracker store: a minimal events table with what the front door reads from it."""
    eng = create_engine(url)
    with eng.begin() as c:
        c.execute(sql("CREATE TABLE IF NOT EXISTS events (id INTEGER PRIMARY KEY, sender_id TEXT, type_name TEXT, "
                      "timestamp REAL, intent_name TEXT, action_name TEXT, data TEXT)"))
        rows = [("slot", None, {"event": "slot", "name": "language", "value": language})]
        rows += [("user", i, {"event": "user", "text": "…"}) for i in intents]
        if municipality:
            rows.append(("slot", None, {"event": "slot", "name": "municipality", "value": municipality}))
        if requester:
            rows.append(("slot", None, {"event": "slot", "name": "requester", "value": requester}))
        rows += [("bot", None, {"event": "bot", "text": f"🏠 {name}\n📍 Adrese: …"}) for name in shown]
        for type_name, intent, data in rows:
            c.execute(sql("INSERT INTO events (sender_id, type_name, intent_name, data) VALUES (:s, :t, :i, :d)"),
                      {"s": sender, "t": type_name, "i": intent, "d": json.dumps(data)})
