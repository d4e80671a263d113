"""The one composition root: the front door for the terminal, long polling and the webhook, put together here."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from functools import cache

from bot.checkins import Checkins
from bot.documents import PlanDocuments
from bot.fallback import KnowledgeFacts
from bot.collaborators import Schedule, later
from bot.frontdoor import FrontDoor
from bot.handoff import Handoff, Messenger
from bot.pseudonym import sender_id
from bot.rasa_client import RasaClient
from bot.shared_plan import SharedPlans
from bot.reminders import Reminders
from bot.settings import Settings
from crisis.model import CrisisModel, ModelMissing
from crisis.signal import CrisisSignal
from knowledge.repository import SqlKnowledgeRepository
from knowledge.db import ScrubIncomplete, now_utc
from knowledge.verifications import Verifications
from lvnorm.requester import role_of
from personal import checklist, registry, tracker
from personal.checkins import CheckinStore
from personal.crypto import ChatRefCipher
from personal.handoff import HandoffStore
from personal.shared_plan import SharedPlanStore
from personal.reminders import ReminderStore
from personal.store import SqlPersonalData
from survey.events import EventLog

log = logging.getLogger(__name__)


@cache
def repository(url: str | None) -> SqlKnowledgeRepository:
    """One repository per database for the front door's own answers (the resolver inside is built once)."""
    return SqlKnowledgeRepository(url)


def crisis_signal(settings: Settings) -> CrisisSignal:
    """Patterns and the statistical signal; a missing model stops the start, it never switches itself off."""
    if not settings.crisis_model:  # CRISIS_MODEL=off: patterns only, said out loud in the settings
        return CrisisSignal()
    model = CrisisModel()
    if not model.ready():
        raise ModelMissing("the crisis model is not built for the current data: run `python -m crisis build` "
                           "(make run and make test do it), or set CRISIS_MODEL=off to run on the patterns alone")
    return CrisisSignal(model)


def build_front_door(settings: Settings, channel: str, messenger: Messenger | None = None,
                     schedule: Schedule = later, bot_username: str | None = None) -> FrontDoor:
    """Everything the front door needs, for one channel ('telegram' or 'terminal'; Telegram gives the bot's own
    name, for deep links)."""
    cipher = ChatRefCipher(settings.chat_ref_key)
    handoffs = HandoffStore(settings.knowledge_db_url, cipher)
    people = SqlPersonalData(settings.knowledge_db_url, settings.tracker_db_url,
                             registry.build(settings.knowledge_db_url, settings.tracker_db_url, handoffs,
                                            settings.retention),
                             settings.retention.held, settings.forget_recheck)
    survey = EventLog(settings.knowledge_db_url)
    handoff = Handoff(settings, handoffs, lambda user_id: sender_id(settings.sender_secret, channel, user_id),
                      messenger, survey=survey, checks=Verifications(settings.knowledge_db_url))
    reminders = Reminders(
        ReminderStore(settings.knowledge_db_url, cipher), lambda: repository(settings.knowledge_db_url),
        lambda sender: checklist.load(settings.knowledge_db_url, sender),
        lambda sender: tracker.recent(settings.tracker_db_url, sender).municipality,
        settings.morning_at, messenger if channel == "telegram" else None)
    shared_plans = SharedPlans(
        SharedPlanStore(settings.knowledge_db_url, cipher), lambda: repository(settings.knowledge_db_url),
        lambda sender: checklist.load(settings.knowledge_db_url, sender),
        lambda sender, situation: checklist.save(settings.knowledge_db_url, sender, situation),
        settings.retention.checklist.days, messenger, bot_username)
    checkins = Checkins(
        CheckinStore(settings.knowledge_db_url, cipher), survey, lambda: repository(settings.knowledge_db_url),
        lambda sender: role_of(tracker.recent(settings.tracker_db_url, sender).requester),
        handoffs.report_listing, settings.checkin_at, messenger if channel == "telegram" else None)
    return FrontDoor(
        settings, RasaClient(settings.rasa_urls, settings.rasa_timeout), people,
        KnowledgeFacts(settings.knowledge_db_url), crisis_signal(settings), handoff,
        PlanDocuments(settings.knowledge_db_url), schedule, reminders=reminders, shared_plans=shared_plans,
        checkins=checkins, survey=survey,
    )


async def retention_round(door: FrontDoor, now: dt.datetime | None = None) -> dict[str, int]:
    """What is past its retention goes, and every /dzest whose second pass is due gets it (after a restart too)."""
    now = now or now_utc()
    if door.people is None:  # nothing stored, nothing to purge
        return {}
    try:
        purged = await asyncio.to_thread(door.people.registry.purge, now)
    except ScrubIncomplete:  # the rows are deleted; their old pages stay in the file until a later scrub
        log.warning("retention: the files' scrub was blocked by a reader")
        purged = {}
    for sender in await asyncio.to_thread(door.people.due_rechecks, now):
        await door.forget_again(sender)
    if any(purged.values()):
        log.info("retention: %d rows deleted", sum(purged.values()))
    return purged
