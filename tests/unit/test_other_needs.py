"""Other needs in one message: clauses, the sentence-level model, and the buttons under the answer."""

import asyncio

import yaml
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.other_needs import buttons, named_with
from actions.topics import ActionAnswerTopic
from cards.render import topic_titles
from knowledge.records import Topic
from lvnorm.other_needs import NONE, NeedModel, clauses, examples, model
from tests.conftest import ROOT
from tests.fakes import FakeRepository, shown


def test_a_message_is_cut_into_sentences_and_clauses():
    assert clauses("Iznācu vakar. Nav kur gulēt, un pase arī beigusies!") == [
        "Iznācu vakar", "Nav kur gulēt", "pase arī beigusies"]
    assert clauses("Вышел вчера и паспорта нет\nденег ноль") == ["Вышел вчера", "паспорта нет", "денег ноль"]
    assert clauses("... , !!") == []


def tiny():
    return NeedModel.train([
        ("nav kur gulēt", "ask_shelter_tonight"), ("naktspatversme", "ask_shelter_tonight"),
        ("nav ko ēst", "ask_food"), ("gribu ēst", "ask_food"),
        ("pase beigusies", "ask_id_document"), ("nav pases", "ask_id_document"),
        ("iznācu vakar", NONE), ("esmu viņa māte", NONE), ("sēdēju piecus gadus", NONE), ("labdien", NONE)])


def test_the_model_names_the_other_needs_never_the_topic_itself():
    m = tiny()
    text = "Labdien. Iznācu vakar, nav kur gulēt. Pase beigusies, nav ko ēst."
    assert m.others(text, "ask_shelter_tonight", threshold=0.5) == ["ask_id_document", "ask_food"]
    assert m.others(text, "ask_food", threshold=0.5) == ["ask_shelter_tonight", "ask_id_document"]
    assert m.others("nav kur gulēt un nav ko ēst", "ask_shelter_tonight", threshold=0.5) == ["ask_food"]


def test_one_clause_or_unknown_words_offer_nothing():
    m = tiny()
    assert m.others("nav kur gulēt, pase beigusies", "ask_food", threshold=1.01) == []  # nothing is that sure
    assert m.others("pase beigusies", "ask_food", threshold=0.5) == []  # one clause: the topic is all it says
    assert m.need("zzz qqq") == (NONE, 1.0)
    assert m.others("Iznācu vakar. Esmu viņa māte.", "ask_food", threshold=0.5) == []


def test_slang_counts_as_its_plain_meaning():
    m = NeedModel.train([("patversme", "ask_shelter_tonight"), ("iznācu vakar", NONE), ("labdien", NONE)])
    assert m.need("bomžatnīca")[0] == "ask_shelter_tonight"  # lvnorm/lexicon.yml: bomžatnīca -> patversme


def test_the_data_covers_every_offered_topic_and_none():
    labels = {label for _, label in examples()}
    assert NONE in labels and "ask_shelter_tonight" in labels and "ask_id_document" in labels
    assert model().need("pase arī beigusies")[0] == "ask_id_document"


def tracker(*user_events):
    events = [{"event": "user", "parse_data": p} for p in user_events]
    latest = user_events[-1] if user_events else {}
    return Tracker("u", {"municipality": None}, latest, events, False, None, {}, "action_listen")


def test_buttons_come_from_the_message_about_that_topic():
    story = {"intent": {"name": "ask_shelter_tonight"}, "other_needs": ["ask_food", "ask_shelter_tonight", "x"]}
    place = {"intent": {"name": "inform_municipality"}, "other_needs": []}
    t = tracker(story, place)  # the place question came in between
    assert named_with(t, "ask_shelter_tonight") == ["ask_food", "ask_shelter_tonight", "x"]
    food = topic_titles("lv")["ask_food"]
    assert buttons(t, "ask_shelter_tonight", "lv") == [{"title": food, "payload": "/ask_food"}]
    assert buttons(t, "ask_id_document", "lv") == []
    crisis = {"intent": {"name": "crisis"}, "other_needs": []}  # after a crisis block, its other need is answered:
    assert named_with(tracker(story, crisis), "ask_shelter_tonight") == []  # not an older question's offers


def test_a_topic_answer_ends_with_the_other_needs():
    repo = FakeRepository(rows=[], topics={"ask_id_document": Topic()})
    d = CollectingDispatcher()
    parse = {"intent": {"name": "ask_id_document"}, "entities": [], "other_needs": ["ask_benefits"]}
    t = Tracker("u", {}, parse, [{"event": "user", "parse_data": parse}], False, None, {}, "action_listen")
    asyncio.run(ActionAnswerTopic(lambda: repo).run(d, t, {}))
    last = shown(d.messages)[-1]
    assert last["response"] == "utter_other_needs" and [b["payload"] for b in last["buttons"]] == ["/ask_benefits"]


def test_the_writers_dev_messages_hold_their_floor():
    """tests/nlu/other_needs_dev.yml: 240 messages by the four writers of lvnorm/clauses/ (same hands: a guard
    against a data edit that loses what was reached, not the figure reported, which is the blind sets'). Reached on
    2026-12-06: 101 of 138 other needs offered, 101 of 114 offers right, 5 of 120 single-need messages offered
    something; floors 0.02 below."""
    messages = yaml.safe_load((ROOT / "tests" / "nlu" / "other_needs_dev.yml").read_text(encoding="utf-8"))["messages"]
    found = named = right = offers = single_offered = singles = 0
    for m in messages:
        main, others = m["needs"][0], set(m["needs"][1:])
        offered = model().others(m["text"], main)
        found, named = found + len(others & set(offered)), named + len(others)
        right, offers = right + len(set(offered) & set(m["needs"])), offers + len(offered)
        singles, single_offered = singles + (not others), single_offered + (not others and bool(offered))
    assert found / named >= 0.71 and right / offers >= 0.86 and single_offered / singles <= 0.06
