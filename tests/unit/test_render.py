"""Card rendering: dates in plain Latvian, short source names, nothing shown that the record lacks."""

import pytest

from actions.render import phones, service_card, source_date, source_label
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
    assert "avota datums nav zināms" in card


def test_no_address_line_without_address():
    card = service_card(service("night_shelter", "A", "Jūrmala", address=None))
    assert "Adrese" not in card and "None" not in card


def test_phone_labels():
    s = service("night_shelter", "A", "Liepāja", phones=("63485269", "63485270"), label="dežurants")
    assert phones(s) == "63485269 (dežurants), 63485270 (dežurants)"
