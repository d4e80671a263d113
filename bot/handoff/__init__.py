"""Handoff: a person's question handed to a volunteer (a human), run by the front door so that a crashed Rasa or
action server cannot drop a request.

Split by job, as the people who use it see it:
- person.py: the person's side: what would be shared, consent, their own words, relaying while a volunteer has the
  conversation, leaving, and forgetting;
- desk.py: the volunteers' commands (/rinda, /nemt, /atb ...), one table that names each handler;
- verify.py: the volunteers' calls that keep the listings true (/parbaudit, its buttons, /jauns);
- announcer.py: telling volunteers (a group gets only number, urgency and place; the rest goes to a volunteer
  directly), re-announcing, expiring.
Storage is personal.handoff.HandoffStore; delivery is a Messenger the channel provides.
"""

from __future__ import annotations

import datetime as dt
from typing import Callable

from bot.handoff.announcer import Announcer, Courier, Messenger
from bot.handoff.desk import VOLUNTEER_COMMANDS, Desk
from bot.handoff.person import CATEGORIES, PersonSide
from bot.handoff.verify import Verify
from knowledge.db import now_utc
from knowledge.verifications import Verifications
from bot.settings import Settings
from personal.handoff import HandoffStore
from survey.events import EventLog

__all__ = ["CATEGORIES", "VOLUNTEER_COMMANDS", "Handoff", "Messenger"]


class Handoff(PersonSide, Desk, Verify, Announcer):
    """The jobs over one store, one courier and one clock."""

    def __init__(self, settings: Settings, store: HandoffStore, sender_of: Callable[[int | str], str],
                 messenger: Messenger | None = None, clock: Callable[[], dt.datetime] | None = None,
                 survey: EventLog | None = None, checks: Verifications | None = None):
        self._settings = settings
        self._store = store
        self._checks = checks  # the volunteers' calls (None: /parbaudit is not offered)
        self._survey = survey  # a request handed to volunteers is counted (survey/)
        self._sender_of = sender_of  # Telegram user id -> pseudonymous id (volunteers are never shown it)
        self._clock = clock or now_utc
        self.courier = Courier(settings, store, messenger)
        Announcer.__init__(self)
