"""The knowledge base on a real SQLite file: migrations, idempotent load, validation, queries."""

import shutil

import pytest
import yaml
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, func, select

from knowledge import loader, migrate
from knowledge.models import Base, Municipality, Phone, Service
from knowledge.repository import SHELTER_KINDS, SqlKnowledgeRepository


def counts(url):
    eng = create_engine(url)
    with eng.connect() as c:
        return tuple(c.scalar(select(func.count()).select_from(t)) for t in (Municipality, Service, Phone))


def test_migrations_match_the_models(tmp_path):
    url = f"sqlite:///{tmp_path / 'm.sqlite'}"
    migrate.upgrade(url)
    with create_engine(url).connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == [], f"models changed without a migration: {diff}"


def test_load_is_idempotent(kb_url):
    before = counts(kb_url)
    loader.load(kb_url)
    assert counts(kb_url) == before and before[0] == 43 and before[1] > 100


def test_repository_data_validates():
    assert loader.read().errors == []


@pytest.mark.parametrize(
    "mutate,message",
    [
        (lambda s: s[0].pop("source_url"), "missing source_url"),
        (lambda s: s[0].update(municipality="Atlantīda"), "unknown municipality"),
        (lambda s: s[0]["phones"].append({"number": "12345"}) or s[0]["phones"].append({"number": "6542150"}), "malformed phone"),
        (lambda s: s.append(dict(s[0])), "duplicate id"),
        (lambda s: s[0]["hours"].update(rules=[{"open": "25:00", "close": "08:00"}]), "impossible open time"),
        (lambda s: s[0].update(source_date="vakar"), "source_date"),
    ],
)
def test_validation_catches(tmp_path, mutate, message):
    src = loader.DATA
    for name in ("municipalities.yaml", "reviews.yaml"):
        shutil.copy(src / name, tmp_path / name)
    services = yaml.safe_load((src / "services.yaml").read_text())
    services[0].setdefault("phones", [])
    services[0].setdefault("hours", {})
    mutate(services)
    (tmp_path / "services.yaml").write_text(yaml.safe_dump(services, allow_unicode=True))
    errors = loader.read(tmp_path).errors
    assert any(message in e for e in errors), errors


def test_every_state_city_has_a_shelter_with_provenance(kb_url):
    repo = SqlKnowledgeRepository(kb_url)
    for city in ("Rīga", "Daugavpils", "Jelgava", "Jūrmala", "Liepāja", "Rēzekne", "Ventspils"):
        shelters = repo.services(SHELTER_KINDS, city)
        assert shelters, city
        for s in shelters:
            assert s.provenance.source_url and s.provenance.confidence in {"verified", "partially_verified", "unverified"}


def test_daugavpils_night_shelter(kb_url):
    (s,) = SqlKnowledgeRepository(kb_url).services(["night_shelter"], "Daugavpils")
    assert s.address == "Šaurā iela 23, Daugavpils" and s.phones[0].number == "65421500"


def test_verified_first(kb_url):
    shelters = SqlKnowledgeRepository(kb_url).services(SHELTER_KINDS, "Rīga")
    ranks = [0 if s.provenance.confidence == "verified" else 1 for s in shelters]
    assert ranks == sorted(ranks)


def test_merged_municipality_answers_as_successor(kb_url):
    repo = SqlKnowledgeRepository(kb_url)
    assert repo.municipality("Varakļānu novads").name == "Madonas novads"
    assert repo.resolve_place("dzīvoju Varakļānos") == "Madonas novads"
