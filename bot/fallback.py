"""What the front door can still say when Rasa is down: facts straight from the knowledge base, or static advice.

Only read-only queries; if the database is down too, the static advice alone is given.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from functools import cached_property

from cards.render import night_plan, service_card, templates
from knowledge.hours import RIGA
from knowledge.records import SHELTER_KINDS
from knowledge.repository import SqlKnowledgeRepository
from knowledge.tonight import near_point_for_tonight, nearest_for_tonight
from lvnorm.text import fold

log = logging.getLogger(__name__)

# Words that mean "a bed for the night", folded (no diacritics), Latvian and Russian.
_SHELTER = re.compile(r"parnaksn|patversm|naktsmit|gulet|kur palikt|nocuc|nakts|ночлег|переноч|ночев|приют|ночл")


NIGHT_RADIUS_KM = 40  # farther than this is no plan for tonight on foot: the cards with their distances instead


class KnowledgeFacts:
    """Shelter cards straight from the knowledge base: for the place a message names, or near a location."""

    MAX_CARDS = 2

    def __init__(self, url: str | None = None):
        self._url = url

    @cached_property
    def _repo(self) -> SqlKnowledgeRepository:
        return SqlKnowledgeRepository(self._url)

    def for_message(self, message: str, language: str = "lv") -> tuple[str | None, list[str]]:
        """(topic, fact cards): topic 'shelter' when the message asks for a bed; cards when a known place is named,
        the nearest elsewhere (said so first) when the place has no shelter on record."""
        if not _SHELTER.search(fold(message)):
            return None, []
        try:
            place = self._repo.resolve_place(message)
            if not place:
                return "shelter", []
            here = self._repo.services(SHELTER_KINDS, place, limit=self.MAX_CARDS)
            cards = [service_card(s, language)  # elsewhere: the same two as with Rasa up (knowledge.tonight)
                     for s in here or nearest_for_tonight(self._repo, place, dt.datetime.now(RIGA))]
            if cards and not here:
                cards[0] = f"{templates(language)['night_title_elsewhere'].format(municipality=place)}\n{cards[0]}"
            return "shelter", cards
        except Exception as exc:  # the database may be down as well: static advice only
            log.warning("knowledge fallback failed: %s", type(exc).__name__)
            return "shelter", []

    def night_plan(self, latitude: float, longitude: float, language: str = "lv") -> str | None:
        """Tonight's plan from a shared location: the nearest shelter with its distance, the next one, and 112."""
        try:
            found = near_point_for_tonight(self._repo, latitude, longitude, dt.datetime.now(RIGA))
        except Exception as exc:
            log.warning("night plan failed: %s", type(exc).__name__)
            return None
        found = [s for s in found if s.distance_km is not None and s.distance_km <= NIGHT_RADIUS_KM]
        return night_plan(found[0], found[1] if len(found) > 1 else None, language) if found else None

    def nearby(self, latitude: float, longitude: float, language: str = "lv") -> list[str]:
        """Cards of the nearest shelters, with the distance (the location is not kept)."""
        try:
            return [service_card(s, language)
                    for s in self._repo.nearest(SHELTER_KINDS, latitude, longitude, self.MAX_CARDS)]
        except Exception as exc:
            log.warning("nearby failed: %s", type(exc).__name__)
            return []
