"""What python-telegram-bot's JobQueue runs for the front door: the volunteer queue's rounds, retention and the
second pass of /dzest, morning reminders, check-ins, and the monthly survey report. Each round is guarded: a failed
one is logged by type and the next tries again; the tables are the schedule, so a restart loses nothing."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from typing import Awaitable, Callable

from telegram.ext import ContextTypes, JobQueue

from bot.compose import retention_round
from bot.frontdoor import FrontDoor
from bot.settings import Settings
from knowledge.hours import RIGA
from survey import report
from survey.report import last_month

log = logging.getLogger(__name__)


def _round(name: str, work: Callable[[FrontDoor], Awaitable[object]]):
    """A JobQueue callback for one of the front door's rounds; a failed round is logged by type, the next tries again."""
    async def run(context: ContextTypes.DEFAULT_TYPE) -> None:
        try:
            await work(context.application.bot_data["door"])
        except Exception as exc:
            log.warning("%s round failed: %s", name, type(exc).__name__)

    return run


async def _handoff_tick(door: FrontDoor) -> None:
    if door.handoff is not None:
        await door.handoff.tick()


async def _reminders_due(door: FrontDoor) -> None:
    if door.reminders is not None:
        await door.reminders.round()


async def _checkins_due(door: FrontDoor) -> None:
    if door.checkins is not None:
        await door.checkins.round()


_handoff_round = _round("handoff", _handoff_tick)
_retention_round = _round("retention", retention_round)
_reminder_round = _round("reminder", _reminders_due)
_checkin_round = _round("checkin", _checkins_due)


async def _monthly_report(context: ContextTypes.DEFAULT_TYPE) -> None:
    """On the 1st: last month's survey report (HTML and PDF) under REPORTS_DIR; only counts, never a person."""
    settings: Settings = context.application.bot_data["settings"]
    try:
        await asyncio.to_thread(report.write, settings.knowledge_db_url, last_month(dt.datetime.now(RIGA).date()),
                                settings.reports_dir)
    except Exception as exc:  # tried again next month; `make report MONTH=...` makes it by hand
        log.warning("monthly report failed: %s", type(exc).__name__)


def schedule_rounds(jobs: JobQueue, settings: Settings) -> None:
    """Every repeating job, once, at start-up."""
    # Announces what a crash left unannounced, re-announces unclaimed urgent requests, expires.
    jobs.run_repeating(_handoff_round, settings.handoff_tick_seconds, first=1)
    # Deletes what is past its retention, and finishes every /dzest a restart interrupted.
    jobs.run_repeating(_retention_round, settings.retention_tick_seconds, first=5)
    # Morning reminders: the table is the schedule, so a restart loses none; each is claimed once, then deleted.
    jobs.run_repeating(_reminder_round, settings.reminder_tick_seconds, first=2)
    # Check-ins ("did you get a bed?"): the same way, from their own table; answers are counted for the survey.
    jobs.run_repeating(_checkin_round, settings.reminder_tick_seconds, first=3)
    # The survey report of the month before, on the 1st at six in the morning (Riga).
    jobs.run_monthly(_monthly_report, dt.time(6, 0, tzinfo=RIGA), day=1)
