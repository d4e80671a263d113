"""Place-name resolution over the knowledge base's gazetteer file: case forms, diacritics, city vs novads."""

import pytest

from lvnorm.places import PlaceResolver, inflect, load_gazetteer
from tests.conftest import ROOT


@pytest.fixture(scope="module")
def resolver():
    return PlaceResolver(load_gazetteer(ROOT / "knowledge" / "data" / "municipalities.yaml"))


@pytest.mark.parametrize(
    "text,expected",
    [
        ("Kur es varu pārnakšņot šonakt Daugavpilī?", "Daugavpils"),
        ("esmu Rīgā", "Rīga"), ("no Rīgas", "Rīga"), ("rigaa", "Rīga"), ("uz Liepāju", "Liepāja"),
        ("Ogrē", "Ogres novads"), ("Jelgavas novadā", "Jelgavas novads"), ("Jelgavā", "Jelgava"),
        ("rezekne", "Rēzekne"), ("Rēzeknes novadā", "Rēzeknes novads"), ("Ventspils novadam", "Ventspils novads"),
        ("Ilūkstē", "Augšdaugavas novads"), ("Ozolnieki", "Jelgavas novads"), ("Grobiņā", "Dienvidkurzemes novads"),
        ("Varakļānos", "Madonas novads"), ("Cēsīs", "Cēsu novads"), ("Talsos", "Talsu novads"),
    ],
)
def test_resolves(resolver, text, expected):
    assert resolver.resolve(text) == expected


@pytest.mark.parametrize("text", ["lūdzu palīdziet", "kur var paēst", "sveiki", "", "🙂"])
def test_ordinary_words_name_no_place(resolver, text):
    assert resolver.resolve(text) is None


def test_two_different_places_are_ambiguous(resolver):
    assert resolver.resolve("no Rīgas uz Liepāju") is None
    assert [m.municipality for m in resolver.find("no Rīgas uz Liepāju")] == ["Rīga", "Liepāja"]


def test_spans_point_at_the_original_text(resolver):
    (m,) = resolver.find("Vai Daugavpilī ir patversme?")
    assert "Vai Daugavpilī ir patversme?"[m.start : m.end] == "Daugavpilī"


def test_inflection_classes():
    assert {"Rīgas", "Rīgā", "Rīgu"} <= inflect("Rīga")
    assert {"Daugavpilī", "Daugavpili"} <= inflect("Daugavpils")
    assert {"Talsos", "Talsu"} <= inflect("Talsi", "plural_m")
    assert {"Cēsīs", "Cēsu"} <= inflect("Cēsis", "plural_f")
    assert {"Tukumā", "Tukuma"} <= inflect("Tukums")
