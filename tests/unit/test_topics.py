"""Topic answers against a fake knowledge base: the plan in data decides what is shown, nothing is invented."""

import asyncio
import datetime as dt
from dataclasses import replace

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.topics import ActionAnswerTopic
from harness.wording import appears, label
from knowledge.hours import RIGA
from knowledge.records import Topic
from lvnorm.other_needs import OTHER_NEEDS
from tests.fakes import FakeRepository, benefit, procedure, service, shown


def ask(repo, intent, municipality=None, declared=None, others=()):
    d = CollectingDispatcher()
    parse = {"intent": {"name": intent}, "entities": [], OTHER_NEEDS: list(others)}
    t = Tracker("u", {"municipality": municipality, "declared_municipality": declared}, parse,
                [{"event": "user", "parse_data": parse}], False, None, {}, "action_listen")
    asyncio.run(ActionAnswerTopic(lambda: repo).run(d, t, {}))
    return shown(d.messages)


def repo():
    return FakeRepository(
        rows=[service("institution", "PMLP", None, id="pmlp", phones=("67209400",)),
              service("social_service", "Saldus sociālais dienests", "Saldus novads", phones=("63807280",)),
              service("soup_kitchen", "Zupas virtuve", "Daugavpils", phones=()),
              service("night_shelter", "Rīgas naktspatversme", "Rīga", phones=("67000000",))],
        topics={"ask_id_document": Topic(procedures=("id_document",), services=("pmlp",)),
                "ask_benefits": Topic(benefits=("release_benefit",), local=("social_service",)),
                "ask_food": Topic(local=("soup_kitchen",)),
                "ask_clothes_hygiene": Topic(local=("day_centre", "social_service")),
                "ask_responsible_municipality": Topic(benefits=("release_benefit",), local=("social_service",),
                                                      duty="release_benefit", duties=True),
                "ask_social_worker": Topic(local=("social_service",), duty="social_help"),
                "ask_mentor": Topic(local=("social_service",), person=True)},
        steps=[procedure("id_document", "Pases vai eID kartes saņemšana", cost="eID karte 30 EUR", where="PMLP")],
        money=[benefit("rb", "release_benefit", "Pabalsts (vispārīgi)", deadline="Viena mēneša laikā."),
               benefit("rb_s", "release_benefit", "Pabalsts (Saldus novads)", "Saldus novads", amount="140 EUR")],
    )


def test_procedure_and_institution_cards():
    texts = [m["text"] for m in ask(repo(), "ask_id_document")]
    assert label("step_name").format(name="Pases vai eID kartes saņemšana") in texts[0]
    assert label("step_cost").format(cost="eID karte 30 EUR") in texts[0]
    assert "pmlp.gov.lv, 18.12.2025." in texts[0]
    assert "67209400" in texts[1]


def test_benefits_put_the_municipality_first_and_ask_place_for_local_contacts():
    with_place = ask(repo(), "ask_benefits", "Saldus novads")
    assert with_place[0]["text"].startswith(label("benefit_name").format(name="Pabalsts (Saldus novads)"))
    assert "140 EUR" in with_place[0]["text"]
    assert "63807280" in with_place[-2]["text"]
    assert with_place[-1]["text"] == label("checkin_offer")
    without = ask(repo(), "ask_benefits")
    general = label("benefit_name").format(name="Pabalsts (vispārīgi)")
    assert [m["text"].splitlines()[0] for m in without if m["text"]] == [general]
    assert without[-1]["response"] == "utter_ask_place_for_local"


def test_no_local_data_is_said_and_the_social_service_given():
    messages = ask(repo(), "ask_food", "Madonas novads")  # the fake knows no social service there either
    assert [(m["response"], m["municipality"]) for m in messages] == [
        ("utter_local_no_data", "Madonas novads"), ("utter_social_service_no_data", "Madonas novads")]
    messages = ask(repo(), "ask_food", "Saldus novads")
    assert [m["response"] for m in messages][:2] == ["utter_local_no_data", "utter_social_service_intro"]
    assert "63807280" in messages[2]["text"]  # where to ask instead, with its phone
    assert messages[-1]["text"] == label("checkin_offer")  # and whether it helped


def test_no_place_of_the_kind_asked_for_is_said_also_when_the_social_service_is_one_of_the_kinds():
    """'kur paēst bez maksas Rēzeknē' gave the social service card alone, as if it were a soup kitchen."""
    messages = ask(repo(), "ask_clothes_hygiene", "Saldus novads")
    assert [m["response"] for m in messages][:2] == ["utter_local_no_data", "utter_social_service_intro"]
    assert "63807280" in messages[2]["text"]


def test_topic_without_plan_is_honest():
    messages = ask(repo(), "request_checklist")
    assert messages[0]["response"] == "utter_topic_not_ready"
    assert messages[1]["response"] == "utter_social_service_ask_place"


def test_two_places_money_from_the_declared_one_a_bed_where_the_person_is():
    messages = ask(repo(), "ask_responsible_municipality", "Rīga", "Saldus novads")
    texts = [m["text"] or "" for m in messages]
    assert label("duty_declared").format(name="Pabalsts pēc atbrīvošanas", municipality="Saldus novads") in texts[0]
    assert label("duty_present").format(name="Gulta šonakt", municipality="Rīga") in texts[0]
    saldus = label("benefit_name").format(name="Pabalsts (Saldus novads)")
    assert texts[1].startswith(saldus)  # the declared municipality's own benefit
    assert any("63807280" in t for t in texts)  # its social service
    tonight = [m["response"] for m in messages].index("utter_tonight_where_you_are")
    assert messages[tonight]["municipality"] == "Rīga" and "67000000" in texts[tonight + 1]


def test_the_declared_place_unknown_the_rules_and_one_question():
    messages = ask(repo(), "ask_responsible_municipality", "Saldus novads")
    assert "pirms cietuma" in messages[0]["text"]
    assert [m["response"] for m in messages].count("utter_ask_declared_municipality") == 1


def test_no_declared_residence_is_explained_where_money_is_asked():
    messages = ask(repo(), "ask_social_worker", "Saldus novads", "none")
    assert "Ja dzīvesvieta nav deklarēta" in messages[0]["text"]
    assert "63807280" in messages[-2]["text"]  # the social service where the person is
    plain = ask(repo(), "ask_social_worker", "Saldus novads")
    assert all(label("duties_title") not in (m["text"] or "") for m in plain)


def test_a_bed_where_the_person_is_by_the_clock_the_action_is_given():
    import datetime as dt
    from dataclasses import replace

    from knowledge.hours import RIGA

    nights = ({"season_from": None, "season_to": None, "days": "mon-sun", "open": "18:00", "close": "08:00"},)
    r = repo()
    r.rows = [replace(s, hours_rules=nights) if s.kind == "night_shelter" else s for s in r.rows]
    d = CollectingDispatcher()
    t = Tracker("u", {"municipality": "Rīga", "declared_municipality": "Saldus novads"},
                {"intent": {"name": "ask_responsible_municipality"}, "entities": []}, [], False, None, {},
                "action_listen")
    morning = dt.datetime(2026, 12, 6, 8, 37, tzinfo=RIGA)  # a Sunday morning: closed now, tonight's bed all the same
    asyncio.run(ActionAnswerTopic(lambda: r, lambda: morning).run(d, t, {}))
    texts = [m["text"] or "" for m in shown(d.messages)]
    opens = label("card_opens")[0].format(time="18.00")
    assert any("Rīgas naktspatversme" in x and opens in x for x in texts), texts


def test_a_message_that_asks_for_a_bed_gets_tonights_bed_first_and_no_button_for_it():
    """'ventspili kur gulet, esmu deklarets riga' is read as which municipality does what, with a bed among its
    other needs: tonight's bed where the person is comes first, and is not offered again as a button."""
    messages = ask(repo(), "ask_responsible_municipality", "Rīga", "Saldus novads", others=["ask_shelter_tonight"])
    assert messages[0]["response"] == "utter_tonight_where_you_are" and "67000000" in messages[1]["text"]
    assert appears(label("duty_declared"), messages[2]["text"], name="Pabalsts pēc atbrīvošanas",
                   municipality="Saldus novads")
    assert [m["response"] for m in messages].count("utter_tonight_where_you_are") == 1
    assert "utter_other_needs" not in [m["response"] for m in messages]
    later = ask(repo(), "ask_responsible_municipality", "Rīga", "Saldus novads", others=["ask_id_document"])
    assert later[-1]["response"] == "utter_other_needs" and later[-1]["buttons"][0]["payload"] == "/ask_id_document"
    assert [m["response"] for m in later].index("utter_tonight_where_you_are") > 2  # no bed asked for: last


def test_the_place_given_after_the_answer_asked_for_it_gets_the_topics_local_part():
    # "zrat gribas, kapeikas nav" -> "Vietējie kontakti ir atkarīgi no vietas..." -> "Daugavpils": the soup kitchen,
    # not "Labi, Daugavpils. Ko jūs meklējat?" (2026-12-07)
    from actions.place import ActionConfirmMunicipality

    asked = ask(repo(), "ask_food")
    assert asked[-1]["response"] == "utter_ask_place_for_local" and asked[-1]["buttons"][1]["title"] == "Daugavpils"
    place = {"intent": {"name": "inform_municipality"},
             "entities": [{"entity": "municipality", "value": "Daugavpils"}]}
    # asked for; a topic with local places just before ("а в Олайне?" after housing, 2026-12-07); two messages back,
    # with the passport (no local places) between; and no such topic: the place alone, noted
    for intents, before, expected in ((["ask_food"], ["utter_ask_place_for_local"], "Zupas virtuve"),
                                      (["ask_food"], ["utter_greet"], "Zupas virtuve"),
                                      (["ask_food", "ask_id_document"], [], "Zupas virtuve"),
                                      (["greet", "ask_id_document"], ["utter_greet"], None)):
        events = [*({"event": "user", "parse_data": {"intent": {"name": i}, "entities": []}} for i in intents),
                  *({"event": "bot", "metadata": {"utter_action": u}} for u in before),
                  {"event": "user", "parse_data": place}]
        t = Tracker("u", {"municipality": "Daugavpils"}, place, events, False, None, {}, "action_listen")
        d = CollectingDispatcher()
        asyncio.run(ActionConfirmMunicipality(lambda: repo()).run(d, t, {}))
        messages = shown(d.messages)
        if expected:
            assert expected in messages[0]["text"]
        else:  # the place alone: noted, and what to look up there
            assert [m["response"] for m in messages] == ["utter_municipality_noted"]


def test_any_answer_to_a_message_that_also_asks_for_a_bed_starts_with_tonights_bed_where_the_person_is():
    """'vakar iznacu no ilguciema ... tagad jelgava pie draudzenes bet vina mani izmetis ara rit. kur lai paliek' was
    read as the first steps, with the bed only as a button at the end."""
    messages = ask(repo(), "ask_id_document", "Rīga", others=["ask_shelter_tonight"])
    assert messages[0]["response"] == "utter_tonight_where_you_are" and "67000000" in messages[1]["text"]
    assert "utter_other_needs" not in [m["response"] for m in messages]
    plain = ask(repo(), "ask_id_document", "Rīga")
    assert "utter_tonight_where_you_are" not in [m["response"] for m in plain]  # no bed asked for: none given


def test_tonights_bed_in_a_topic_answer_is_the_nearest_shelter_elsewhere_when_there_is_none_where_the_person_is():
    """A mother: 'mans dēls šodien iznāca, viņš ir Madonā, nav kur pārnakšņot. Ko viņam darīt?' was given the
    first steps with Madona's social service, closed at night, for tonight (terminal chat, 2026-12-07)."""
    from dataclasses import replace

    rows = repo()
    rows.rows.append(replace(service("night_shelter", "Jēkabpils naktspatversme", "Jēkabpils novads",
                                     phones=("65236440",)), distance_km=44.6, location_precision="town"))
    messages = ask(rows, "ask_id_document", "Madonas novads", others=["ask_shelter_tonight"])
    assert [m["response"] for m in messages[:2]] == ["utter_tonight_where_you_are", "utter_shelter_nearest_elsewhere"]
    assert "Jēkabpils naktspatversme" in messages[2]["text"] and "65236440" in messages[2]["text"]


def test_a_topic_that_says_so_ends_with_tonights_bed_where_the_person_is():
    """"у брата нет где жить, он в Резекне, что делать" got the housing procedure and the office, no bed (the terminal
    chat, 2026-12-07): nowhere to live is nowhere to sleep."""
    rows = FakeRepository(
        rows=[service("social_service", "Rēzeknes sociālais dienests", "Rēzekne"),
              service("night_shelter", "Rēzeknes naktspatversme", "Rēzekne", phones=("64600000",))],
        topics={"ask_housing": Topic(local=("social_service",), tonight=True),
                "ask_job": Topic(local=("social_service",))})
    messages = ask(rows, "ask_housing", "Rēzekne")
    tonight = [m.get("response") for m in messages].index("utter_tonight_where_you_are")
    assert "Rēzeknes sociālais dienests" in messages[tonight - 1]["text"]  # after the office, last
    assert "Rēzeknes naktspatversme" in messages[tonight + 1]["text"]
    assert "utter_tonight_where_you_are" not in [m.get("response") for m in ask(rows, "ask_job", "Rēzekne")]


def pointing(text, previous, intent="ask_healthcare_cost"):
    d = CollectingDispatcher()
    parse = {"intent": {"name": intent}, "entities": [], "text": text}
    t = Tracker("u", {"municipality": "Rīga"}, parse,
                [{"event": "user", "parse_data": {"intent": {"name": previous}}}, {"event": "user", "parse_data": parse}],
                False, None, {}, "action_listen")
    asyncio.run(ActionAnswerTopic(lambda: repo()).run(d, t, {}))
    return shown(d.messages)


def test_a_short_question_that_points_back_at_the_last_answer_is_asked_about_not_guessed():
    """'cik tas maksa' right after a bed was read as the cost of healthcare (0.92) and answered with doctors' fees."""
    (m,) = pointing("cik tas maksa", "ask_shelter_tonight")
    assert m["response"] == "utter_did_you_mean"
    assert [b["payload"] for b in m["buttons"]] == ["/ask_shelter_tonight", "/ask_healthcare_cost", "/request_handoff",
                                                    "/help"]
    for text, previous in (("cik maksā ārsts", "ask_shelter_tonight"),  # names its own topic, points at nothing
                           ("cik tas maksa", "ask_healthcare_cost"),  # the same topic again
                           ("cik tas maksa", "greet"),  # nothing answered before
                           ("cik tas viss maksā pie ārsta, ja nav naudas un nav apdrošināšanas", "ask_shelter_tonight")):
        assert pointing(text, previous)[0]["response"] != "utter_did_you_mean", text



def test_after_a_did_you_mean_the_topic_last_answered_is_still_offered_first():
    """bed answered; 'cik tas maksa' got 'did you mean'; 'vai tur vajag pasi' is about the bed, or the passport."""
    parse = {"intent": {"name": "ask_id_document"}, "entities": [], "text": "vai tur vajag pasi"}
    events = [{"event": "user", "parse_data": {"intent": {"name": "ask_shelter_tonight"}}},
              {"event": "bot", "metadata": {"utter_action": "utter_tonight_where_you_are"}},
              {"event": "user", "parse_data": {"intent": {"name": "ask_healthcare_cost"}}},
              {"event": "bot", "metadata": {"utter_action": "utter_did_you_mean"}},
              {"event": "user", "parse_data": parse}]
    d = CollectingDispatcher()
    t = Tracker("u", {"municipality": "Rīga"}, parse, events, False, None, {}, "action_listen")
    asyncio.run(ActionAnswerTopic(lambda: repo()).run(d, t, {}))
    (m,) = shown(d.messages)
    assert [b["payload"] for b in m["buttons"]][:3] == ["/ask_shelter_tonight", "/ask_healthcare_cost",
                                                        "/ask_id_document"]


def test_local_places_are_asked_for_as_they_are_now_and_say_so():
    """On Sunday at 19:00 "kur var paēst šovakar rīgā" got a weekday kitchen first and no word that it was closed
    (the terminal chat, 2026-12-07): the places are asked for at the present moment, open ones first, each with its
    state."""
    sunday_evening = dt.datetime(2026, 12, 13, 19, 0, tzinfo=RIGA)

    class Timed(FakeRepository):
        def services(self, kinds, municipality, at=None, temperature_c=None, limit=None):
            found = super().services(kinds, municipality, at, temperature_c, limit)
            return [replace(s, open_now=False) for s in found] if at == sunday_evening else found

    rows = Timed(rows=[service("soup_kitchen", "Zupas virtuve", "Rīga", phones=("67000001",))],
                 topics={"ask_food": Topic(local=("soup_kitchen",))})
    d = CollectingDispatcher()
    parse = {"intent": {"name": "ask_food"}, "entities": []}
    t = Tracker("u", {"municipality": "Rīga"}, parse, [{"event": "user", "parse_data": parse}], False, None, {},
                "action_listen")
    asyncio.run(ActionAnswerTopic(lambda: rows, clock=lambda: sunday_evening).run(d, t, {}))
    card = next(m["text"] for m in shown(d.messages) if "Zupas virtuve" in (m.get("text") or ""))
    assert label("card_closed_now") in card


def test_with_no_place_of_the_kind_on_record_here_what_works_anywhere_comes_before_the_office():
    """The man in Tukums who had eaten his last bread got only the social service (the terminal chat, 2026-12-07):
    now "no data here, ask the social service", the office, then what the topic names for anywhere (the EU food
    packages, topics.yaml); a place that has soup kitchens gets those, not the packages."""
    rows = FakeRepository(
        rows=[service("food_packages", "ES atbalsta pakas", None, id="es-pakas"),
              service("soup_kitchen", "Zupas virtuve", "Daugavpils"),
              service("social_service", "Tukuma novada sociālais dienests", "Tukuma novads", phones=("80205333",))],
        topics={"ask_food": Topic(local=("soup_kitchen", "food_packages", "social_service"), anywhere=("es-pakas",))})
    texts = [m.get("response") or m.get("text") or "" for m in ask(rows, "ask_food", "Tukuma novads")]
    office = next(i for i, t in enumerate(texts) if "Tukuma novada sociālais dienests" in t)
    assert texts[0] == "utter_local_no_data" and "ES atbalsta pakas" in texts[office + 1]
    assert not any("ES atbalsta pakas" in (m.get("text") or "") for m in ask(rows, "ask_food", "Daugavpils"))


def test_with_nothing_to_act_on_until_the_place_is_known_a_person_is_offered_with_the_towns():
    """"vai ir kāds, kas var palīdzēt pirmajās nedēļās, kāds mentors?" got only "which town?" (the terminal chat,
    2026-12-07): a topic with nothing but local places offers a person next to the towns; one with steps does not."""
    rows = FakeRepository(rows=[], topics={"ask_mentor": Topic(local=("social_service",)),
                                           "ask_id_document": Topic(procedures=("id_document",), local=("social_service",))},
                          steps=[procedure("id_document", "Pase")])
    (question,) = ask(rows, "ask_mentor")
    assert question["response"] == "utter_ask_place_for_local" and question["buttons"][-1]["payload"] == "#h:asked"
    asked = ask(rows, "ask_id_document")[-1]
    assert asked["response"] == "utter_ask_place_for_local" and "#h:asked" not in [b["payload"] for b in asked["buttons"]]


def test_the_same_topic_soon_again_for_the_same_places_is_not_answered_twice():
    # "un kur Cēsīs ir probācijas nodaļa?" and "Tukuma ir NVA?" each got the whole card just given (2026-12-07)
    from actions.topics import answered_just_before

    def user(intent):
        return {"event": "user", "parse_data": {"intent": {"name": intent}}}

    def place(value):
        return {"event": "slot", "name": "municipality", "value": value}

    def tracker(events, municipality):
        return Tracker("u", {"municipality": municipality}, {}, events, False, None, {}, "action_listen")

    job, card = user("ask_job"), {"event": "bot", "text": "📄 NVA"}
    assert answered_just_before(tracker([job, card, user("thank"), user("ask_job")], None), "ask_job")
    assert answered_just_before(tracker([place("Tukums"), job, card, user("ask_job"), place("Tukums")], "Tukums"),
                                "ask_job")  # the place said again is no new place
    assert not answered_just_before(tracker([job, card, user("ask_job"), place("Tukums")], "Tukums"), "ask_job")
    assert not answered_just_before(tracker([job, card, *map(user, ["greet", "thank", "greet"]), user("ask_job")],
                                            None), "ask_job")  # longer ago
    asked_back = {"event": "bot", "metadata": {"utter_action": "utter_did_you_mean"}}
    assert not answered_just_before(tracker([job, asked_back, user("ask_job")], None), "ask_job")
    assert not answered_just_before(tracker([user("ask_food"), card, user("ask_job")], None), "ask_job")


def test_a_place_named_after_a_bed_gets_the_beds_there():
    # "А в Резекне есть такое место?" after a bed in Daugavpils and then the passport got "what are you looking
    # for" (the terminal chat, 2026-12-07)
    from actions.place import ActionConfirmMunicipality

    place = {"intent": {"name": "inform_municipality"}, "entities": [{"entity": "municipality", "value": "Rīga"}]}
    events = [{"event": "user", "parse_data": {"intent": {"name": i}, "entities": []}}
              for i in ("ask_shelter_tonight", "ask_id_document")] + [{"event": "user", "parse_data": place}]
    t = Tracker("u", {"municipality": "Rīga"}, place, events, False, None, {}, "action_listen")
    d = CollectingDispatcher()
    asyncio.run(ActionConfirmMunicipality(lambda: repo()).run(d, t, {}))
    assert any("Rīgas naktspatversme" in (m.get("text") or "") for m in shown(d.messages))


def test_a_topic_that_asks_for_someone_ends_offering_a_person():
    """A daughter abroad asking for a mentor or a volunteer to meet her mother at the gate in Daugavpils got the social
    service's card alone (the terminal chat, 2026-12-07)."""
    messages = ask(repo(), "ask_mentor", "Saldus novads")
    assert "63807280" in messages[1]["text"]  # the social service, as before
    offer = next(m for m in messages if m["text"] == label("person_offer"))
    assert [b["payload"] for b in offer["buttons"]] == ["#h:asked"]
    assert not any(m["text"] == label("person_offer") for m in ask(repo(), "ask_social_worker", "Saldus novads"))
