"""Which place a mention names (lvnorm/residence.yml): where the person is now, or the declared residence."""

import pytest

from lvnorm.places import PlaceResolver, load_gazetteer
from lvnorm.residence import DECLARED, names_a_prison, nowhere, roles, where_now
from tests.conftest import ROOT

RESOLVER = PlaceResolver(load_gazetteer(ROOT / "knowledge" / "data" / "municipalities.yaml"))


def places(text: str) -> list[tuple[str, str | None]]:
    mentions = RESOLVER.find(text)
    return [(m.municipality, role) for m, role in zip(mentions, roles(text, mentions))]


@pytest.mark.parametrize("message, expected", [
    ("kurai pašvaldībai man jāprasa palīdzība, ja pirms cietuma dzīvoju Cēsīs, bet tagad esmu Rīgā?",
     [("Cēsu novads", DECLARED), ("Rīga", None)]),
    ("dzīvoju Cēsīs, tagad esmu Rīgā", [("Cēsu novads", DECLARED), ("Rīga", None)]),
    ("iz Daugavpilsa, seichas v Rige", [("Daugavpils", DECLARED), ("Rīga", None)]),
    ("я прописан в Даугавпилсе, сейчас в Риге", [("Daugavpils", DECLARED), ("Rīga", None)]),
    ("Живу в Елгаве, а прописка была в Резекне", [("Jelgava", None), ("Rēzekne", DECLARED)]),
    ("propiska bija liepaja, tagad esmu rigaa", [("Liepāja", DECLARED), ("Rīga", None)]),
    ("esmu deklarēts Madonā", [("Madonas novads", DECLARED)]),  # a strong cue needs no second place
    ("esmu no Madonas, bet tagad Rīgā", [("Madonas novads", DECLARED), ("Rīga", None)]),
])
def test_the_declared_place_and_the_place_now(message, expected):
    assert places(message) == expected


@pytest.mark.parametrize("message", [
    "esmu no madonas kur gulet",  # alone, 'from Madona' most often means he is there tonight
    "esmu pierakstīts pie ģimenes ārsta Rīgā",  # an appointment, not a declaration
    "Rīgā neesmu deklarēts",  # declared nowhere; in Rīga now
    "kur paēst Daugavpilī",
    "esmu Rīgā tagad, vai Jūrmalā ir patversme?",  # two places, neither declared
])
def test_a_place_without_a_declaration_cue_is_where_the_person_is(message):
    assert all(role is None for _, role in places(message))


@pytest.mark.parametrize("message", [
    "man nav deklarētas dzīvesvietas, kur prasīt pabalstu", "у меня нет прописки", "Mani izdeklarēja, kamēr sēdēju",
    "когда я сидел, меня автоматически выписали с адреса",
])
def test_no_declared_residence(message):
    assert nowhere(message) is not None


def test_a_declared_place_is_not_nowhere():
    assert nowhere("esmu deklarēts Cēsīs") is None
    assert nowhere("меня выписали из больницы") is None  # discharged from hospital
    assert nowhere("Rīgā neesmu deklarēts") is not None


@pytest.mark.parametrize("message, remaining", [
    ("mans dēls vakar iznāca no Olaines cietuma, mēs dzīvojam Jelgavā", ["Jelgava"]),
    ("viņš ir Rīgā, iznāca no Jelgavas cietuma", ["Rīga"]),
    ("sedeju rigas centralcietuma, tagad esmu ogre", ["Ogres novads"]),
    ("вышел из тюрьмы, сидел в Даугавпилсе в тюрьме, сейчас в Риге", ["Rīga"]),
    ("kur gulēt Jelgavā? cietumā iedeva tikai izziņu", ["Jelgava"]),  # the prison word is not after the place
])
def test_a_prisons_name_is_not_a_place_of_the_person(message, remaining):
    assert [m.municipality for m in RESOLVER.find(message) if not names_a_prison(message, m)] == remaining


@pytest.mark.parametrize("message, remaining", [
    # a social worker in Bauska about a client declared in Rīga (the terminal chat, 2026-12-07)
    ("Esmu sociālā darbiniece Bauskas novada Sociālajā dienestā. Deklarētā dzīvesvieta bija Rīgā, faktiski uzturas "
     "Bauskā. Vai viņam jāvēršas Rīgas Sociālajā dienestā?", ["Rīga", "Bauskas novads"]),
    ("esmu Ogrē, vai Rīgas pašvaldība palīdzēs?", ["Ogres novads"]),
    ("kur ir Rīgas sociālais dienests?", ["Rīga"]),  # an office alone still says the place
    ("iznācu no Jelgavas cietuma, tagad esmu Jelgavas sociālajā dienestā", ["Jelgava"]),
])
def test_an_offices_name_is_the_place_only_when_nothing_else_is(message, remaining):
    assert [m.municipality for m in where_now(message, RESOLVER.find(message))] == remaining


@pytest.mark.parametrize("message, remaining", [
    # a mother's own home is not where her son is (the terminal chat, 2026-12-07: Rēzekne's beds "where he is now")
    ("Mans dēls rīt iznāks. Agrāk viņš bija deklarēts Liepājā. Es pati dzīvoju Rēzeknē, bet vīrs ir pret viņu.",
     ["Liepāja"]),
    ("я живу в Риге, а сын сейчас в Даугавпилсе, ему негде ночевать", ["Daugavpils"]),
    # ... unless the clause has him in it too
    ("Dēls iznāca 1. decembrī, dzīvo pie manis Smiltenē.", ["Smiltenes novads"]),
    ("es un dēls esam Rīgā, kur viņam pārnakšņot", ["Rīga"]),
    ("муж прописан в Елгаве, но живём мы в Огре", ["Jelgava", "Ogres novads"]),
])
def test_in_a_relatives_message_where_the_writer_alone_lives_is_not_the_persons_place(message, remaining):
    assert [m.municipality for m in where_now(message, RESOLVER.find(message), relative=True)] == remaining
    own = "es pati dzīvoju Rēzeknē, kur dabūt pasi"  # the person writing about themselves: their own place
    assert [m.municipality for m in where_now(own, RESOLVER.find(own))] == ["Rēzekne"]
