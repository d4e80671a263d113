"""The shelter action against a fake knowledge base: what it says, and that it never invents."""

import asyncio

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.shelter import MAX_SHELTERS, ActionAskMunicipality, ActionFindShelter, ValidateShelterForm
from tests.fakes import FakeRepository, service


def tracker(slots=None, intent="ask_shelter_tonight", entities=()):
    """A fresh tracker per test."""
    return Tracker(
        "u1", slots or {}, {"intent": {"name": intent}, "entities": list(entities), "text": "x"},
        [], False, None, {"name": "shelter_form"} if slots is None else {}, "action_listen",
    )


def run(action, t):
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, t, {}))
    return dispatcher.messages, events


def test_shelter_card_carries_address_phone_and_source_date():
    repo = FakeRepository([service("night_shelter", "Daugavpils Nakts patversme", "Daugavpils"),
                           service("social_service", "Sociālais dienests", "Daugavpils", phones=("65423700",))])
    messages, _ = run(ActionFindShelter(lambda: repo), tracker({"municipality": "Daugavpils"}))
    assert messages[0]["response"] == "utter_shelter_intro"
    card = messages[1]["text"]
    assert "Šaurā iela 23, Daugavpils" in card and "65421500" in card and "2024. gada oktobris" in card
    assert "daugavpils.lv" in card and "⚠️" not in card
    responses = [m["response"] for m in messages if m["response"]]
    assert "utter_shelter_if_full" in responses and "utter_social_service_intro" in responses
    assert repo.asked[0] == (("night_shelter", "shelter"), "Daugavpils")


def test_partially_verified_shelter_says_call_ahead():
    repo = FakeRepository([service("night_shelter", "X", "Rīga", confidence="partially_verified")])
    messages, _ = run(ActionFindShelter(lambda: repo), tracker({"municipality": "Rīga"}))
    assert "Pirms došanās piezvaniet" in messages[1]["text"]


def test_at_most_three_cards():
    repo = FakeRepository([service("night_shelter", f"S{i}", "Rīga") for i in range(6)])
    messages, _ = run(ActionFindShelter(lambda: repo), tracker({"municipality": "Rīga"}))
    assert sum(1 for m in messages if m["text"] and m["text"].startswith("🏠")) == MAX_SHELTERS


def test_no_data_is_said_honestly_with_social_service_fallback():
    repo = FakeRepository([service("social_service", "Ogres novada Sociālais dienests", "Ogres novads", phones=("65055000",))])
    messages, _ = run(ActionFindShelter(lambda: repo), tracker({"municipality": "Ogres novads"}))
    assert messages[0]["response"] == "utter_shelter_no_data" and messages[0]["municipality"] == "Ogres novads"
    assert "65055000" in messages[2]["text"]
    assert messages[-1]["response"] == "utter_shelter_no_data_fallback"  # 112 and the state cities, always


def test_no_data_and_no_social_service_gives_national_fallback():
    messages, _ = run(ActionFindShelter(lambda: FakeRepository()), tracker({"municipality": "Madonas novads"}))
    responses = [m["response"] for m in messages]
    assert responses == ["utter_shelter_no_data", "utter_social_service_no_data", "utter_shelter_no_data_fallback"]
    assert not any(m["text"] for m in messages)  # nothing composed from facts, because there are none


def test_missing_phone_is_stated_not_filled():
    repo = FakeRepository([service("night_shelter", "Y", "Jūrmala", phones=())])
    messages, _ = run(ActionFindShelter(lambda: repo), tracker({"municipality": "Jūrmala"}))
    assert "Tālruņa numura man nav." in messages[1]["text"]


def test_ask_municipality_prompt_depends_on_what_the_person_did():
    ask = ActionAskMunicipality()
    assert run(ask, tracker(intent="ask_shelter_tonight"))[0][0]["response"] == "utter_ask_municipality"
    assert run(ask, tracker(intent="inform_other_place"))[0][0]["response"] == "utter_ask_municipality_typed"
    assert run(ask, tracker(intent="inform_municipality"))[0][0]["response"] == "utter_place_unknown"


def test_validate_keeps_form_open_for_other_place():
    t = Tracker("u1", {"requested_slot": "municipality"}, {"intent": {"name": "inform_other_place"}, "entities": []},
                [], False, None, {"name": "shelter_form"}, "action_listen")
    dispatcher = CollectingDispatcher()
    events = asyncio.run(ValidateShelterForm().run(dispatcher, t, {"forms": {"shelter_form": {"required_slots": ["municipality"]}}}))
    assert {"event": "slot", "timestamp": None, "name": "municipality", "value": None} in events
