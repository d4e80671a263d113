"""`rasa data validate` passes, and its only warnings are the known, explained ones."""

import json
import re
import subprocess

import pytest
import yaml

from lvnorm import other_needs
from lvnorm.text import fold
from harness.rasa_domain import domain as rasa_domain
from tests.conftest import RASA_BIN, ROOT, base_env

# Rasa flags responses that no story or rule names. These are sent by custom actions (checked below), so the
# warning is a false positive for each of them. Any other warning fails the test.
# Form questions (utter_ask_*) are also sent by the form, never by a rule.
USED_BY_FORMS = {
    "utter_ask_checklist_form_declared_municipality",
    "utter_ask_cl_released", "utter_ask_cl_id",
    "utter_ask_cl_certificate", "utter_ask_cl_residence", "utter_ask_cl_doctor", "utter_ask_cl_bank",
    "utter_ask_cl_probation", "utter_ask_cl_working_age",
}
# Intents only buttons send (their payload names the intent), so there is no NLU data for them to learn; and
# `crisis`, which nlu_components/crisis.py takes from the front door's decision (crisis/), never from a classifier.
BUTTON_ONLY_INTENTS = {"inform_answer"}
DECIDED_BY_COMPONENT = {"crisis"}
USED_BY_ACTIONS = {
    "utter_municipality_noted", "utter_place_unknown", "utter_shelter_if_full",
    "utter_shelter_intro", "utter_shelter_no_data", "utter_shelter_no_data_fallback",
    "utter_social_service_ask_place", "utter_social_service_intro", "utter_social_service_no_data",
    "utter_topic_not_ready", "utter_ask_place_for_local", "utter_local_no_data", "utter_did_you_mean",
    "utter_offer_handoff_after_misses", "utter_default", "utter_checklist_date_unclear", "utter_checklist_next",
    "utter_checklist_none", "utter_checklist_which", "utter_crisis_followup",
    "utter_ask_declared_municipality", "utter_tonight_where_you_are", "utter_checklist_place_unclear",
    "utter_shelter_nearest_elsewhere", "utter_ask_municipality", "utter_ask_checklist_form_municipality",
    "utter_other_needs", "utter_answered_above",
}


@pytest.mark.rasa
def test_rasa_data_validate(tmp_path):
    out = subprocess.run(
        [str(RASA_BIN), "data", "validate", "--domain", "domain", "--data", "data", "--config", "config.yml"],
        cwd=ROOT, env=base_env(tmp_path), capture_output=True, text=True, timeout=600,
    )
    assert out.returncode == 0, out.stdout[-3000:] + out.stderr[-3000:]
    warnings = set(re.findall(r"UserWarning: (.*)", out.stdout + out.stderr))
    explained = {f"The utterance '{r}' is not used in any story or rule." for r in USED_BY_ACTIONS | USED_BY_FORMS}
    explained |= {f"The intent '{i}' is listed in the domain file, but is not found in the NLU training data."
                  for i in BUTTON_ONLY_INTENTS | DECIDED_BY_COMPONENT}
    assert warnings - explained == set()
    assert explained - warnings == set(), "update the lists: a response or intent is no longer flagged"


def test_allowlisted_responses_are_really_sent_by_actions():
    source = "".join(p.read_text() for p in (ROOT / "actions").glob("*.py"))
    assert {r for r in USED_BY_ACTIONS if f'"{r}"' not in source} == set()


def _examples(path):
    data = yaml.safe_load(path.read_text())
    for block in data.get("nlu", []):
        for line in block.get("examples", "").splitlines():
            text = line.strip().removeprefix("- ").strip()
            if text:
                yield block.get("intent"), fold(re.sub(r"\[([^\]]+)\]\{[^}]*\}|\[([^\]]+)\]\([^)]*\)", r"\1\2", text))


def test_held_out_set_is_not_in_training_data():
    train = {t for p in (ROOT / "data" / "nlu").rglob("*.yml") for _, t in _examples(p)}
    held_out = [t for _, t in _examples(ROOT / "tests" / "nlu" / "test_nlu_lv.yml")]
    assert len(held_out) > 300
    assert [t for t in held_out if t in train] == []


def test_blind_sets_share_no_message_with_any_training_text():
    """The blind sets (tests/nlu/blind_*.yml) stay out of the training data. Short
    common phrases ("tu esi bots?", "paldies") are written alike by independent writers; from five words on, a
    shared message would be a leak."""
    blind = {fold(m["text"]) for p in (ROOT / "tests" / "nlu").glob("blind_*.yml")
             for m in yaml.safe_load(p.read_text())["messages"]}
    assert len(blind) > 700
    train = {t for p in (ROOT / "data" / "nlu").rglob("*.yml") for _, t in _examples(p)}
    assert [t for t in blind & train if len(t.split()) >= 5] == []
    clauses = {fold(t) for t, _ in other_needs.examples()}  # the other-needs model's sentences
    assert len(clauses) > 1000 and [m for m in blind if any(len(c.split()) >= 5 and c in m for c in clauses)] == []


def test_every_button_leads_somewhere():
    """A button sends a domain intent, or asks the front door's volunteer queue for one of its known categories."""
    from bot.handoff import CATEGORIES

    domain = rasa_domain()
    payloads = [b["payload"] for variants in domain["responses"].values() for v in variants for b in v.get("buttons", [])]
    intents = set(domain["intents"])
    bad = [p for p in payloads if not (
        (p.startswith("/") and re.match(r"/(\w+)", p).group(1) in intents)
        or (p.startswith("#h:") and p[3:] in CATEGORIES)
    )]
    assert payloads and bad == []
    assert {p[3:] for p in payloads if p.startswith("#h:")} == {"asked", "fallback", "no_data", "report_error"}


def test_button_payloads_with_entities_survive_rasas_slot_filling():
    """Rasa fills a response's {slot} blanks in its buttons too, with str.format after turning `{name}` into
    `{0[name]}`: a payload's JSON must have doubled braces, which come out single. With single braces Rasa logged an
    error for every button of every plan question (102 lines in one test run) and sent the payload unchanged."""
    domain = rasa_domain()
    payloads = [b["payload"] for variants in domain["responses"].values() for v in variants for b in v.get("buttons", [])]
    with_entities = [p for p in payloads if "{" in p]
    assert with_entities
    for payload in with_entities:
        sent = payload.format({})  # what Rasa's interpolator returns for an escaped template
        intent, _, entities = sent.partition("{")
        assert intent.startswith("/") and isinstance(json.loads("{" + entities), dict), payload


def test_every_conditional_response_is_one_rasa_can_match():
    """Rasa reads `value` of every condition while choosing a variant; a condition without one makes the whole
    response fail at run time (the action's events are lost and the person gets nothing)."""
    domain = rasa_domain()
    slots = set(domain["slots"])
    bad = [(name, c) for name, variants in domain["responses"].items() for v in variants
           for c in v.get("condition") or [] if c.get("type") != "slot" or c.get("name") not in slots or "value" not in c]
    assert bad == []
    no_default = [name for name, variants in domain["responses"].items() if all(v.get("condition") for v in variants)]
    assert no_default == []


def test_no_slots_match_two_conditional_variants_of_a_response():
    """Rasa picks at random among all the conditional variants whose conditions hold: a Latvian variant for a
    relative without `language: lv` was one of three answers a Russian-speaking mother could get (2026-12-07)."""
    import itertools

    domain = rasa_domain()
    twice = []
    for name, variants in domain["responses"].items():
        conditions = [{c["name"]: c["value"] for c in v["condition"]} for v in variants if v.get("condition")]
        values = {slot: sorted({str(c[slot]) for c in conditions if slot in c} | {"<other>"})
                  for c in conditions for slot in c}
        for combination in itertools.product(*values.values()):
            filled = dict(zip(values, combination))
            matching = [c for c in conditions if all(str(v) == filled[k] for k, v in c.items())]
            if len(matching) > 1:
                twice.append((name, filled))
                break
    assert twice == []
