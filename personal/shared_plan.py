"""A shared plan: a document plan given with a one-time link (Telegram deep linking): random, single use, TTL days, and nothing
personal in it. Only the token's hash is stored. Opening the link claims it (a conditional update: one opener
only); the plan waits for the person's consent and is deleted when they decide, or when the link expires."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from sqlalchemy import delete, or_, select, update

from knowledge.checklist import Situation
from knowledge.db import affected, aware, session_scope
from personal import rows, tombstone
from personal.checklist import from_json, to_json
from personal.crypto import ChatRefCipher
from personal.models import SharedPlan

TTL = dt.timedelta(days=7)
DECIDE_WITHIN = dt.timedelta(days=1)  # an opened link waits this long for "yes" or "no"


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class Opened:
    """A link just opened: the plan to show, and where to tell the helper (None if it cannot be opened)."""

    id: int
    situation: Situation
    helper_chat_ref: str | None
    helper: str
    helper_language: str


class SharedPlanStore:
    """The shared_plan table, with the helper's chat sealed."""

    def __init__(self, url: str | None, cipher: ChatRefCipher):
        self._url = url
        self._cipher = cipher

    def create(self, sender: str, chat_ref: str, situation: Situation, language: str = "lv",
               now: dt.datetime | None = None, ttl: dt.timedelta = TTL) -> str | None:
        """A new link for the helper's plan: the token (shown once, never stored); None right after /dzest."""
        if tombstone.is_buried(self._url, sender):
            return None
        now = now or dt.datetime.now(dt.timezone.utc)
        token = secrets.token_urlsafe(18)  # 144 random bits, URL-safe: fits Telegram's 64-character start payload
        with session_scope(self._url) as s:
            s.add(SharedPlan(token_hash=_hash(token), sender=sender, chat_ref=self._cipher.seal(chat_ref),
                             language=language, situation=to_json(situation), status="open", created_at=now,
                             expires_at=now + ttl))
        return token

    def open(self, token: str, person: str, now: dt.datetime | None = None) -> Opened | None:
        """Claim a link for the person who opened it: once, before it expires; None otherwise."""
        now = now or dt.datetime.now(dt.timezone.utc)
        with session_scope(self._url) as s:
            won = affected(s.execute(update(SharedPlan).where(
                SharedPlan.token_hash == _hash(token), SharedPlan.status == "open", SharedPlan.expires_at > now,
            ).values(status="opened", opened_by=person)))
            if not won:
                return None
            row = s.scalars(select(SharedPlan).where(SharedPlan.token_hash == _hash(token))).one()
            chat_ref, helper = self._cipher.open(row.chat_ref), row.sender
            row.chat_ref = None  # told once, then the helper's chat is not kept
            # The answer is awaited a day at most, and never past the seven days promised.
            row.expires_at = min(aware(row.expires_at), now + DECIDE_WITHIN)
            return Opened(row.id, from_json(row.situation), chat_ref, helper, row.language)

    def decide(self, plan_id: int, person: str) -> Situation | None:
        """The person's answer: the plan (to keep, if they said yes), and the shared plan is deleted either way."""
        mine = (SharedPlan.id == plan_id, SharedPlan.status == "opened", SharedPlan.opened_by == person)
        with session_scope(self._url) as s:
            row = s.scalar(select(SharedPlan).where(*mine))
            if row is None:
                return None
            situation = from_json(row.situation)
            # "Jā" and "Nē" pressed together: only the delete that finds the row decides.
            return situation if affected(s.execute(delete(SharedPlan).where(*mine))) else None

    def cancel(self, sender: str) -> int:
        """The helper takes back every link they have not seen opened."""
        with session_scope(self._url) as s:
            return affected(s.execute(delete(SharedPlan).where(SharedPlan.sender == sender,
                                                        SharedPlan.status == "open")))


def forget(url: str | None, sender: str) -> int:
    """/dzest: the links a helper made, and a plan waiting for this person's answer."""
    return rows.remove(url, SharedPlan, or_(SharedPlan.sender == sender, SharedPlan.opened_by == sender))


def count(url: str | None, sender: str) -> int:
    """The links this helper has made that are still kept."""
    return rows.count(url, SharedPlan, SharedPlan.sender == sender)


def purge(url: str | None, now: dt.datetime, dry_run: bool = False) -> int:
    """Expired links, and opened ones nobody answered in time."""
    return rows.remove(url, SharedPlan, SharedPlan.expires_at < now, dry_run)
