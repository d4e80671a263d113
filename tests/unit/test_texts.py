"""Every sentence a person can see exists in both languages: the front door's texts, the card labels and the Rasa
responses. (Volunteers' texts, `v_*`, are Latvian only: the volunteers are.)"""

import string

import yaml

from harness.rasa_domain import domain as rasa_domain
from bot.texts import TEXTS
from tests.conftest import ROOT

LATVIAN_ONLY = ("v_", "language_name_")


def _fields(s: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(s) if f}


def test_every_front_door_text_has_a_russian_one_with_the_same_blanks():
    missing = [k for k in TEXTS["lv"] if not k.startswith(LATVIAN_ONLY) and k not in TEXTS["ru"]]
    assert missing == []
    assert set(TEXTS["ru"]) <= set(TEXTS["lv"]), "a Russian text without a Latvian one"
    differ = [k for k in TEXTS["ru"] if _fields(TEXTS["ru"][k]) != _fields(TEXTS["lv"][k])]
    assert differ == [], "the Russian text must fill the same blanks"


def test_every_card_label_has_a_russian_one():
    labels = yaml.safe_load((ROOT / "cards" / "templates.yml").read_text(encoding="utf-8"))

    def keys(d, prefix=""):
        return {prefix + k for k in d} | {x for k, v in d.items() if isinstance(v, dict) for x in keys(v, k + ".")}

    assert keys(labels["lv"]) == keys(labels["ru"])


def test_every_rasa_response_has_a_russian_variant_and_a_latvian_default():
    responses = rasa_domain()["responses"]
    for name, variants in responses.items():
        ru = [v for v in variants if any(c.get("value") == "ru" for c in v.get("condition", []))]
        default = [v for v in variants if "condition" not in v]
        assert ru and default, f"{name}: needs a Russian variant and a Latvian default"


def test_a_button_to_a_topic_has_the_topics_title_wherever_it_is_offered():
    """One title per topic and language: a Rasa response's button to a topic says what cards/templates.yml calls the
    topic (the buttons under an answer, the front door's handoff button and its menu of commands read it there; Rasa's
    domain must hold its buttons' titles itself)."""
    titles = yaml.safe_load((ROOT / "cards" / "templates.yml").read_text(encoding="utf-8"))
    differ, seen = [], 0
    for name, variants in rasa_domain()["responses"].items():
        for v in variants:
            lang = "ru" if any(c.get("value") == "ru" for c in v.get("condition", [])) else "lv"
            for b in v.get("buttons", []):
                topic = b["payload"].removeprefix("/")
                if topic in titles[lang]["topic_titles"]:
                    seen += 1
                    if b["title"] != titles[lang]["topic_titles"][topic]:
                        differ.append((name, lang, b["title"], titles[lang]["topic_titles"][topic]))
    assert differ == [] and seen >= 14  # the menu's and the other topic buttons, in both languages
