"""After the front door's crisis block, Rasa opens the place question for a bed, or invites the person to go on and
offers the other needs the message's sentences state; it never answers the topic the classifier finds nearest."""

import asyncio

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.crisis import ActionCrisisFollowup
from cards.render import topic_titles
from tests.fakes import shown


def followup(ranking, other_needs=(), text="…"):
    d = CollectingDispatcher()
    message = {"intent": {"name": "crisis", "confidence": 1.0}, "text": text,
               "intent_ranking": [{"name": "crisis", "confidence": 1.0}, *ranking], "entities": [],
               "other_needs": list(other_needs)}
    events = [{"event": "user", "parse_data": message}]
    t = Tracker("u", {}, message, events, False, None, {}, "action_listen")
    done = asyncio.run(ActionCrisisFollowup().run(d, t, {}))
    return shown(d.messages), done


def test_a_bed_tonight_opens_the_place_question():
    for ranking, named in (([{"name": "ask_shelter_tonight", "confidence": 0.7}], ()),
                           ([{"name": "ask_first_steps", "confidence": 0.6}], ("ask_shelter_tonight",))):
        messages, events = followup(ranking, named)
        assert messages == [] and events == [{"event": "followup", "timestamp": None, "name": "shelter_form"}]


def test_the_nearest_topic_is_not_answered():
    # "stavu uz tilta un domaju lekt leja" ranks ask_housing 0.81 under the crisis intent; "сосед ломает дверь
    # топором" the first steps
    for ranking in ([{"name": "ask_housing", "confidence": 0.81}], [{"name": "ask_first_steps", "confidence": 0.54}],
                    [], [{"name": "greet", "confidence": 0.9}]):
        messages, events = followup(ranking)
        assert [m["response"] for m in messages] == ["utter_crisis_followup"] and events == []


def test_a_need_a_sentence_states_is_offered_as_a_button():
    # "negribu vairs dzīvot, nav pases, nav darba": the sentence "nav pases" states a need
    messages, events = followup([{"name": "ask_id_document", "confidence": 0.6}], ("ask_id_document",))
    assert [m["response"] for m in messages] == ["utter_crisis_followup", "utter_other_needs"] and events == []
    assert messages[1]["buttons"] == [{"title": topic_titles("lv")["ask_id_document"], "payload": "/ask_id_document"}]


def test_a_writer_freezing_outside_gets_the_place_question_for_a_bed():
    """The words name no bed ("идти некуда" is nowhere to go), the classifier ranks none: the cold itself is the need."""
    bed = [{"event": "followup", "timestamp": None, "name": "shelter_form"}]
    for text in ("меня избили ночью, забрали последние деньги, голова в крови. сижу на остановке в Резекне, замерзаю, "
                 "идти некуда", "guļu parkā, ļoti auksts un sāku aizmigt", "ārā ir -15 un es nosalstu"):
        assert followup([{"name": "ask_refusal", "confidence": 0.3}], text=text) == ([], bed), text
    # someone else lying in the snow: 112 and 113 have come first; no shelter question in their place
    messages, events = followup([], text="мужик лежит в снегу и не двигается")
    assert [m["response"] for m in messages] == ["utter_crisis_followup"] and events == []
