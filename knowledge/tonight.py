"""Tonight's beds, the same for the actions and for the front door when Rasa is down: which shelters of a
municipality, or the nearest elsewhere when it has none, in which order, each with whether it is open now."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from knowledge.hours import as_riga, entry_over, opens_next, tonight_from
from knowledge.records import SHELTER_KINDS, ServiceInfo
from knowledge.repository import KnowledgeRepository

MAX_ELSEWHERE = 2  # shelters in other municipalities, when the person's own has none
# The nearest shelters elsewhere the two are chosen from: Rīga alone has ten, all as far, and only three of them take
# anyone (seven are for men or women only). On 100,000 services (SQLite) choosing among 10 takes 4.2 ms p95, among
# 20 6.6 ms, among 4 3.6 ms (2026-12-07); the knowledge-base queries of a turn are to stay under 5 ms.
CANDIDATES = 10


def ranked_for_tonight(repo: KnowledgeRepository, municipality: str, now: dt.datetime,
                       limit: int | None = None) -> list[ServiceInfo]:
    """A municipality's shelters (all of them: for_tonight picks among them), those open tonight
    (knowledge.hours.tonight_from) first; each card still says whether it is open now."""
    return with_state(repo.services(SHELTER_KINDS, municipality, at=tonight_from(now), limit=limit), now)


def nearest_for_tonight(repo: KnowledgeRepository, municipality: str, now: dt.datetime) -> list[ServiceInfo]:
    """When the person's municipality has no shelter: the nearest ones elsewhere that are not closed tonight, in
    for_tonight's order, chosen among the nearest CANDIDATES: a city's shelters are all as far as its centre, and
    from Ogre the nearest four held Rīga's women's shelter as the second place for anyone (2026-12-07)."""
    near = repo.nearest_elsewhere(SHELTER_KINDS, municipality, limit=CANDIDATES)
    return for_tonight(with_state(near, now), now)[:MAX_ELSEWHERE]


def with_state(shelters: list[ServiceInfo], now: dt.datetime) -> list[ServiceInfo]:
    """Each place with whether it is open now by its hours, when it opens if it is closed, and since when it takes no
    one new if it is open but its last entry has passed (asked at 23:00, Madona's shelter in Jēkabpils had said
    nothing of taking people only until 21.00: the terminal chat, 2026-12-07)."""
    return [replace(s, open_now=state, opens_at=opening(s, now) if state is False else None,
                    entry_over=entry_over(list(s.hours_rules), now) if state else None)
            for s, state in ((s, s.open_at(now)) for s in shelters)]


def opening(shelter: ServiceInfo, now: dt.datetime) -> tuple[int, str] | None:
    """(0 today | 1 tomorrow, "18.00") when a place closed now opens within a day by its hours."""
    at = opens_next(list(shelter.hours_rules), now, all_day_below_c=shelter.all_day_below_c)
    return None if at is None else ((at.date() - as_riga(now).date()).days, at.strftime("%H.%M"))


def for_tonight(shelters: list[ServiceInfo], now: dt.datetime) -> list[ServiceInfo]:
    """Tonight's beds: those not closed tonight (asked in the morning, a night shelter that opens at 18:00 counts);
    first those that take anyone (who writes is not asked, so a man is never sent first to a women's shelter), then
    the nearer (elsewhere: a city's shelters are all as far as its centre), then those a person can find or call (an
    address or a phone), and a night shelter (no referral needed) before a longer-stay shelter."""
    night = tonight_from(now)
    return sorted((s for s in shelters if s.open_at(night) is not False),
                  key=lambda s: (s.gender not in (None, "all"), s.distance_km or 0.0, not s.findable,
                                 s.kind != "night_shelter"))


def near_point_for_tonight(repo: KnowledgeRepository, latitude: float, longitude: float,
                           now: dt.datetime) -> list[ServiceInfo]:
    """The shelters nearest to a shared location, in for_tonight's order among the nearest CANDIDATES."""
    return for_tonight(with_state(repo.nearest(SHELTER_KINDS, latitude, longitude, CANDIDATES), now), now)
