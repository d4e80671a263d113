"""Volunteers' calls keep the listings true: the queue's order, an answer applied on top of the data files by every
query (with its date on the card), a closed place gone from the answers, and the answers written back into the data
files exactly, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess

import pytest
import yaml

from bot.texts import text
from cards.render import service_card
from harness.wording import appears, label
from knowledge import loader, migrate, writeback
from knowledge.records import SHELTER_KINDS, undated
from knowledge.repository import SqlKnowledgeRepository
from knowledge.verifications import Verifications, phone_numbers
from tests.conftest import ROOT
from tests.integration.test_knowledge_db import db_url  # noqa: F401  (the SQLite + PostgreSQL fixture)

SHELTER = "jekabpils-naktspatversme"
MADONA = (56.8553, 26.2170)
CALLED = dt.datetime(2026, 12, 6, 10, 0, tzinfo=dt.timezone.utc)
VOLUNTEER = 7


@pytest.fixture()
def calls(db_url):  # noqa: F811
    """A fresh queue of calls for each test (the reference data stays loaded)."""
    from sqlalchemy import delete

    from knowledge.db import session_scope
    from knowledge.models import Verification

    with session_scope(db_url) as s:
        s.execute(delete(Verification))
    return Verifications(db_url)


def age(info) -> str:
    """How old a listing is for the queue: '' when it is of unknown age."""
    p = info.provenance
    return "" if undated(p.source_date, p.verified_how) else p.verified_on


def nearest_to_madona(url) -> list:
    return SqlKnowledgeRepository(url).nearest(list(SHELTER_KINDS), *MADONA, limit=2)


def test_the_queue_asks_for_reported_listings_first_then_shelters_oldest_first(calls, db_url):  # noqa: F811
    repo = SqlKnowledgeRepository(db_url)
    asked = [calls.ask(VOLUNTEER + i, now=CALLED) for i in range(12)]
    listings = repo.services_by_id([a.service_id for a in asked])
    assert len({a.service_id for a in asked}) == 12  # one open call per listing
    assert all(s.kind in SHELTER_KINDS and s.phones for s in listings)
    ages = [age(s) for s in listings]
    assert ages == sorted(ages) and ages[0] == "" and ages[-1] != ""  # unknown age first, then the oldest
    reported = calls.ask(VOLUNTEER, first=["riga-socialais-dienests"], now=CALLED)
    assert reported is not None and reported.service_id == "riga-socialais-dienests"
    hotline = calls.ask(VOLUNTEER, first=["hotline-116123-krizes-talrunis"], now=CALLED)  # another kind, when reported
    assert hotline is not None and hotline.service_id == "hotline-116123-krizes-talrunis"


def test_two_volunteers_asking_at_once_get_different_listings(calls):
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(6) as pool:
        got = list(pool.map(lambda i: calls.ask(VOLUNTEER + i, first=[SHELTER], now=CALLED), range(6)))
    ids = [c.service_id for c in got if c is not None]
    assert len(ids) == 6 and len(set(ids)) == 6 and SHELTER in ids


def test_an_unanswered_call_lapses_and_the_listing_is_asked_again(calls):
    first = calls.ask(VOLUNTEER, first=[SHELTER], now=CALLED)
    assert calls.ask(VOLUNTEER + 1, first=[SHELTER], now=CALLED + dt.timedelta(minutes=90)).service_id != SHELTER
    again = calls.ask(VOLUNTEER + 1, first=[SHELTER], now=CALLED + dt.timedelta(hours=3))
    assert again.service_id == SHELTER and calls.get(first.id).outcome == "lapsed"
    assert calls.answer(first.id, VOLUNTEER, "confirmed") is None  # too late: the other volunteer has it


def test_no_answer_asks_again_tomorrow_and_a_confirmation_not_for_months(calls):
    a = calls.ask(VOLUNTEER, first=[SHELTER], now=CALLED)
    assert a is not None and a.service_id == SHELTER
    assert calls.answer(a.id, VOLUNTEER, "no_answer", now=CALLED) is not None
    assert calls.ask(VOLUNTEER, first=[SHELTER], now=CALLED + dt.timedelta(hours=2)).service_id != SHELTER
    b = calls.ask(VOLUNTEER, first=[SHELTER], now=CALLED + dt.timedelta(days=1, hours=1))
    assert b.service_id == SHELTER
    assert calls.answer(b.id, VOLUNTEER + 1, "confirmed") is None  # only the volunteer who was asked
    assert calls.answer(b.id, VOLUNTEER, "confirmed", now=CALLED + dt.timedelta(days=1, hours=1)) is not None
    assert calls.answer(b.id, VOLUNTEER, "closed") is None  # answered once
    assert calls.ask(VOLUNTEER, first=[SHELTER], now=CALLED + dt.timedelta(days=30)).service_id != SHELTER


def test_a_changed_address_is_shown_with_the_day_of_the_call_in_every_query(calls, db_url):  # noqa: F811
    before = next(s for s in nearest_to_madona(db_url) if s.id == SHELTER)
    check = calls.ask(VOLUNTEER, first=[SHELTER], now=CALLED)
    assert calls.choose_field(check.id, VOLUNTEER, "address") is not None
    assert calls.awaiting_value(VOLUNTEER, now=CALLED).id == check.id
    assert calls.change(check.id, VOLUNTEER, "  Zaļā iela 11,\n Jēkabpils ", now=CALLED) is not None
    after = next(s for s in nearest_to_madona(db_url) if s.id == SHELTER)
    assert after.address == "Zaļā iela 11, Jēkabpils" != before.address
    assert after.phones == before.phones
    card = service_card(after)
    assert label("card_checked_by_phone").format(date="06.12.2026.") in card and "⚠️" not in card
    by_phone = [line for line in card.splitlines()
                if any(appears(label(k), line) for k in ("card_checked_by_phone", "card_fact_by_phone"))]
    assert len(by_phone) == 1  # said once for the call
    assert SqlKnowledgeRepository(db_url).services_by_id([SHELTER])[0].address == "Zaļā iela 11, Jēkabpils"
    assert label("card_checked_by_phone", "ru").format(date="06.12.2026") in service_card(after, "ru")


def test_a_closed_shelter_is_no_longer_offered(calls, db_url):  # noqa: F811
    assert SHELTER in [s.id for s in nearest_to_madona(db_url)]
    check = calls.ask(VOLUNTEER, first=[SHELTER], now=CALLED)
    calls.answer(check.id, VOLUNTEER, "closed", now=CALLED)
    nearest = nearest_to_madona(db_url)
    assert SHELTER not in [s.id for s in nearest] and len(nearest) == 2
    repo = SqlKnowledgeRepository(db_url)
    assert SHELTER not in [s.id for s in repo.services(SHELTER_KINDS, "Jēkabpils novads")]
    assert repo.services_by_id([SHELTER]) == []


def test_the_queries_and_the_export_fold_answers_alike_a_later_call_reopens_a_closed_place(calls, db_url):  # noqa: F811
    from knowledge.verifications import Check, apply
    from knowledge.writeback import summarise

    later = CALLED + dt.timedelta(days=2)
    closed_then_reached = [Check(1, SHELTER, VOLUNTEER, CALLED, None, None, "closed", CALLED),
                           Check(2, SHELTER, VOLUNTEER, later, None, None, "confirmed", later)]
    listing = SqlKnowledgeRepository(db_url).services_by_id([SHELTER])[0]
    shown = apply(listing, closed_then_reached)
    assert shown is not None and shown.provenance.verified_on == "2026-12-08"
    out = summarise(closed_then_reached, None)
    assert out.closed_on is None and out.day == "2026-12-08"
    assert apply(listing, closed_then_reached[:1]) is None
    assert summarise(closed_then_reached[:1], None).closed_on == "2026-12-06"


def test_a_phone_answer_needs_a_number():
    assert phone_numbers("+371 65 236 440, 26123456") == ("65236440", "26123456")
    assert phone_numbers("zvanīt uz dežurantu") == ()


def test_the_answers_are_written_back_exactly_and_reloaded(calls, db_url, tmp_path):  # noqa: F811
    data = tmp_path / "data"
    shutil.copytree(loader.DATA, data)
    other = "riga-socialais-dienests"
    c1 = calls.ask(VOLUNTEER, first=[SHELTER], now=CALLED)
    calls.choose_field(c1.id, VOLUNTEER, "phones")
    calls.change(c1.id, VOLUNTEER, "tagad 26 123 456", now=CALLED)
    c2 = calls.ask(VOLUNTEER, first=[other], now=CALLED)
    calls.choose_field(c2.id, VOLUNTEER, "hours")
    calls.change(c2.id, VOLUNTEER, "P.–Pk. 9.00–16.00", now=CALLED)
    shown = SqlKnowledgeRepository(db_url).services_by_id([SHELTER, other])

    assert writeback.export(db_url, data) == 2
    assert writeback.export(db_url, data) == 0  # once
    assert loader.read(data).errors == []
    diff = subprocess.run(["git", "diff", "--no-index", "--numstat", str(loader.DATA), str(data)],
                          capture_output=True, text=True).stdout
    changed = {line.split("\t")[2].split("/")[-1].rstrip("}") for line in diff.splitlines()}
    assert changed <= {"services.yaml", "ru.yaml"}, diff
    records = {r["id"]: r for r in yaml.safe_load((data / "services.yaml").read_text(encoding="utf-8"))}
    assert records[SHELTER]["phones"] == [{"number": "26123456", "label": None, "note": None}]
    assert records[SHELTER]["facts"]["phones"] == {"by_phone": "2026-12-06"}
    assert records[other]["hours"]["text"] == "P.–Pk. 9.00–16.00" and records[other]["verified_how"] == "phone"
    untouched = {k: v for k, v in yaml.safe_load(loader.DATA.joinpath("services.yaml").read_text(encoding="utf-8"))[5].items()}
    assert records[untouched["id"]] == untouched

    fresh = f"sqlite:///{tmp_path / 'fresh.sqlite'}"
    migrate.upgrade(fresh)
    loader.load(fresh, data)
    again = SqlKnowledgeRepository(fresh).services_by_id([SHELTER, other])
    assert [service_card(s) for s in again] == [service_card(s) for s in shown]
    assert [service_card(s, "ru") for s in again] == [service_card(s, "ru") for s in shown]


def test_closed_is_written_back_and_the_loader_skips_it(calls, db_url, tmp_path):  # noqa: F811
    data = tmp_path / "data"
    shutil.copytree(loader.DATA, data)
    check = calls.ask(VOLUNTEER, first=[SHELTER], now=CALLED)
    calls.answer(check.id, VOLUNTEER, "closed", now=CALLED)
    assert writeback.export(db_url, data) == 1
    text = (data / "services.yaml").read_text(encoding="utf-8")
    assert f'- id: {SHELTER}\n  kind: night_shelter\n  name:' in text and 'closed_on: "2026-12-06"' in text
    fresh = f"sqlite:///{tmp_path / 'fresh.sqlite'}"
    migrate.upgrade(fresh)
    loader.load(fresh, data)
    assert SqlKnowledgeRepository(fresh).services_by_id([SHELTER]) == []


def test_the_command_line_exports(tmp_path):
    """`python -m knowledge export-verifications` runs (here with nothing to write)."""
    url = f"sqlite:///{tmp_path / 'k.sqlite'}"
    migrate.upgrade(url)
    out = subprocess.run([str(ROOT / ".venv" / "app" / "bin" / "python"), "-m", "knowledge", "export-verifications",
                          "--url", url], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0 and "0 answers" in out.stdout, out.stderr


# --- the volunteers' desk: /parbaudit, its buttons, /jauns -----------------------------------------------------------
@pytest.fixture()
def desk(tmp_path):
    """A front door with the handoff and the calls on a loaded SQLite knowledge base, a fake messenger."""
    from bot.frontdoor import FrontDoor
    from bot.handoff import Handoff
    from personal.crypto import ChatRefCipher
    from personal.handoff import HandoffStore
    from tests.fakes import FakeRasa, Messenger, WallClock
    from tests.fakes import door_settings as settings

    s = settings(tmp_path)
    migrate.upgrade(s.knowledge_db_url)
    loader.load(s.knowledge_db_url)
    store = HandoffStore(s.knowledge_db_url, ChatRefCipher(b"c" * 32))
    store.add_volunteer(5001, "Anna")
    door = FrontDoor(s, FakeRasa([]))
    door.handoff = Handoff(s, store, lambda uid: door.sender("telegram", uid), Messenger(), WallClock(),
                           checks=Verifications(s.knowledge_db_url))
    return door, store, s


def test_a_reported_listing_is_called_first_and_a_new_phone_closes_the_report(desk):
    import asyncio

    from tests.fakes import tracker
    from tests.integration.test_handoff import cmd, press

    door, store, s = desk
    person = door.sender("telegram", 160)
    tracker(s.tracker_db_url, person, ["ask_shelter_tonight", "report_error"], "Daugavpils",
            shown=["Daugavpils Nakts patversme"])
    offer = asyncio.run(door.handle_button("telegram", 160, door.button_token(person, "#h:report_error")))
    press(door, 160, offer, text("btn_send"))
    assert len(store.queue("moderation")) == 1

    assert cmd(door, 6666, "/parbaudit") == [text("v_refused")]
    asked = asyncio.run(door.handle_command("telegram", 5001, "/parbaudit"))
    assert appears(text("v_check_head"), asked[0].text) and "Daugavpils Nakts patversme" in asked[0].text
    assert text("v_check_reported") in asked[0].text and appears(text("v_check_call"), asked[0].text)
    which = press(door, 5001, asked, text("v_check_changed"))
    typed = press(door, 5001, which, text("v_check_field_phones"))
    assert text("v_check_example_phones") in typed[0].text
    assert appears(text("v_check_bad_phone"), cmd(door, 5001, "/jauns zvaniet dežurantam")[0])
    saved = cmd(door, 5001, "/jauns +371 65 400 001")[0]
    field = text("v_check_field_phones").lower()
    assert appears(text("v_check_saved"), saved, field=field, value="65400001")
    assert "06.12.2026" not in saved  # the test clock is 25.11.2026
    assert store.queue("moderation") == []  # the report is answered by the call
    listing = SqlKnowledgeRepository(s.knowledge_db_url).services_by_id(["daugavpils-nakts-patversme"])[0]
    card = service_card(listing)
    assert label("card_phones").format(phones="65400001") in card
    assert label("card_checked_by_phone").format(date="25.11.2026.") in card
    assert appears(text("v_check_gone"), press(door, 5001, asked, text("v_check_closed"))[0].text)  # answered once
    audit = [a for a in store.audit_log() if a[1].startswith("verif")]
    assert [a[1] for a in audit] == ["verify_asked", "verified"] and "160" not in str(audit)


# --- a fact's own source and date ------------------------------------------------------------------------------------
def test_validate_refuses_a_fact_whose_own_date_is_missing(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(loader.DATA, data)
    text = (data / "services.yaml").read_text(encoding="utf-8")
    start = text.index(f"- id: {SHELTER}\n")
    end = text.index("\n- id:", start)
    text = text[:start] + re.sub(r"  facts:\n(    .*\n)+", "", text[start:end]) + text[end:]  # its own facts, if any
    at = text.index("  source_url:", start)
    bad = text[:at] + '  facts:\n    phones: {source_url: "https://www.jekabpils.lv/lv/naktspatversme"}\n' + text[at:]
    (data / "services.yaml").write_text(bad, encoding="utf-8")
    assert any("fact 'phones': its own source needs its own date" in e for e in loader.read(data).errors)
    undated = bad.replace('"https://www.jekabpils.lv/lv/naktspatversme"}', '"https://www.jekabpils.lv/lv/naktspatversme", source_date: null}')
    (data / "services.yaml").write_text(undated, encoding="utf-8")  # a dated listing: its fact must be dated too
    assert any("fact 'phones': its own source needs its own date" in e for e in loader.read(data).errors)
    good = bad.replace('"https://www.jekabpils.lv/lv/naktspatversme"}', '"https://www.jekabpils.lv/lv/naktspatversme", source_date: "2026-01"}')
    (data / "services.yaml").write_text(good, encoding="utf-8")
    assert loader.read(data).errors == []
    url = f"sqlite:///{tmp_path / 'k.sqlite'}"
    migrate.upgrade(url)
    loader.load(url, data)
    card = service_card(SqlKnowledgeRepository(url).services_by_id([SHELTER])[0])
    phone = label("fact_fields")["phones"]
    assert label("card_fact_source").format(field=phone, source="jekabpils.lv", date="2026. gada janvāris") in card


def test_no_card_shows_a_fact_without_the_date_of_its_own_source(db_url):  # noqa: F811
    """Every listing whose phone, address or hours has a source of its own says that source's date on its card, or,
    in an undated listing, that its date is not known."""
    from knowledge.db import session_scope
    from knowledge.models import Service
    from sqlalchemy import select

    with session_scope(db_url) as s:
        ids = list(s.scalars(select(Service.id)))
    checked = 0
    for info in SqlKnowledgeRepository(db_url).services_by_id(ids):
        for fact in info.provenance.facts:
            shown = {"address": info.address, "phones": info.phones, "hours": info.hours_text}.get(fact.field)
            if not shown:
                continue
            for lang in ("lv", "ru"):
                from cards.render import source_date, source_label, templates

                said = source_date(fact.date, lang) if fact.date else templates(lang)["card_fact_source_undated"].format(
                    field=templates(lang)["fact_fields"][fact.field], source=source_label(fact.source_url or ""))
                assert said in service_card(info, lang), (info.id, fact)
            checked += 1
    assert checked >= 6  # Rīga's 1201, Ķekava's phones, Valmiera's, Madona's, Saldus' and Ludza's addresses, ...


def test_a_load_after_the_export_takes_the_files_and_a_reviewer_can_correct_them(tmp_path):
    """Exported answers stop applying once the files are loaded again: a correction in git is what people see, and a
    place reopened in git is offered again."""
    url = f"sqlite:///{tmp_path / 'k.sqlite'}"
    migrate.upgrade(url)
    loader.load(url)
    calls, data = Verifications(url), tmp_path / "data"
    shutil.copytree(loader.DATA, data)
    c = calls.ask(VOLUNTEER, first=[SHELTER], now=CALLED)
    calls.choose_field(c.id, VOLUNTEER, "address")
    calls.change(c.id, VOLUNTEER, "Zala iela 99 TYPO", now=CALLED)
    other = "riga-socialais-dienests"
    c2 = calls.ask(VOLUNTEER, first=[other], now=CALLED)
    calls.answer(c2.id, VOLUNTEER, "closed", now=CALLED)
    assert writeback.export(url, data) == 2
    text = (data / "services.yaml").read_text(encoding="utf-8")
    text = text.replace('"Zala iela 99 TYPO"', '"Zaļā iela 9, Jēkabpils"')  # the reviewer's correction
    start = text.index(f"- id: {other}\n")
    at = text.index('  closed_on: "2026-12-06"\n', start)
    text = text[:at] + text[at + len('  closed_on: "2026-12-06"\n'):]  # ... and the place is open after all
    (data / "services.yaml").write_text(text, encoding="utf-8")
    loader.load(url, data)
    repo = SqlKnowledgeRepository(url)
    assert repo.services_by_id([SHELTER])[0].address == "Zaļā iela 9, Jēkabpils"
    assert [s.id for s in repo.services_by_id([other])] == [other]
    assert calls.ask(VOLUNTEER, first=[other], now=CALLED + dt.timedelta(hours=3)).service_id == other


def test_a_call_closes_only_the_report_about_that_listing_and_notes_it_in_others(desk):
    import asyncio

    from tests.fakes import tracker
    from tests.integration.test_handoff import press

    door, store, s = desk
    for user, shown in ((161, ["Daugavpils Nakts patversme"]),
                        (162, ["Daugavpils Nakts patversme", "Daugavpils programma \"Karsts ēdiens – veselīga vide\""])):
        person = door.sender("telegram", user)
        tracker(s.tracker_db_url, person, ["report_error"], "Daugavpils", shown=shown)
        offer = asyncio.run(door.handle_button("telegram", user, door.button_token(person, "#h:report_error")))
        press(door, user, offer, text("btn_send"))
    assert len(store.queue("moderation")) == 2
    group = asyncio.run(door.handoff.volunteer_command(5001, "-100500", "/parbaudit", in_group=True))
    assert group[0].text == text("v_check_private")
    asked = asyncio.run(door.handle_command("telegram", 5001, "/parbaudit"))
    assert "Daugavpils Nakts patversme" in asked[0].text
    press(door, 5001, asked, text("v_check_ok"))
    left = store.queue("moderation")
    assert len(left) == 1 and len(left[0].shown) == 2
    note = left[0].notes[-1]["text"]
    assert appears(text("v_check_note"), note, name="Daugavpils Nakts patversme", outcome=text("v_check_ok"))
