"""Two-step fallback: topics as buttons first, then a person and the menu."""

import asyncio

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from cards.render import topic_titles
from tests.fakes import shown
from actions.fallback import ActionSuggestTopics


def run(events, ranking, other_needs=(), text="nezinu ko te rakstit, vienkarsi gribu lai kads palidz man tagad"):
    latest = {"intent": {"name": "nlu_fallback"}, "intent_ranking": ranking, "entities": [],
              "other_needs": list(other_needs), "text": text}
    events = [*events[:-1], {"event": "user", "parse_data": latest}]  # the message being answered is the last one
    t = Tracker("u", {}, latest, events, False, None, {}, "action_listen")
    d = CollectingDispatcher()
    asyncio.run(ActionSuggestTopics().run(d, t, {}))
    return shown(d.messages)


def user(intent):
    return {"event": "user", "parse_data": {"intent": {"name": intent}}}


RANKING = [{"name": "nlu_fallback"}, {"name": "ask_food"}, {"name": "greet"}, {"name": "ask_benefits"},
           {"name": "ask_job"}, {"name": "ask_health"}]


def test_first_miss_suggests_the_three_likeliest_topics_and_a_person():
    (m,) = run([user("greet"), user("nlu_fallback")], RANKING)
    assert m["response"] == "utter_did_you_mean"
    payloads = [b["payload"] for b in m["buttons"]]
    assert payloads == ["/ask_food", "/ask_benefits", "/ask_job", "/request_handoff", "/help"]
    assert m["buttons"][0]["title"] == topic_titles("lv")["ask_food"]


def test_second_miss_in_a_row_offers_a_person_and_the_menu():
    messages = run([user("nlu_fallback"), user("nlu_fallback")], RANKING)
    assert [x["response"] for x in messages] == ["utter_default", "utter_offer_handoff_after_misses", "utter_menu"]


def test_a_need_a_sentence_named_comes_before_the_whole_messages_guesses():
    # "mans dēls vakar iznāca, viņam nav kur dzīvot un nav naudas. mēs dzīvojam Jelgavā": the whole message is unsure,
    # one sentence asks for a bed
    (m,) = run([user("nlu_fallback")], RANKING, other_needs=["ask_shelter_tonight", "ask_food"])
    payloads = [b["payload"] for b in m["buttons"]]
    assert payloads == ["/ask_shelter_tonight", "/ask_food", "/ask_benefits", "/request_handoff", "/help"]


def test_a_short_unclear_question_right_after_an_answer_offers_that_topic_first():
    """'kas man japanem lidzi' after a bed was given: the bed's answer again (what to bring is on its cards)."""
    (m,) = run([user("ask_shelter_tonight"), user("nlu_fallback")], RANKING, text="kas man japanem lidzi")
    assert [b["payload"] for b in m["buttons"]][:2] == ["/ask_shelter_tonight", "/ask_food"]
    (m,) = run([user("ask_shelter_tonight"), user("nlu_fallback")], RANKING)  # a longer message: its own guesses
    assert [b["payload"] for b in m["buttons"]][0] == "/ask_food"
    # a short question first, then more words (the terminal chat, 2026-12-07): the question is about the bed
    (m,) = run([user("ask_shelter_tonight"), user("nlu_fallback")], RANKING,
               text="a kur tas ir? cik talu ejams no stacijas, telefonam 5% palicis")
    assert [b["payload"] for b in m["buttons"]][0] == "/ask_shelter_tonight"



def test_a_second_question_that_names_nothing_is_about_the_answer_before_not_a_second_miss():
    """'cik maksā?' after a bed got 'did you mean'; 'kad strādā?' next is about the bed too, not a second miss."""
    did_you_mean = {"event": "bot", "metadata": {"utter_action": "utter_did_you_mean"}}
    events = [user("ask_shelter_tonight"), user("nlu_fallback"), did_you_mean, user("nlu_fallback")]
    (m,) = run(events, RANKING, text="kad strādā?")
    assert [b["payload"] for b in m["buttons"]][0] == "/ask_shelter_tonight"
    (m,) = run(events, RANKING, text="un ja tur nav vietu?")  # points back at the bed (2026-12-07)
    assert [b["payload"] for b in m["buttons"]][0] == "/ask_shelter_tonight"
    messages = run(events, RANKING)  # an unclear message that says something: the second miss, as before
    assert [x["response"] for x in messages] == ["utter_default", "utter_offer_handoff_after_misses", "utter_menu"]


def test_a_phone_or_an_address_asked_for_alone_after_a_card_points_to_that_card():
    """"adrese un telefons vajag" after Aizkraukle's social service was read as a report of wrong information (the
    terminal chat, 2026-12-07): all there is stands on the card just shown. Asked before anything was answered, it is
    an ordinary miss."""
    for text in ("adrese un telefons vajag", "telefons ir? man kredits maz palicis", "а телефон есть?"):
        (m,) = run([user("ask_social_worker"), user("nlu_fallback")], RANKING, text=text)
        assert m["response"] == "utter_answered_above", text
    (m,) = run([user("nlu_fallback")], RANKING, text="telefons ir?")
    assert m["response"] == "utter_did_you_mean"
