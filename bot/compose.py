"""The one composition root: the front door for the terminal, long polling and the webhook, put together here."""

from __future__ import annotations

from bot.fallback import KnowledgeFacts
from bot.frontdoor import FrontDoor
from bot.pseudonym import sender_id
from bot.rasa_client import RasaClient
from bot.settings import Settings
from bot.store import SqlStore
from bot.triage import Messenger, Triage
from crisis.model import CrisisModel, ModelMissing
from crisis.signal import CrisisSignal
from knowledge.triage import TriageStore


def crisis_signal(settings: Settings) -> CrisisSignal:
    """Patterns and the statistical signal; a missing model stops the start, it never switches itself off."""
    if not settings.crisis_model:  # CRISIS_MODEL=off: patterns only, said out loud in the settings
        return CrisisSignal()
    model = CrisisModel()
    if not model.ready():
        raise ModelMissing("the crisis model is not built for the current data: run `python -m crisis build` "
                           "(make run and make test do it), or set CRISIS_MODEL=off to run on the patterns alone")
    return CrisisSignal(model)


def build_front_door(settings: Settings, channel: str, messenger: Messenger | None = None) -> FrontDoor:
    """Everything the front door needs, for one channel ('telegram' or 'terminal')."""
    triage = Triage(settings, TriageStore(settings.knowledge_db_url),
                    lambda user_id: sender_id(settings.sender_secret, channel, user_id), messenger)
    return FrontDoor(
        settings, RasaClient(settings.rasa_urls, settings.rasa_timeout),
        SqlStore(settings.tracker_db_url, settings.knowledge_db_url), KnowledgeFacts(settings.knowledge_db_url),
        crisis_signal(settings), triage,
    )
