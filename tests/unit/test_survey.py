"""The survey in memory: what the actions count, the check-in offer (once), the front door recording a count without
showing it, and the suppression rule of the report."""

import asyncio
import datetime as dt

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from harness.rasa_domain import domain as rasa_domain
from harness.wording import label
from actions.fallback import ActionSuggestTopics
from actions.requester import for_requester
from actions.shelter import ActionFindShelter
from actions.topics import ActionAnswerTopic
from bot.frontdoor import FrontDoor
from bot.rasa_client import Reply, parse_replies
from bot.settings import Settings
from knowledge.hours import RIGA
from knowledge.records import Topic
from lvnorm.requester import address
from survey.events import Event
from survey.report import HIDDEN, SECONDARY, last_month, months_of, protect, share, shown_grid
from tests.fakes import Clock, FakeRasa, FakeRepository, Later, counted, service, shown

NOON = lambda: dt.datetime(2026, 12, 7, 12, 0, tzinfo=RIGA)  # noqa: E731


def tracker(slots, intent="ask_shelter_tonight", events=()):
    return Tracker("u1", slots, {"intent": {"name": intent}, "entities": [], "text": "x"}, list(events), False,
                   None, {}, "action_listen")


def run(action, t):
    d = CollectingDispatcher()
    asyncio.run(action.run(d, t, {}))
    return d.messages


def test_a_shelter_answer_is_counted_for_its_place_and_who_writes():
    repo = FakeRepository([service("night_shelter", "Patversme", "Rīga")])
    messages = run(ActionFindShelter(lambda: repo, NOON), tracker({"municipality": "Rīga", "requester": "son"}))
    assert counted(messages) == [{"topic": "ask_shelter_tonight", "municipality": "Rīga", "outcome": "answered",
                                  "requester": "relative"}]
    assert shown(messages)[0]["text"].startswith(address("son", "lv") + ":")  # the count did not take the header


def test_no_local_data_and_a_miss_are_counted_as_such():
    repo = FakeRepository([])
    messages = run(ActionFindShelter(lambda: repo, NOON), tracker({"municipality": "Madonas novads"}))
    assert counted(messages)[0]["outcome"] == "no_data" and counted(messages)[0]["requester"] == "person"
    empty = FakeRepository([], topics={"ask_food": Topic(local=("soup_kitchen",))})
    food = run(ActionAnswerTopic(lambda: empty), tracker({"municipality": "Madonas novads"}, "ask_food"))
    assert counted(food) == [{"topic": "ask_food", "municipality": "Madonas novads", "outcome": "no_data",
                              "requester": "person"}]
    missed = run(ActionSuggestTopics(), tracker({"municipality": None, "requester": "client"}, "nlu_fallback"))
    assert counted(missed) == [{"topic": "nlu_fallback", "municipality": None, "outcome": "fallback",
                                "requester": "worker"}]


def test_the_check_in_is_offered_once_in_a_conversation():
    repo = FakeRepository([service("soup_kitchen", "Zupas virtuve", "Rīga")], topics={"ask_food": Topic(
        local=("soup_kitchen",))})
    first = shown(run(ActionAnswerTopic(lambda: repo), tracker({"municipality": "Rīga"}, "ask_food")))
    offer = first[-1]
    assert offer["text"] == label("checkin_offer")
    assert [b["payload"] for b in offer["buttons"]] == ["#c:ask:zupas-virtuve", "#c:no"]
    earlier = [{"event": "bot", "text": offer["text"], "data": {"buttons": offer["buttons"]}}]
    again = shown(run(ActionAnswerTopic(lambda: repo), tracker({"municipality": "Rīga"}, "ask_food", earlier)))
    assert all(label("checkin_offer") not in (m["text"] or "") for m in again)


def test_the_front_door_records_a_count_and_never_shows_it():
    recorded = []

    class Log:
        def record(self, event):
            recorded.append(event)

    body = [{"text": "Atbilde"}, {"custom": {"survey": {"topic": "ask_food", "municipality": "Rīga",
                                                         "outcome": "no_data", "requester": "relative"}}}]
    rasa = FakeRasa(parse_replies(body))
    settings = Settings(rasa_urls=("http://127.0.0.1:1",), rasa_timeout=1.0, telegram_token=None,
                        telegram_base_url=None, sender_secret=b"k" * 32, tracker_db_url=None, knowledge_db_url=None,
                        max_text_chars=1000)
    door = FrontDoor(settings, rasa, schedule=Later(), clock=Clock(), survey=Log())
    replies = asyncio.run(door.handle_text("t", 1, "kur paēst Rīgā"))
    assert [r.text for r in replies] == ["Atbilde"]
    assert recorded == [Event("ask_food", "no_data", "Rīga", None, "lv", "relative")]


def test_a_malformed_count_is_not_recorded():
    assert Event.of({"topic": "x", "outcome": "made_up"}, "lv") is None
    assert Event.of({"outcome": "answered"}, "lv") is None
    assert Event.of({"topic": "x", "outcome": "answered", "requester": "boss"}, "ru") == Event("x", "answered",
                                                                                                language="ru")


def test_every_small_count_is_hidden_and_a_lone_hidden_cell_takes_a_neighbour_with_it():
    assert protect([[10, 20], [30, 40]]) == [[None, None], [None, None]]
    # asked = answered + no data: hiding only the 3 would let anyone subtract it back
    assert shown_grid([[23, 20, 3]]) == [["23", SECONDARY, HIDDEN]]
    assert shown_grid([[25, 25, 0]]) == [["25", SECONDARY, HIDDEN]]  # on a tie the total stays
    # with both margins knowable, one small cell in a 2×2 table takes the whole table with it
    assert shown_grid([[0, 7], [9, 12]]) == [[HIDDEN, SECONDARY], [SECONDARY, SECONDARY]]
    assert shown_grid([[0, 7], [9, 12]], columns=False) == [[HIDDEN, SECONDARY], ["9", "12"]]
    for row in shown_grid([[1, 2, 3, 50, 60], [7, 8, 9, 100, 4]]):
        assert all(c in (HIDDEN, SECONDARY) or int(c) >= 5 for c in row)
    assert share(3, 40) == "–" and share(10, 40) == "25 %"


def test_the_period_and_last_month():
    assert months_of("2026-12") == ("2026. gada decembris", ["2026-12"])
    assert months_of("2026")[1][0] == "2026-01" and len(months_of("2026")[1]) == 12
    assert last_month(dt.date(2027, 1, 1)) == "2026-12"


def test_the_privacy_text_promises_what_the_check_in_and_shared_plan_stores_keep():
    from personal.checkins import KEEP_AFTER_DUE
    from personal.shared_plan import TTL

    privacy = rasa_domain()["responses"]["utter_privacy"]
    lv = " ".join(next(v["text"] for v in privacy if "condition" not in v).split())
    assert f"vai atļaujat nākamajā dienā pajautāt, vai izdevās (šifrētu, līdz atbildei, ne ilgāk par " \
           f"{KEEP_AFTER_DUE.days} dienām pēc jautāšanas laika)" in lv
    assert f"(šifrētu, līdz saite atvērta, ne ilgāk par {TTL.days} dienām)" in lv
    assert "bez jūsu koda un bez teksta" in lv  # the counts: said plainly
    ru = " ".join(next(v["text"] for v in privacy if "condition" in v).split())
    assert f"(зашифрованным, до ответа, не дольше {KEEP_AFTER_DUE.days} дней после времени вопроса)" in ru
    assert f"(зашифрованным, пока ссылку не откроют, не дольше {TTL.days} дней)" in ru
