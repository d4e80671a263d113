"""After the front door's crisis block, Rasa answers the other need the message names (or invites the person to go
on): the classifier's ranking under the crisis intent decides."""

import asyncio

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.crisis import ActionCrisisFollowup
from knowledge.records import Topic
from tests.fakes import FakeRepository, procedure, shown


def followup(ranking, municipality=None):
    d = CollectingDispatcher()
    message = {"intent": {"name": "crisis", "confidence": 1.0},
               "intent_ranking": [{"name": "crisis", "confidence": 1.0}, *ranking], "entities": []}
    t = Tracker("u", {"municipality": municipality}, message, [], False, None, {}, "action_listen")
    repo = FakeRepository(topics={"ask_id_document": Topic(procedures=("id_document",))},
                          steps=[procedure("id_document", "Pases vai eID kartes saņemšana")])
    events = asyncio.run(ActionCrisisFollowup(lambda: repo).run(d, t, {}))
    return shown(d.messages), events


def test_a_bed_tonight_opens_the_place_question():
    messages, events = followup([{"name": "ask_shelter_tonight", "confidence": 0.7}])
    assert messages == [] and events == [{"event": "followup", "timestamp": None, "name": "shelter_form"}]


def test_another_clear_need_is_answered():
    messages, events = followup([{"name": "ask_id_document", "confidence": 0.6}])
    assert events == [] and "Pases vai eID kartes saņemšana" in messages[0]["text"]


def test_no_clear_need_gets_an_invitation_to_write():
    for ranking in ([], [{"name": "ask_id_document", "confidence": 0.2}], [{"name": "greet", "confidence": 0.9}]):
        messages, events = followup(ranking)
        assert [m["response"] for m in messages] == ["utter_crisis_followup"] and events == []
