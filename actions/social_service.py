"""The municipal social service: the fallback for almost every need."""

from __future__ import annotations

from rasa_sdk.executor import CollectingDispatcher

from cards.render import service_card
from knowledge.records import ServiceInfo
from knowledge.repository import KnowledgeRepository


def utter_social_service(
    dispatcher: CollectingDispatcher, repo: KnowledgeRepository, municipality: str, language: str = "lv"
) -> ServiceInfo | None:
    """Send the social service's card for a municipality and return it; None (and an honest 'no data') when there is
    none."""
    found = social_service(repo, municipality)
    if found is None:
        dispatcher.utter_message(response="utter_social_service_no_data", municipality=municipality)
        return None
    dispatcher.utter_message(response="utter_social_service_intro", municipality=municipality)
    dispatcher.utter_message(text=service_card(found, language))
    return found


def social_service(repo: KnowledgeRepository, municipality: str) -> ServiceInfo | None:
    """A municipality's social service, or None when there is none on record."""
    return next(iter(repo.services(["social_service"], municipality, limit=1)), None)
