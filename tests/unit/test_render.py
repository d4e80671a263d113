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


def test_a_service_without_a_phone_gives_its_municipality_s_office_with_that_page_and_its_date():
    """Limbaži's social service has an address and no phone: its card gives the council's number, said to be the
    council's, with the council's own source; a service with a number of its own does not."""
    from knowledge.records import Council

    council = Council("64023003", "Rīgas iela 16, Limbaži", "https://vietagimenei.lv/pasvaldibas/limbazu/", None)
    office = replace(service("social_service", "Limbažu novada Sociālais dienests", "Limbažu novads", phones=()),
                     council=council)
    for language in ("lv", "ru"):
        card = service_card(office, language)
        call = label("card_council_phone", language).format(phone="64023003", where=" (Rīgas iela 16, Limbaži)")
        assert call in card and label("card_no_phone", language) not in card
        field = label("fact_fields", language)["council"]
        assert label("card_fact_source_undated", language).format(field=field, source="vietagimenei.lv") in card
    dated = service_card(replace(office, council=replace(council, source_date="2021-11-03", address=None)))
    assert label("card_council_phone").format(phone="64023003", where="") in dated
    assert label("card_fact_source").format(field=label("fact_fields")["council"], source="vietagimenei.lv",
                                            date="03.11.2021.") in dated
    own = service_card(replace(office, phones=service("x", "x", "x").phones))
    assert "64023003" not in own and label("fact_fields")["council"] not in own


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
