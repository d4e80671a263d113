"""The knowledge base on a real SQLite file: migrations, idempotent load, validation, queries."""

import datetime as dt
import os
import shutil

import pytest
import yaml
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, func, select
from sqlalchemy import text as sql

from harness.wording import label
from knowledge import loader, migrate, reports
from knowledge.hours import RIGA
from knowledge.models import Base, Municipality, Phone, Service
from knowledge.records import SHELTER_KINDS
from knowledge.repository import SqlKnowledgeRepository


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def db_url(request, tmp_path_factory):
    """The same tests on the embedded default and on a real PostgreSQL server (started by scripts/test.sh)."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('kbdb') / 'k.sqlite'}"
    else:
        url = os.environ.get("TEST_PG_URL")
        if not url:
            if os.environ.get("CI"):
                pytest.fail("CI must test PostgreSQL: scripts/test.sh starts it and sets TEST_PG_URL")
            pytest.skip("no PostgreSQL (run through `make test`)")
        _drop_all(url)
    migrate.upgrade(url)
    loader.load(url)
    return url


def _drop_all(url):
    from sqlalchemy import MetaData

    eng = create_engine(url)
    meta = MetaData()
    meta.reflect(eng)
    meta.drop_all(eng)
    eng.dispose()


def counts(url):
    eng = create_engine(url)
    with eng.connect() as c:
        return tuple(c.scalar(select(func.count()).select_from(t)) for t in (Municipality, Service, Phone))


def test_migrations_match_the_models(db_url):
    with create_engine(db_url).connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == [], f"models changed without a migration: {diff}"


def test_load_is_idempotent(db_url):
    before = counts(db_url)
    loader.load(db_url)
    assert counts(db_url) == before and before[0] == 43 and before[1] > 100


def test_repository_data_validates():
    assert loader.read().errors == []


def errors_after(tmp_path, name, mutate):
    """Validation errors of a copy of the data files in which `mutate` changed one file's content."""
    for path in loader.DATA.glob("*.yaml"):
        shutil.copy(path, tmp_path / path.name)
    content = yaml.safe_load((loader.DATA / name).read_text())
    mutate(content)
    (tmp_path / name).write_text(yaml.safe_dump(content, allow_unicode=True))
    return loader.read(tmp_path).errors


@pytest.mark.parametrize(
    "mutate,message",
    [
        (lambda s: s[0].pop("source_url"), "missing source_url"),
        (lambda s: s[0].update(source_url="(nav atrasts)"), "is not a web address"),  # was shown on a card as its source
        (lambda s: s[0].update(source_url="https://a.lv ; ziņu raksts"), "is not a web address"),
        (lambda s: s[0].update(municipality="Atlantīda"), "unknown municipality"),
        (lambda s: s[0]["phones"].append({"number": "12345"}) or s[0]["phones"].append({"number": "6542150"}), "malformed phone"),
        (lambda s: s.append(dict(s[0])), "duplicate id"),
        (lambda s: s[0]["hours"].update(rules=[{"open": "25:00", "close": "08:00"}]), "impossible open time"),
        (lambda s: s[0]["hours"].update(rules=[{"season_from": "10-01", "season_to": None, "open": "18:00",
                                                "close": "08:00"}]), "a season needs both ends"),
        (lambda s: s[0].update(source_date="vakar"), "source_date"),
    ],
)
def test_validation_catches(tmp_path, mutate, message):
    def prepared(services):
        services[0].setdefault("phones", [])
        services[0].setdefault("hours", {})
        mutate(services)

    errors = errors_after(tmp_path, "services.yaml", prepared)
    assert any(message in e for e in errors), errors


def test_a_misspelt_topic_key_is_refused(tmp_path):
    errors = errors_after(tmp_path, "topics.yaml", lambda t: t["ask_mentor"].update(persn=True))
    assert "topic ask_mentor: unknown key 'persn'" in errors


def test_every_state_city_has_a_shelter_with_provenance(db_url):
    repo = SqlKnowledgeRepository(db_url)
    for city in ("Rīga", "Daugavpils", "Jelgava", "Jūrmala", "Liepāja", "Rēzekne", "Ventspils"):
        shelters = repo.services(SHELTER_KINDS, city)
        assert shelters, city
        for s in shelters:
            assert s.provenance.source_url and s.provenance.confidence in {"verified", "partially_verified", "unverified"}


def test_daugavpils_night_shelter(db_url):
    (s,) = SqlKnowledgeRepository(db_url).services(["night_shelter"], "Daugavpils")
    assert s.address == "Šaurā iela 23, Daugavpils" and s.phones[0].number == "65421500"


def test_with_rasa_down_a_place_without_a_shelter_gets_the_nearest_elsewhere_said_so(db_url):
    from bot.fallback import KnowledgeFacts
    from harness.wording import label

    topic, cards = KnowledgeFacts(db_url).for_message("kur parnakshnot madona")
    assert topic == "shelter" and len(cards) == 2
    assert cards[0].startswith(label("night_title_elsewhere").format(municipality="Madonas novads"))
    assert "Zaļā iela 9, Jēkabpils" in cards[0] and label("card_distance_town").format(km=45) in cards[0]
    topic, cards = KnowledgeFacts(db_url).for_message("kur parnakshnot daugavpili")
    assert cards[0].startswith(label("card_name").format(name="Daugavpils Nakts patversme"))  # its own: as before


def test_verified_first(db_url):
    shelters = SqlKnowledgeRepository(db_url).services(SHELTER_KINDS, "Rīga")
    ranks = [0 if s.provenance.confidence == "verified" else 1 for s in shelters]
    assert ranks == sorted(ranks)


def test_a_place_with_neither_address_nor_phone_comes_after_those_a_person_can_find_or_call(db_url):
    """Rīga's food answer began with a soup kitchen whose source gives neither (2026-12-07)."""
    repo = SqlKnowledgeRepository(db_url)
    first_two = repo.services(["soup_kitchen"], "Rīga", limit=2)
    assert all(s.address or s.phones for s in first_two), [s.id for s in first_two]
    for municipality in ("Rīga", "Daugavpils", "Liepāja", "Madonas novads"):
        for kinds in (["soup_kitchen", "food_packages"], SHELTER_KINDS, ["social_service"]):
            reachable = [bool(s.address or s.phones) for s in repo.services(kinds, municipality)]
            assert reachable == sorted(reachable, reverse=True), (municipality, kinds)


def test_of_equally_verified_places_the_one_a_newer_source_shows_comes_first(db_url):
    """Rīga's night shelters at 23:00: after the verified one, the shelter a January 2026 page shows working (it has
    no phone) comes before those last listed in 2020 that have one."""
    night = dt.datetime(2026, 12, 6, 23, 0, tzinfo=RIGA)
    shelters = SqlKnowledgeRepository(db_url).services(["night_shelter"], "Rīga", at=night)
    partial = [s for s in shelters if s.provenance.confidence == "partially_verified" and s.open_now]
    assert partial[0].id == "riga-zilais-krusts-naktspatversme"
    dates = [s.provenance.source_date or "" for s in partial]
    assert dates == sorted(dates, reverse=True) and len(set(dates)) > 1


def test_merged_municipality_answers_as_successor(db_url):
    repo = SqlKnowledgeRepository(db_url)
    assert repo.municipality("Varakļānu novads").name == "Madonas novads"
    assert repo.resolve_place("dzīvoju Varakļānos") == "Madonas novads"


def test_open_at_a_moment_orders_open_first(db_url):
    winter_night = dt.datetime(2026, 12, 1, 23, 0, tzinfo=RIGA)
    shelters = SqlKnowledgeRepository(db_url).services(SHELTER_KINDS, "Rīga", at=winter_night)
    states = [s.open_now for s in shelters]
    assert True in states
    assert states == sorted(states, key=lambda v: {True: 0, None: 1, False: 2}[v])
    noon = SqlKnowledgeRepository(db_url).services(["day_centre"], "Rīga", at=winter_night.replace(hour=12))
    assert noon and noon[0].open_now is True


@pytest.mark.parametrize("day", [dt.date(2026, 12, 6), dt.date(2026, 12, 7), dt.date(2027, 1, 15),
                                 dt.date(2027, 3, 1), dt.date(2027, 3, 2), dt.date(2027, 4, 30), dt.date(2027, 5, 1),
                                 dt.date(2027, 7, 15), dt.date(2027, 9, 30), dt.date(2027, 10, 1)])
def test_asked_at_any_hour_tonight_is_the_night_plan_of_a_state_city(db_url, day):
    """'Where do I sleep tonight' gets tonight's plan at every hour of a Sunday and a Monday, of midwinter and
    midsummer and of every season's first and last day, also in the morning when the night shelters are closed: the
    answer must not depend on the clock or the calendar CI runs at."""
    import asyncio

    from rasa_sdk import Tracker
    from rasa_sdk.executor import CollectingDispatcher

    from actions.shelter import ActionFindShelter

    repo = SqlKnowledgeRepository(db_url)
    shelters = {city: repo.services(SHELTER_KINDS, city) for city in ("Rīga", "Daugavpils", "Jelgava", "Jūrmala",
                                                                     "Liepāja", "Rēzekne", "Ventspils")}
    for city in shelters:
        for hour in range(24):
            now = dt.datetime.combine(day, dt.time(hour, 37), tzinfo=RIGA)
            dispatcher = CollectingDispatcher()
            tracker = Tracker("u", {"municipality": city}, {"intent": {"name": "ask_shelter_tonight"}, "entities": [],
                              "text": "nav kur gulēt šonakt"}, [], False, None, {}, "action_listen")
            asyncio.run(ActionFindShelter(lambda: repo, lambda: now).run(dispatcher, tracker, {}))
            plan = dispatcher.messages[0]["text"]
            assert plan.startswith(label("night_title")), (city, day, hour, dispatcher.messages[0])
            first = next(s for s in shelters[city] if plan.splitlines()[1] == label("card_name").format(name=s.name))
            assert first.gender in (None, "all"), (city, first.name)  # who writes is not asked: never women-only first


def test_duties_reach_the_actions(db_url):
    repo = SqlKnowledgeRepository(db_url)
    duties = {d.id: d for d in repo.duties()}
    assert duties["release_benefit"].basis == "declared" and duties["tonight"].basis == "present"
    assert duties["release_benefit"].ru["name"] == "Пособие после освобождения"
    topic = repo.topic("ask_responsible_municipality")
    assert topic.duties and topic.duty == "release_benefit"
    assert repo.topic("ask_food").duty is None  # food is where the person is


def test_nearest_uses_coordinates(db_url):
    repo = SqlKnowledgeRepository(db_url)
    # Every local service has a point: its own, its town's (from the address) or its municipality's centre.
    near = repo.nearest(SHELTER_KINDS, 55.874, 26.536, limit=1)  # the centre of Daugavpils
    assert near[0].id == "daugavpils-nakts-patversme" and near[0].distance_km < 5
    assert near[0].location_precision == "town"
    eng = create_engine(db_url)
    with eng.begin() as c:  # an exact point wins over the town's
        c.execute(sql("UPDATE service SET latitude = 56.95, longitude = 24.11, location_precision = 'exact' "
                      "WHERE id = 'riga-patversme-viriesu-nodala'"))
    try:
        near = repo.nearest(SHELTER_KINDS, 56.951, 24.112, limit=1)
        assert near[0].id == "riga-patversme-viriesu-nodala" and near[0].distance_km < 1
    finally:
        loader.load(db_url)


def test_a_shelter_within_reach_of_every_municipality(db_url):
    """From each of the 42 centres: a shelter of its own, or the nearest one elsewhere at a plausible distance."""
    repo = SqlKnowledgeRepository(db_url)
    far = {}
    for c in reports.coverage(db_url):
        if c.shelter:
            continue
        found = repo.nearest_elsewhere(SHELTER_KINDS, c.municipality, limit=1)
        assert found and found[0].municipality != c.municipality, c.municipality
        far[c.municipality] = found[0].distance_km
    assert far and max(far.values()) < 100, far  # Latvia is about 450 km across
    madona = repo.nearest_elsewhere(SHELTER_KINDS, "Madonas novads", limit=2)
    assert madona[0].id == "jekabpils-naktspatversme" and 35 < madona[0].distance_km < 55


def test_reports(db_url, tmp_path):
    cov = reports.coverage(db_url)
    assert len(cov) == 42  # Varakļānu novads is part of Madonas novads
    daugavpils = next(c for c in cov if c.municipality == "Daugavpils")
    assert daugavpils.shelter >= 1 and daugavpils.social_service_contact >= 1
    # A fact is as old as its source (or its own check), not as the project's last reading of the file.
    stale = {r["id"]: r for r in reports.stale(db_url, 12, today=dt.date(2026, 11, 25))}
    assert stale["liepaja-lsk-lppv-pakas-2015"]["verified_on"] == "2019-01-01"
    assert stale["rezekne-patversme-naktspatversme"]["age_months"] is None  # its source has no date: age unknown
    assert len(stale) < len(reports.export(db_url))  # some are recent
    assert len(reports.stale(db_url, 12, today=dt.date(2040, 1, 1))) == len(reports.export(db_url))
    out = tmp_path / "x.csv"
    with out.open("w", encoding="utf-8") as fh:
        reports.write_csv(reports.export(db_url, ["night_shelter"]), fh)
    text = out.read_text(encoding="utf-8")
    assert text.splitlines()[0].startswith("id,kind,name") and "Šaurā iela 23" in text


@pytest.mark.parametrize(
    "mutate,message",
    [
        (lambda ru: ru["services"]["daugavpils-nakts-patversme"]["conditions"].__setitem__(
            3, "17 кроватей для женщин, 16 для мужчин, 8 мест в изоляторе, 20 сидячих мест."), "numbers differ"),
        (lambda ru: ru["services"]["daugavpils-nakts-patversme"]["conditions"].pop(), "must have 5 items"),
        (lambda ru: ru["procedures"].pop("id_document"), "ru.yaml procedures.id_document.name: missing"),
        (lambda ru: ru["benefits"].update(atlantida={"name": "x"}), "benefits.atlantida: no such record"),
        (lambda ru: ru["services"]["daugavpils-nakts-patversme"].update(address="x"), "unknown field 'address'"),
    ],
)
def test_russian_texts_cannot_change_a_fact(tmp_path, mutate, message):
    errors = errors_after(tmp_path, "ru.yaml", mutate)
    assert any(message in e for e in errors), errors


def test_every_card_exists_in_russian(db_url):
    from cards.render import benefit_card, procedure_card, service_card

    repo = SqlKnowledgeRepository(db_url)
    with create_engine(db_url).connect() as c:
        ids = [r[0] for r in c.execute(sql("SELECT id FROM service"))]
        procedures = [r[0] for r in c.execute(sql("SELECT id FROM procedure"))]
        kinds = [r[0] for r in c.execute(sql("SELECT DISTINCT kind FROM benefit"))]
    services = repo.services_by_id(ids)
    steps = repo.procedures(procedures)
    benefits = [b for m in (None, "Saldus novads", "Ogres novads") for b in repo.benefits(kinds, m)]
    assert len(services) == len(ids) > 100 and len(steps) == len(procedures) and benefits
    for record, card in [(s, service_card) for s in services] + [(p, procedure_card) for p in steps] + [
            (b, benefit_card) for b in benefits]:
        ru = card(record, "ru")
        latvian = [*getattr(record, "conditions", ()), *getattr(record, "summary", ())]
        latvian += [t for t in (record.hours_text if hasattr(record, "hours_text") else None,
                                getattr(record, "cost_text", None), getattr(record, "deadline_text", None)) if t]
        left = [t for t in latvian if t in ru and not t.isdigit()]
        assert left == [], (record.id, left)
    id_card = procedure_card(repo.procedures(["id_document"])[0], "ru")
    assert id_card.startswith(label("step_name", "ru").format(name="Получение паспорта или eID-карты") + "\n")
    assert "PMLP (Управления" in id_card


def test_coverage_does_not_fall_below_what_the_data_holds(db_url):
    """A regression floor on what a person can act on (the figures of `python -m knowledge coverage` on 2026-12-07):
    an edit that loses a social service's contact or a shelter fails here."""
    cov = reports.coverage(db_url)
    assert sum(1 for c in cov if c.social_service_contact) >= 38
    assert sum(1 for c in cov if c.social_service_phone_and_address) >= 30  # 30: Smiltene's phones and address, 2026-12-07
    # 11: Salaspils's night shelter was taken out on 2026-12-07 (no web source, no date, no address, no phone)
    assert sum(1 for c in cov if c.shelter) >= 11
    assert all(c.nearest_shelter_km is not None and c.nearest_shelter_km < 100 for c in cov)
    table = reports.coverage_table(cov)
    assert "| **42 municipalities** |" in table and "State cities:" in table


def test_every_social_service_without_a_number_of_its_own_gives_its_municipality_s_office(db_url, tmp_path):
    """A person in Limbaži, Madona or Sigulda asked for the social service's phone and got "I have no number" while
    the council's number stood in a condition line (the terminal chat, 2026-12-07): now every such card gives the
    council's number with its own source, and the data may not leave a council's page undated by omission."""
    from cards.render import service_card

    repo = SqlKnowledgeRepository(db_url)
    offices = [next(iter(repo.services(["social_service"], m.municipality, limit=1)), None)
               for m in reports.coverage(db_url)]
    without = [s for s in offices if s is not None and not s.phones]
    assert sum(1 for s in without if s.council) >= 8  # all but Ventspils novads, whose council's number is not known
    for office in without:
        card = service_card(office)
        if office.council is None:
            assert label("card_no_phone") in card, office.municipality
        else:
            where = f" ({office.council.address})"
            assert label("card_council_phone").format(phone=office.council.phone, where=where) in card
    data = tmp_path / "data"
    shutil.copytree(loader.DATA, data)
    text = (data / "municipalities.yaml").read_text(encoding="utf-8")
    (data / "municipalities.yaml").write_text(text.replace(', source_date: null}', '}', 1), encoding="utf-8")
    assert any("council: say its page's date, or source_date: null" in e for e in loader.read(data).errors)


def test_a_command_on_an_empty_database_says_what_to_run(tmp_path, capsys):
    from knowledge.__main__ import main

    url = f"sqlite:///{tmp_path / 'empty.sqlite'}"
    assert main(["coverage", "--url", url]) == 2
    assert "python -m knowledge prepare" in capsys.readouterr().err
    assert main(["prepare", "--url", url]) == 0
    assert main(["coverage", "--url", url]) == 0 and "| **42 municipalities** |" in capsys.readouterr().out


def test_a_record_is_as_fresh_as_its_oldest_fact(db_url):
    """The Rīga men's shelter's page is from 2026, its phone number from 2020: the stale list, the volunteers' call
    queue (both read verified_on) and the freshness figure see the phone's age, while its card shows both dates."""
    from cards.render import service_card
    from knowledge.reports import _recent

    (men,) = SqlKnowledgeRepository(db_url).services_by_id(["riga-patversme-viriesu-nodala"])
    assert men.provenance.source_date == "2026-02-05" and men.provenance.oldest_source_date == "2020"
    assert men.provenance.verified_on == "2020-01-01" and not _recent(men)
    assert "riga-patversme-viriesu-nodala" in {r["id"] for r in reports.stale(db_url, 12)}
    card = service_card(men)
    assert label("card_source").format(source="jauns.lv", date="05.02.2026.") in card
    phone = label("fact_fields")["phones"]
    assert label("card_fact_source").format(field=phone, source="ld.riga.lv", date="2020. gads") in card


@pytest.mark.parametrize("language", ["lv", "ru"])
def test_a_calm_question_about_a_psychologist_gets_the_state_paid_consultations_before_any_crisis_line(db_url,
                                                                                                         language):
    """A probation officer asking where to send a client to a free psychologist got the 116123 crisis line as the
    whole answer: a crisis number first for an ordinary question. The state-paid consultations come first."""
    import asyncio

    from rasa_sdk import Tracker
    from rasa_sdk.executor import CollectingDispatcher

    from actions.topics import ActionAnswerTopic
    from tests.fakes import shown

    repo = SqlKnowledgeRepository(db_url)
    parse = {"intent": {"name": "ask_psychologist"}, "entities": []}
    tracker = Tracker("u", {"language": language}, parse, [{"event": "user", "parse_data": parse}], False, None, {},
                      "action_listen")
    dispatcher = CollectingDispatcher()
    asyncio.run(ActionAnswerTopic(lambda: repo).run(dispatcher, tracker, {}))
    texts = [m["text"] for m in shown(dispatcher.messages) if m["text"]]
    first = {"lv": "Valsts apmaksā līdz 10 konsultācijām", "ru": "Государство оплачивает до 10 консультаций"}
    assert first[language] in texts[0] and "116" not in texts[0] and "112" not in texts[0], texts[0]
    assert "116123" in texts[1]  # the line that also books them, second


def test_migration_0021_gives_every_stored_service_its_phones_as_a_list(tmp_path):
    """A database loaded before the list existed: after the upgrade a card reads the numbers the phone table holds, in
    their order; a service without phones reads none."""
    from alembic import command

    url = f"sqlite:///{tmp_path / 'k.sqlite'}"
    command.upgrade(migrate.alembic_config(url), "0020")
    with create_engine(url).begin() as c:
        for sid in ("a", "b"):
            c.execute(sql("INSERT INTO service (id, kind, name, hours_rules, conditions_text, bring, languages, "
                          "source_url, verified_on, confidence, has_phone) VALUES (:id, 'shelter', :id, '[]', '[]', "
                          "'[]', '[]', 'https://x.lv', '2026-12-01', 'verified', :has)"), {"id": sid, "has": sid == "a"})
        for position, number in ((1, "29000002"), (0, "65000001")):
            c.execute(sql("INSERT INTO phone (service_id, position, number, label) VALUES ('a', :p, :n, 'dežurants')"),
                      {"p": position, "n": number})
    migrate.upgrade(url)
    cards = {card.id: card for card in SqlKnowledgeRepository(url).services_by_id(["a", "b"])}
    assert [(p.number, p.label) for p in cards["a"].phones] == [("65000001", "dežurants"), ("29000002", "dežurants")]
    assert cards["b"].phones == ()
