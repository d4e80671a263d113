"""Places on the map (knowledge.geo): every municipality has a centre, and a service without its own point is placed
at the town its address names, or at its municipality's centre, and says which."""

import yaml

from knowledge.geo import CENTRE, TOWN, centres, locate, towns
from knowledge.loader import DATA

MUNICIPALITIES = yaml.safe_load((DATA / "municipalities.yaml").read_text(encoding="utf-8"))
ACTIVE = [m["name"] for m in MUNICIPALITIES if not m.get("merged_into")]


def test_every_municipality_has_a_centre_inside_latvia():
    found = centres(MUNICIPALITIES)
    assert set(ACTIVE) <= set(found)
    assert all(55.6 < t.latitude < 58.1 and 20.9 < t.longitude < 28.3 for t in found.values())


def test_the_seat_named_in_the_data_wins_over_the_largest_town():
    found = centres(MUNICIPALITIES)
    assert found["Dienvidkurzemes novads"].name == "Grobiņa"  # Aizpute is larger
    assert found["Ludzas novads"].name == "Ludza"  # "ludza" alone is ambiguous for the chat resolver, not here
    assert found["Madonas novads"].name == "Madona"


def test_a_service_is_placed_at_its_town_or_its_centre():
    all_towns, by_centre = towns(MUNICIPALITIES), centres(MUNICIPALITIES)
    lat, lon, how = locate("Zaļā iela 9, Jēkabpils, LV-5201", "Jēkabpils novads", all_towns, by_centre)
    assert how == TOWN and abs(lat - 56.50) < 0.05 and abs(lon - 25.86) < 0.05
    # A street named after a town does not move the service there: the last town named wins.
    assert locate("Ventspils iela 5, Kuldīga", "Kuldīgas novads", all_towns, by_centre)[:2] == \
        locate("Kuldīga", None, all_towns, by_centre)[:2]
    assert locate(None, "Cēsu novads", all_towns, by_centre)[2] == CENTRE
    assert locate(None, None, all_towns, by_centre) is None
