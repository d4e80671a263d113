"""Topic answers against a fake knowledge base: the plan in data decides what is shown, nothing is invented."""

import asyncio

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.topics import ActionAnswerTopic
from knowledge.repository import Topic
from tests.fakes import FakeRepository, benefit, procedure, service


def ask(repo, intent, municipality=None):
    d = CollectingDispatcher()
    t = Tracker("u", {"municipality": municipality}, {"intent": {"name": intent}, "entities": []}, [], False, None, {},
                "action_listen")
    asyncio.run(ActionAnswerTopic(lambda: repo).run(d, t, {}))
    return d.messages


def repo():
    return FakeRepository(
        rows=[service("institution", "PMLP", None, id="pmlp", phones=("67209400",)),
              service("social_service", "Saldus sociālais dienests", "Saldus novads", phones=("63807280",)),
              service("soup_kitchen", "Zupas virtuve", "Daugavpils", phones=())],
        topics={"ask_id_document": Topic(procedures=("id_document",), services=("pmlp",)),
                "ask_benefits": Topic(benefits=("release_benefit",), local=("social_service",)),
                "ask_food": Topic(local=("soup_kitchen",))},
        steps=[procedure("id_document", "Pases vai eID kartes saņemšana", cost="eID karte 30 EUR", where="PMLP")],
        money=[benefit("rb", "release_benefit", "Pabalsts (vispārīgi)", deadline="Viena mēneša laikā."),
               benefit("rb_s", "release_benefit", "Pabalsts (Saldus novads)", "Saldus novads", amount="140 EUR")],
    )


def test_procedure_and_institution_cards():
    texts = [m["text"] for m in ask(repo(), "ask_id_document")]
    assert "📄 Pases vai eID kartes saņemšana" in texts[0] and "💶 Maksa: eID karte 30 EUR" in texts[0]
    assert "pmlp.gov.lv, 18.12.2025." in texts[0]
    assert "67209400" in texts[1]


def test_benefits_put_the_municipality_first_and_ask_place_for_local_contacts():
    with_place = ask(repo(), "ask_benefits", "Saldus novads")
    assert with_place[0]["text"].startswith("💶 Pabalsts (Saldus novads)") and "140 EUR" in with_place[0]["text"]
    assert "63807280" in with_place[-1]["text"]
    without = ask(repo(), "ask_benefits")
    assert [m["text"].splitlines()[0] for m in without if m["text"]] == ["💶 Pabalsts (vispārīgi)"]
    assert without[-1]["response"] == "utter_ask_place_for_local"


def test_no_local_data_is_said():
    messages = ask(repo(), "ask_food", "Madonas novads")
    assert messages == [{**messages[0], "response": "utter_local_no_data", "municipality": "Madonas novads"}]


def test_topic_without_plan_is_honest():
    messages = ask(repo(), "request_checklist")
    assert messages[0]["response"] == "utter_topic_not_ready"
    assert messages[1]["response"] == "utter_social_service_ask_place"
