"""Every phone number the dialogue states outright must be in the knowledge base with a source."""

import re
import shutil

import yaml

from harness.rasa_domain import domain as rasa_domain
from bot.texts import TEXTS
from knowledge import loader
from knowledge.loader import DATA
from tests.conftest import ROOT

NUMBER = re.compile(r"(?<!\d)(\d{3}(?: ?\d{3})?|\d{8})(?!\d)")


def numbers_in(text: str) -> set[str]:
    return {n.replace(" ", "") for n in NUMBER.findall(text)}


def known_numbers() -> set[str]:
    services = yaml.safe_load((DATA / "services.yaml").read_text())
    return {p["number"] for s in services if s.get("source_url") for p in s.get("phones") or []}


def test_domain_and_front_door_numbers_are_sourced():
    domain = rasa_domain()
    texts = [v["text"] for variants in domain["responses"].values() for v in variants]
    texts += [t for lang in TEXTS.values() for t in lang.values()]
    stated = set().union(*(numbers_in(t) for t in texts)) - {"2024", "2025", "2026"}
    assert stated, "the test must see the emergency numbers"
    assert stated <= known_numbers(), stated - known_numbers()


def test_validate_refuses_a_key_written_twice_in_a_record(tmp_path):
    """YAML keeps the last of two equal keys silently: a second `phones:` would hide the first phone's source."""
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    text = (data / "services.yaml").read_text(encoding="utf-8")
    at = text.index("\n  confidence:", text.index("- id: jekabpils-naktspatversme\n"))
    (data / "services.yaml").write_text(text[:at] + "\n  phones: []" + text[at:], encoding="utf-8")
    assert any(e.startswith("services.yaml: line ") and "phones written twice" in e for e in loader.read(data).errors)
    assert loader.read(DATA).errors == []
