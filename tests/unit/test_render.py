"""Card rendering: dates in plain Latvian, short source names, nothing shown that the record lacks."""

from dataclasses import replace

import pytest

from cards.render import phones, service_card, source_date, source_label
from harness.wording import appears, label
from tests.fakes import service


@pytest.mark.parametrize(
    "value,expected",
    [("2024", "2024. gads"), ("2024-10", "2024. gada oktobris"), ("2026-01-13", "13.01.2026."), (None, None)],
)
def test_source_date(value, expected):
    assert source_date(value) == expected


def test_source_label_takes_the_first_url_host():
    assert source_label("https://www.liepaja.lv/nakts-patversme/ ; https://jauns.lv/x") == "liepaja.lv"


def test_undated_source_is_said():
    card = service_card(service("night_shelter", "A", "Rīga", source_date=None))
    assert appears(label("card_source_undated"), card)


def test_no_address_line_without_address():
    card = service_card(service("night_shelter", "A", "Jūrmala", address=None))
    assert not appears(label("card_address"), card) and label("fact_fields")["address"] not in card
    assert "None" not in card


def test_phone_labels():
    s = service("night_shelter", "A", "Liepāja", phones=("63485269", "63485270"), label="dežurants")
    assert phones(s) == "63485269 (dežurants), 63485270 (dežurants)"


def test_russian_reader_gets_the_russian_texts_and_the_latvian_names():
    from cards.render import localized
    from knowledge.records import PhoneInfo

    s = replace(service("night_shelter", "Daugavpils Nakts patversme", "Daugavpils", phones=("65421500", "112")),
                hours_text="No 1. oktobra 18.00–8.00.", conditions=("Bez maksas.", "16 gultas."),
                ru={"name_hint": "ночлежка Даугавпилса", "hours_text": "С 1 октября 18.00–8.00.",
                    "conditions": ["Бесплатно.", "16 кроватей."], "phone_labels": ["муниципальная полиция", None]})
    s = replace(s, phones=(PhoneInfo("65421500", "Pašvaldības policija", None), PhoneInfo("112", "Ārkārtas", None)))
    ru = service_card(s, "ru")
    assert label("card_name", "ru").format(name="Daugavpils Nakts patversme (ночлежка Даугавпилса)") in ru
    assert "С 1 октября 18.00–8.00." in ru and "Бесплатно." in ru and "Bez maksas" not in ru
    assert "65421500 (муниципальная полиция), 112 (Ārkārtas)" in ru  # no Russian label given: the Latvian one stays
    lv = service_card(s, "lv")
    assert "Bez maksas." in lv and "Бесплатно" not in lv and "(ночлежка" not in lv
    assert localized(s, "lv") is s
