"""The survey report from a month of known events, on SQLite and PostgreSQL: the PDF's text has the Latvian letters,
the numbers and the suppression rule; no count under 5 is shown anywhere; and the HTML, rendered by headless
Chromium, is a page a person can read (a PNG with text on it)."""

import datetime as dt
import os

import pytest
from pypdf import PdfReader
from sqlalchemy import create_engine, insert
from sqlalchemy import text as sql

from harness.chromium import chromium, screenshot
from survey.models import SurveyEvent
from survey.report import HIDDEN, SECONDARY, pages, to_html, write
from tests.integration.test_knowledge_db import db_url  # noqa: F401  (the SQLite + PostgreSQL fixture)

MONTH = "2026-10"
TODAY = dt.date(2026, 11, 1)


def _events(url):
    rows = []

    def add(n, municipality, topic, outcome, reason=None, requester="person"):
        rows.extend({"month": MONTH, "municipality": municipality, "topic": topic, "outcome": outcome,
                     "reason": reason, "language": "lv", "requester": requester} for _ in range(n))

    add(40, "Rīga", "ask_shelter_tonight", "answered")
    add(12, "Rīga", "ask_shelter_tonight", "no_data")
    add(25, "Rīga", "ask_id_document", "answered", requester="relative")
    add(6, "Rīga", "social_service", "refused", "deadline")
    add(2, "Rīga", "social_service", "refused", "no_address")
    add(9, "Rīga", "shelter", "checkin", "yes")
    add(5, "Rīga", "shelter", "checkin", "full")
    add(7, "Madonas novads", "ask_food", "answered")
    add(3, "Madonas novads", "ask_food", "no_data")
    add(3, "Madonas novads", "ask_id_document", "handoff")
    add(6, None, "nlu_fallback", "fallback")
    with create_engine(url).begin() as c:
        c.execute(sql("DELETE FROM survey_event"))
        c.execute(insert(SurveyEvent), rows)


@pytest.fixture(scope="module")
def report(db_url, tmp_path_factory):  # noqa: F811
    _events(db_url)
    out = tmp_path_factory.mktemp("reports")
    html_path, pdf_path = write(db_url, MONTH, out, TODAY)
    return db_url, html_path, pdf_path


def test_no_count_under_five_is_shown_anywhere(report):
    url, _, _ = report
    label, report_pages = pages(url, MONTH)
    assert label == "2026. gada oktobris" and len(report_pages) == 1 + 42 + 1  # Latvia, 42 municipalities, no place
    numbers = [c for p in report_pages for b in p.blocks if b[0] == "table" for row in b[2] for c in row
               if str(c).isdigit()]
    assert numbers and all(int(c) >= 5 for c in numbers)
    madona = next(p for p in report_pages if p.title == "Madonas novads")
    food = next(row for b in madona.blocks if b[0] == "table" for row in b[2] if row[0] == "Ēdiens")
    assert food == ["Ēdiens", "10", SECONDARY, HIDDEN, "–"]  # 7 is hidden too: 10 − 7 would give the 3 away


def test_the_pdf_says_it_in_latvian_with_the_numbers_and_the_rule(report):
    _, _, pdf_path = report
    reader = PdfReader(pdf_path)
    texts = [p.extract_text() for p in reader.pages]
    everything = "\n".join(texts)
    assert "Visa Latvija" in texts[0] and "2026. gada oktobris" in texts[0]
    flat = " ".join(everything.split())  # a paragraph is justified, a table cell may wrap
    assert "Aizsardzība: skaits, kas mazāks par 5, nav rādīts („<5”)." in flat
    assert "Kāpēc atteica palīdzību" in flat and "Pēdējā deklarētā dzīvesvieta citā pašvaldībā" in flat
    riga = " ".join(next(t for t in texts if t.startswith("Rīga\n")).split())
    assert "Kur pārnakšņot 52 40 12 23 %" in riga  # asked, answered, no local data, the share
    assert "Nokavēts termiņš (viens mēnesis pēc atbrīvošanas) 6 jā" in riga
    assert "Nav dzīvesvietas (nevar norādīt vai deklarēt) <5 jā" in riga
    madona = " ".join(next(t for t in texts if t.startswith("Madonas novads\n")).split())
    assert "Patversme Ceļveža zināšanu bāzē: nav" in madona and "Nodots brīvprātīgajiem: <5" in madona
    assert "Tiesībsargs" in flat and "35 no 43 pašvaldībām" in flat
    assert "Pase vai eID karte 25 × <5 –" in riga  # 25 asked, none without data: the 0 and its neighbour hidden


def test_the_html_renders_in_headless_chromium_to_a_readable_png(report, tmp_path):
    if chromium() is None:
        if os.environ.get("CI"):
            pytest.fail("CI must render the report: scripts/test.sh installs Chromium")
        pytest.skip("no Chromium (run through `make test`)")
    url, _, _ = report
    label, report_pages = pages(url, MONTH)
    from matplotlib import image

    for page in (report_pages[0], next(p for p in report_pages if p.title == "Madonas novads")):
        png = tmp_path / "page.png"
        screenshot(to_html(label, [page], TODAY), png, 950, 1600)
        pixels = image.imread(png)
        assert pixels.shape[:2] == (1600, 950)
        ink = (pixels[:, :, :3].mean(axis=2) < 0.5).mean()  # dark pixels: text, table lines, bars
        assert 0.005 < ink < 0.5, f"{page.title}: a blank or black page ({ink:.3f})"
        png.unlink()
