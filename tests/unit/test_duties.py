"""Who owes what (knowledge/data/duties.yaml): the rules, their sources, and the card that names both places."""

import pytest
import yaml

from cards.render import duties_card
from harness.wording import label
from knowledge.loader import DATA
from knowledge.records import BASES, owed_by
from knowledge.repository import duties
from lvnorm.residence import NOWHERE, UNKNOWN

RAW = yaml.safe_load((DATA / "duties.yaml").read_text(encoding="utf-8"))
DUTIES = duties()
BY_ID = {d.id: d for d in DUTIES}
SURVEY = "Tiesībsarga 2021. gada pārskats"


def test_every_kind_of_help_the_issue_names_has_a_rule():
    assert {"release_benefit", "social_help", "housing_help", "crisis_benefit", "tonight", "family_doctor", "refusal",
            "no_declared_residence", "declaration_annulled"} <= set(BY_ID)
    assert {d.basis for d in DUTIES} <= set(BASES)


@pytest.mark.parametrize("duty, basis, words", [
    # The survey (§5.1): refused when "the last declared residence before the sentence was not in the municipality".
    ("release_benefit", "declared", ("pirms cietuma", "mēneša laikā")),
    # The Social Services and Social Assistance Law, art. 9(1), as the survey quotes it: the declared residence.
    ("social_help", "declared", ("deklarētā dzīvesvieta",)),
    # The housing law, art. 4(1), with the exception of art. 14(1) points 3-5 (IeVP's answer, 2025).
    ("housing_help", "declared", ("pirms cietuma",)),
    # Night shelters serve people without a fixed residence where they are (Rīga); others limit outsiders.
    ("tonight", "present", ("kur esat",)),
    # MK noteikumi Nr. 555: everyone may choose a family doctor; one outside their territory may refuse.
    ("family_doctor", "any", ("jebkurš", "atteikt")),
    ("refusal", "any", ("rakstisku lēmumu", "mēneša laikā")),
])
def test_each_rule_says_what_its_source_says(duty, basis, words):
    d = BY_ID[duty]
    assert d.basis == basis
    assert all(w in d.rule for w in words)
    assert d.provenance.source_url


def test_the_survey_is_quoted_where_it_is_the_source():
    for d in RAW:
        if SURVEY in d["source_url"]:
            assert "“" in d["source_notes"]  # a verbatim quote from the survey, not a paraphrase


def test_money_and_housing_follow_the_declared_place_a_bed_follows_the_person():
    assert owed_by(BY_ID["release_benefit"], "Cēsu novads", "Rīga") == "Cēsu novads"
    assert owed_by(BY_ID["housing_help"], "Cēsu novads", "Rīga") == "Cēsu novads"
    assert owed_by(BY_ID["tonight"], "Cēsu novads", "Rīga") == "Rīga"
    assert owed_by(BY_ID["family_doctor"], "Cēsu novads", "Rīga") is None
    # Declared nowhere, or not known yet: the door to knock on is where the person is.
    assert owed_by(BY_ID["social_help"], NOWHERE, "Rīga") == "Rīga"
    assert owed_by(BY_ID["social_help"], None, "Rīga") == "Rīga"
    assert owed_by(BY_ID["social_help"], UNKNOWN, "Rīga") == "Rīga"


DUTIES_NAMES = {"lv": ("Pabalsts pēc atbrīvošanas", "Gulta šonakt"),
                "ru": ("Пособие после освобождения", "Ночлег сегодня")}


def test_the_card_names_both_places():
    card = duties_card(DUTIES, "Cēsu novads", "Rīga")
    assert label("duty_declared").format(name="Pabalsts pēc atbrīvošanas", municipality="Cēsu novads") in card
    assert label("duty_present").format(name="Gulta šonakt", municipality="Rīga") in card
    assert "Ja dzīvesvieta nav deklarēta" not in card
    assert "ieslodzītajiem), 2021. gada novembris" in card and "lvportals.lv, 26.03.2024." in card  # sources, dates


@pytest.mark.parametrize("language", ["lv", "ru"])
@pytest.mark.parametrize("role", ["relative", "worker"])
def test_a_relative_or_a_worker_reads_about_the_person_not_about_themselves(role, language):
    """A mother was told the declared residence was "yours" and the bed "where you are now" (2026-12-07)."""
    card = duties_card(DUTIES, "Cēsu novads", "Rīga", language, role)
    assert label("duty_declared_for", language)[role].format(name=DUTIES_NAMES[language][0],
                                                             municipality="Cēsu novads") in card
    assert label("duty_present_for", language)[role].format(name=DUTIES_NAMES[language][1], municipality="Rīga") in card
    assert duties_card(DUTIES, "Cēsu novads", "Rīga", language, "person") == duties_card(
        DUTIES, "Cēsu novads", "Rīga", language)  # the person themselves: as before


def test_the_card_gives_the_rule_when_the_declared_place_is_unknown_or_none():
    card = duties_card(DUTIES, None, "Rīga")
    assert "pirms cietuma" in card and "Cēsu" not in card
    card = duties_card(DUTIES, NOWHERE, "Rīga", "ru")
    assert "Если нет задекларированного места жительства" in card and "Если вас выписали" in card
    assert label("duty_present", "ru").format(name="Ночлег сегодня", municipality="Rīga") in card
