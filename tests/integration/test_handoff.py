"""The handoff to volunteers on a real SQLite database with migrations applied, and a fake messenger."""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest
from sqlalchemy import create_engine, text as sql

from bot.frontdoor import FrontDoor
from bot.rasa_client import Reply
from bot.texts import text
from bot.handoff import VOLUNTEER_COMMANDS, Handoff
from cards.render import topic_titles
from harness.wording import appears
from knowledge import migrate
from lvnorm.requester import who
from personal import registry
from personal.crypto import ChatRefCipher
from personal.handoff import HandoffStore
from tests.fakes import ADMIN, GROUP, FakeRasa, Messenger, WallClock, door_settings as settings, tracker

VOLUNTEER, OTHER_VOLUNTEER, STRANGER = 5001, 5002, 6666


@pytest.fixture
def world(tmp_path):
    s = settings(tmp_path)
    migrate.upgrade(s.knowledge_db_url)
    store = HandoffStore(s.knowledge_db_url, ChatRefCipher(b"c" * 32))
    store.add_volunteer(VOLUNTEER, "Anna")
    store.add_volunteer(OTHER_VOLUNTEER, "Jānis")
    clock, messenger = WallClock(), Messenger()
    door = FrontDoor(s, FakeRasa([Reply("Rasa atbild")]))
    door.handoff = Handoff(s, store, lambda uid: door.sender("telegram", uid), messenger, clock)
    return door, store, messenger, clock, s


def press(door, user, replies, title):
    button = next(b for r in replies for b in r.buttons if b.title == title)
    return asyncio.run(door.handle_button("telegram", user, door.button_token(door.sender("telegram", user), button.payload)))


def cmd(door, user, line):
    return [r.text for r in asyncio.run(door.handle_command("telegram", user, line))]


def ask_human(door, user, s, intents=("ask_shelter_tonight",), municipality="Daugavpils", language="lv"):
    tracker(s.tracker_db_url, door.sender("telegram", user), list(intents), municipality, language)
    return asyncio.run(door.handle_command("telegram", user, "/cilveks"))


def test_a_whole_handoff(world):
    door, store, messenger, clock, s = world
    offer = ask_human(door, 101, s)
    assert text("sum_topics").format(topics=topic_titles("lv")["ask_shelter_tonight"]) in offer[0].text
    assert text("sum_place").format(place="Daugavpils") in offer[0].text
    assert messenger.to(GROUP) == []  # nothing is shared before consent
    sent = press(door, 101, offer, text("btn_send"))
    rid = store.open_request(door.sender("telegram", 101)).id
    assert sent[0].text == text("handoff_sent").format(id=rid)
    [announcement] = messenger.to(GROUP)
    assert appears(text("v_announce_short"), announcement, id=rid, urgency=text("v_urgency_1"), place="Daugavpils")
    assert f"/nemt {rid}" in announcement
    assert "101" not in announcement  # never the Telegram id
    assert topic_titles("lv")["ask_shelter_tonight"] not in announcement  # a group sees number, urgency and place only

    assert appears(text("v_claimed"), cmd(door, VOLUNTEER, f"/nemt {rid}")[0], id=rid)
    assert cmd(door, OTHER_VOLUNTEER, f"/nemt {rid}")[0] == text("v_claim_failed").format(id=rid)  # one claim wins
    assert messenger.to(101)[-1] == text("handoff_claimed").format(name="Anna")

    relayed = asyncio.run(door.handle_text("telegram", 101, "Vai tur vajag pasi?"))
    assert [r.text for r in relayed] == [text("relayed")]  # the robot is quiet
    assert messenger.to(VOLUNTEER)[-1].startswith(text("v_person_wrote").format(id=rid, words="Vai tur vajag pasi?"))

    assert cmd(door, OTHER_VOLUNTEER, f"/atb {rid} Es arī gribu")[0] == text("v_not_yours").format(id=rid)
    assert cmd(door, VOLUNTEER, f"/atb {rid} Nē, var bez pases.")[0] == text("v_replied").format(id=rid)
    assert messenger.to(101)[-1] == text("from_volunteer").format(name="Anna", words="Nē, var bez pases.")
    assert store.get(rid).status == "waiting"
    asyncio.run(door.handle_text("telegram", 101, "Paldies"))
    assert store.get(rid).status == "claimed"

    cmd(door, VOLUNTEER, f"/piezime {rid} Iesaku zvanīt no rīta")
    assert "Iesaku zvanīt no rīta" in cmd(door, OTHER_VOLUNTEER, f"/skatit {rid}")[0]
    assert cmd(door, VOLUNTEER, f"/gatavs {rid}")[0] == text("v_resolved").format(id=rid)
    assert messenger.to(101)[-1] == text("handoff_resolved")
    assert store.get(rid).chat_ref is None  # where to reach the person is dropped at once
    with create_engine(s.knowledge_db_url).connect() as c:  # and while it was kept, it was kept sealed
        assert "101" not in str(c.execute(sql("SELECT chat_ref FROM handoff_request")).all())
    assert asyncio.run(door.handle_text("telegram", 101, "Kur paēst?"))[0].text == "Rasa atbild"
    actions = [a[1] for a in store.audit_log(rid)]
    assert actions == ["consented", "announced", "claimed", "received", "replied", "received", "noted", "viewed",
                       "resolved"]


def test_the_person_can_leave_and_add_their_own_words(world):
    door, store, messenger, clock, s = world
    offer = ask_human(door, 102, s, intents=("ask_benefits",), municipality=None, language="ru")
    benefits = topic_titles("ru")["ask_benefits"]
    assert text("sum_topics", "ru").format(topics=benefits) in offer[0].text  # the person's language
    ask = press(door, 102, offer, text("btn_add_words", "ru"))
    assert ask[0].text == text("handoff_ask_words", "ru")
    again = asyncio.run(door.handle_text("telegram", 102, "Мне нужна помощь с долгами"))
    assert text("sum_words", "ru").format(words="Мне нужна помощь с долгами") in again[0].text
    press(door, 102, again, text("btn_send", "ru"))
    rid = store.open_request(door.sender("telegram", 102)).id
    assert "Мне нужна" not in messenger.to(GROUP)[-1]  # the person's words never go to the group
    shown = cmd(door, VOLUNTEER, f"/skatit {rid}")[0]  # a volunteer's private chat
    assert text("v_sum_words").format(words="Мне нужна помощь с долгами") in shown
    assert appears(text("v_sum_head"), shown, language=text("language_name_ru"))
    cmd(door, VOLUNTEER, f"/nemt {rid}")
    assert cmd(door, 102, "/zakonchit") == [text("handoff_ended", "ru")]
    assert messenger.to(VOLUNTEER)[-1] == text("v_person_left").format(id=rid)
    assert store.get(rid).status == "resolved"


def test_no_duplicates_from_repeated_presses_and_one_open_request(world):
    door, store, messenger, clock, s = world
    offer = ask_human(door, 103, s)
    first = press(door, 103, offer, text("btn_send"))
    second = press(door, 103, offer, text("btn_send"))  # the same update again, after a restart
    rid = store.queue()[0].id
    assert first[0].text == text("handoff_sent").format(id=rid)
    assert second[0].text == text("handoff_already_open").format(id=rid)
    again = asyncio.run(door.handle_command("telegram", 103, "/cilveks"))
    assert again[0].text == text("handoff_already_open").format(id=rid)
    assert again[0].buttons[0].title == text("btn_withdraw")
    assert len(store.queue()) == 1 and len(messenger.to(GROUP)) == 1
    withdrawn = press(door, 103, again, text("btn_withdraw"))
    assert withdrawn[0].text == text("handoff_withdrawn") and store.queue() == []


def test_decline_shares_nothing(world):
    door, store, messenger, clock, s = world
    offer = ask_human(door, 104, s)
    assert press(door, 104, offer, text("btn_dont_send"))[0].text == text("handoff_cancelled")
    assert store.count(door.sender("telegram", 104)) == 0 and messenger.sent == []


def test_buttons_of_one_person_do_not_work_for_another(world):
    door, store, messenger, clock, s = world
    offer = ask_human(door, 105, s)
    button = next(b for b in offer[0].buttons if b.title == text("btn_send"))
    token = door.button_token(door.sender("telegram", 105), button.payload)
    assert asyncio.run(door.handle_button("telegram", 106, token))[0].text == text("button_expired")
    forged = button.payload + "|" + "0" * 16
    assert asyncio.run(door.handle_button("telegram", 105, forged))[0].text == text("button_expired")
    assert store.queue() == []


def test_everyone_else_is_refused_every_volunteer_command_and_it_is_logged(world):
    door, store, messenger, clock, s = world
    offer = ask_human(door, 107, s)
    press(door, 107, offer, text("btn_send"))
    rid = store.queue()[0].id
    for c in VOLUNTEER_COMMANDS:
        for user in (STRANGER, 107):
            assert cmd(door, user, f"/{c.name} {rid} teksts") == [text("v_refused")], c.name
    for c in [c for c in VOLUNTEER_COMMANDS if c.admin]:  # a volunteer is not an admin
        assert cmd(door, VOLUNTEER, f"/{c.name} {rid}") == [text("v_refused")]
    assert store.get(rid).status == "new" and not any(t.startswith("🙋") for t in messenger.to(107))
    refused = [a for a in store.audit_log() if a[0] == "refused"]
    assert len(refused) == 2 * len(VOLUNTEER_COMMANDS) + sum(c.admin for c in VOLUNTEER_COMMANDS)
    assert all(str(STRANGER) not in str(a) and door.sender("telegram", STRANGER)[:8] not in str(a) for a in refused)


def test_the_shift_command_lists_a_volunteers_commands_and_an_admins_own_only_to_admins(world):
    door, store, messenger, clock, s = world
    store.add_volunteer(ADMIN, "Admins")  # an admin who also takes requests
    for user in (VOLUNTEER, ADMIN):
        (shown,) = cmd(door, user, "/maina")
        assert shown.startswith(text("v_help"))
        for c in VOLUNTEER_COMMANDS:
            assert (f"/{c.name}" in shown) == (user == ADMIN or not c.admin), (user, c.name)


def test_admin_manages_volunteers_and_a_removed_volunteers_request_returns(world):
    door, store, messenger, clock, s = world
    assert cmd(door, ADMIN, "/pievienot 5003 Ilze") == [text("v_added").format(name="Ilze")]
    offer = ask_human(door, 108, s)
    press(door, 108, offer, text("btn_send"))
    rid = store.queue()[0].id
    cmd(door, 5003, f"/nemt {rid}")
    assert cmd(door, ADMIN, "/nonemt 5003") == [text("v_removed").format(n=1)]
    assert store.get(rid).status == "new"
    assert messenger.to(GROUP)[-1].startswith("🆕")  # announced again for the others
    assert cmd(door, 5003, "/rinda") == [text("v_refused")]
    assert "Ilze" not in cmd(door, ADMIN, "/brivpratigie")[0]


def test_queue_order_urgency_then_waiting_time(world):
    door, store, messenger, clock, s = world
    for user, intents in ((110, ("ask_benefits",)), (111, ("ask_shelter_tonight",)), (112, ("ask_job",))):
        press(door, user, ask_human(door, user, s, intents=intents), text("btn_send"))
        clock.now += dt.timedelta(minutes=5)
    crisis = asyncio.run(door.handle_text("telegram", 113, "es gribu nomirt"))
    assert crisis[0].text == text("crisis")
    tracker(s.tracker_db_url, door.sender("telegram", 113), [], None)
    press(door, 113, press(door, 113, crisis, text("btn_crisis_handoff")), text("btn_send"))
    listing = cmd(door, VOLUNTEER, "/rinda")[0].splitlines()
    assert text("v_urgency_0") in listing[1] and text("v_urgency_1") in listing[2]
    line = text("v_queue_line")
    assert appears(line, listing[3], minutes=15) and appears(line, listing[4], minutes=5)


def test_outside_hours_the_person_is_told_when_and_who_answers_now(tmp_path):
    s = settings(tmp_path)
    migrate.upgrade(s.knowledge_db_url)
    store = HandoffStore(s.knowledge_db_url, ChatRefCipher(b"c" * 32))
    store.add_volunteer(VOLUNTEER, "Anna")
    door = FrontDoor(s, FakeRasa([Reply("x")]))
    late = WallClock(hour=22)  # 00:00 in Riga
    door.handoff = Handoff(s, store, lambda uid: door.sender("telegram", uid), Messenger(), late)
    sent = press(door, 120, ask_human(door, 120, s), text("btn_send"))
    assert appears(text("handoff_sent_after_hours"), sent[0].text, start="09:00", end="21:00")
    assert "112" not in sent[0].text and "116123" in sent[0].text


def test_nobody_reachable_is_said_honestly_and_the_request_waits(tmp_path):
    s = settings(tmp_path, volunteer_chat_id=None)  # no group, and no volunteer added yet
    migrate.upgrade(s.knowledge_db_url)
    store, messenger = HandoffStore(s.knowledge_db_url, ChatRefCipher(b"c" * 32)), Messenger()
    door = FrontDoor(s, FakeRasa([Reply("x")]))
    door.handoff = Handoff(s, store, lambda uid: door.sender("telegram", uid), messenger, WallClock())
    sent = press(door, 121, ask_human(door, 121, s), text("btn_send"))
    assert sent[0].text == text("handoff_queued").format(id=store.queue()[0].id)  # said honestly: nobody told yet
    rid = store.queue()[0].id
    store.add_volunteer(VOLUNTEER, "Anna")
    messenger.down.add(str(VOLUNTEER))
    assert asyncio.run(door.handoff.announce_pending()) == 0  # Telegram refused: it stays to be announced
    messenger.down.clear()
    assert asyncio.run(door.handoff.announce_pending()) == 1  # the next round tells the volunteer directly
    assert f"/nemt {rid}" in messenger.to(VOLUNTEER)[-1]


def test_urgent_unclaimed_requests_are_announced_again(world):
    door, store, messenger, clock, s = world
    press(door, 130, ask_human(door, 130, s), text("btn_send"))  # nowhere to sleep: urgent
    press(door, 131, ask_human(door, 131, s, intents=("ask_job",)), text("btn_send"))  # not urgent
    clock.now += dt.timedelta(minutes=11)
    asyncio.run(door.handoff.tick())
    reminders = [t for t in messenger.to(GROUP) if appears(text("v_reannounce"), t)]
    assert len(reminders) == 1 and appears(text("v_reannounce"), reminders[0], minutes=11)
    asyncio.run(door.handoff.tick())  # the clock restarts: no second reminder at once
    assert len([t for t in messenger.to(GROUP) if appears(text("v_reannounce"), t)]) == 1


def test_expiry_and_retention(world):
    door, store, messenger, clock, s = world
    press(door, 140, ask_human(door, 140, s), text("btn_send"))
    rid = store.queue()[0].id
    cmd(door, VOLUNTEER, f"/nemt {rid}")
    clock.now += dt.timedelta(hours=73)
    asyncio.run(door.handoff.tick())
    assert store.get(rid).status == "expired"
    assert messenger.to(140)[-1] == text("handoff_expired").format(id=rid)
    assert messenger.to(VOLUNTEER)[-1] == text("v_expired").format(id=rid)
    clock.now += dt.timedelta(days=31)
    registry.build(s.knowledge_db_url, s.tracker_db_url, store, s.retention).purge(clock.now)  # the retention job
    assert store.get(rid) is None
    assert [a for a in store.audit_log(rid)]  # the audit log outlives the request (its own retention)


def test_forget_deletes_requests_and_tells_the_volunteer(world):
    door, store, messenger, clock, s = world
    press(door, 150, ask_human(door, 150, s), text("btn_send"))
    rid = store.queue()[0].id
    cmd(door, VOLUNTEER, f"/nemt {rid}")
    asyncio.run(door.forget(door.sender("telegram", 150)))
    assert store.get(rid) is None
    assert messenger.to(VOLUNTEER)[-1] == text("v_person_forgot").format(id=rid)


def test_report_error_goes_to_moderation_with_the_listing(world):
    door, store, messenger, clock, s = world
    sender = door.sender("telegram", 160)
    tracker(s.tracker_db_url, sender, ["ask_shelter_tonight", "report_error"], "Daugavpils",
            shown=["Daugavpils Nakts patversme"])
    offer = asyncio.run(door.handle_button("telegram", 160, door.button_token(sender, "#h:report_error")))
    assert text("sum_shown").format(shown="Daugavpils Nakts patversme") in offer[0].text
    assert appears(text("report_sent"), press(door, 160, offer, text("btn_send"))[0].text)
    assert store.queue() == [] and len(store.queue("moderation")) == 1
    assert messenger.to(GROUP)[-1].startswith(text("v_announce_short_moderation").partition("{id}")[0].format(mark="🆕"))
    assert text("v_moderation_head").format(n=1) in cmd(door, VOLUNTEER, "/labojumi")[0]
    rid = store.queue("moderation")[0].id
    assert text("v_sum_shown").format(shown="Daugavpils Nakts patversme") in cmd(door, VOLUNTEER, f"/skatit {rid}")[0]


def test_announcement_interrupted_by_a_crash_is_repeated_once_and_marked(world):
    door, store, messenger, clock, s = world
    press(door, 170, ask_human(door, 170, s), text("btn_send"))
    rid = store.queue()[0].id
    with create_engine(s.knowledge_db_url).begin() as c:  # as if the process died between 'sending' and 'sent'
        c.execute(sql("UPDATE handoff_request SET announced_at = NULL WHERE id = :i"), {"i": rid})
    later = WallClock()
    later.now += dt.timedelta(seconds=30)  # restarted half a minute later: not yet stale
    restarted = Handoff(s, store, lambda uid: door.sender("telegram", uid), messenger, later)
    assert asyncio.run(restarted.announce_pending()) == 0
    later.now += dt.timedelta(seconds=31)
    assert asyncio.run(restarted.announce_pending()) == 1
    repeated = text("v_announce_short").partition("{urgency}")[0].format(mark="🔁", id=rid)
    assert messenger.to(GROUP)[-1].startswith(repeated)
    assert asyncio.run(restarted.announce_pending()) == 0


def test_the_summary_covers_this_session_only(world):
    door, store, messenger, clock, s = world
    sender = door.sender("telegram", 180)
    tracker(s.tracker_db_url, sender, ["ask_addiction"], "Rīga")
    with create_engine(s.tracker_db_url).begin() as c:  # a new session starts (Rasa carries the place over)
        c.execute(sql("INSERT INTO events (sender_id, type_name, data) VALUES (:s, 'session_started', '{}')"), {"s": sender})
    tracker(s.tracker_db_url, sender, ["ask_food"], "Rīga")
    offer = asyncio.run(door.handle_command("telegram", 180, "/cilveks"))
    assert text("sum_topics").format(topics=topic_titles("lv")["ask_food"]) in offer[0].text
    assert topic_titles("lv")["ask_addiction"] not in offer[0].text
    assert text("sum_place").format(place="Rīga") in offer[0].text


def test_a_typo_in_gatavs_never_closes_someone_elses_or_an_unclaimed_request(world):
    door, store, messenger, clock, s = world
    press(door, 190, ask_human(door, 190, s), text("btn_send"))
    rid = store.queue()[0].id
    assert cmd(door, VOLUNTEER, f"/gatavs {rid}") == [text("v_not_yours").format(id=rid)]
    assert store.get(rid).status == "new"
    sender = door.sender("telegram", 191)
    tracker(s.tracker_db_url, sender, ["report_error"], "Rīga", shown=["Rīgas patversme"])
    offer = asyncio.run(door.handle_button("telegram", 191, door.button_token(sender, "#h:report_error")))
    press(door, 191, offer, text("btn_send"))
    report = store.queue("moderation")[0]
    assert report.chat_ref is None  # a listing report never needs a reply: no chat reference at all
    assert cmd(door, VOLUNTEER, f"/gatavs {report.id}") == [text("v_resolved").format(id=report.id)]


def test_a_person_can_send_only_a_few_requests_a_day_but_a_crisis_always_gets_through(world):
    door, store, messenger, clock, s = world
    for _ in range(s.handoff_per_day):
        press(door, 192, ask_human(door, 192, s), text("btn_send"))
        asyncio.run(door.handoff.end(door.sender("telegram", 192), "lv"))  # withdrawn, so a new one may open
    assert [r.text for r in ask_human(door, 192, s)] == [text("handoff_too_many")]
    sender = door.sender("telegram", 192)
    crisis = asyncio.run(door.handle_button("telegram", 192, door.button_token(sender, "#h:crisis")))
    assert crisis[0].buttons  # the consent question, not a refusal
    clock.now += dt.timedelta(days=1, minutes=1)
    assert ask_human(door, 192, s)[0].buttons


def test_in_the_group_a_volunteer_gets_details_privately(world):
    door, store, messenger, clock, s = world
    press(door, 193, ask_human(door, 193, s), text("btn_send"))
    rid = store.queue()[0].id
    answer = asyncio.run(door.handoff.volunteer_command(VOLUNTEER, str(GROUP), f"/skatit {rid}", in_group=True))
    assert [r.text for r in answer] == [text("v_sent_privately")]
    tonight = topic_titles("lv")["ask_shelter_tonight"]
    assert tonight in messenger.to(VOLUNTEER)[-1]  # the summary went to the volunteer directly
    messenger.down.add(str(VOLUNTEER))
    answer = asyncio.run(door.handoff.volunteer_command(VOLUNTEER, str(GROUP), f"/skatit {rid}", in_group=True))
    assert [r.text for r in answer] == [text("v_start_private_chat")]


def test_when_the_group_cannot_be_reached_volunteers_are_told_directly(world):
    door, store, messenger, clock, s = world
    messenger.down.add(str(GROUP))  # the bot was removed from the group
    sent = press(door, 194, ask_human(door, 194, s), text("btn_send"))
    assert appears(text("handoff_sent"), sent[0].text)
    assert messenger.to(GROUP) == [] and topic_titles("lv")["ask_shelter_tonight"] in messenger.to(VOLUNTEER)[-1]


def test_a_moved_group_is_followed(world):
    door, store, messenger, clock, s = world
    door.handoff.courier.group_moved(-100999)
    press(door, 195, ask_human(door, 195, s), text("btn_send"))
    assert messenger.to(-100999) and messenger.to(GROUP) == []


def test_a_mothers_request_says_it_is_for_her_son_to_her_and_to_the_volunteer(world):
    door, store, messenger, clock, s = world
    tracker(s.tracker_db_url, door.sender("telegram", 120), ["ask_id_document"], "Madonas novads", requester="son")
    offer = asyncio.run(door.handle_command("telegram", 120, "/cilveks"))
    assert text("sum_requester").format(who=who("son", "lv")) in offer[0].text  # shared, so shown before she agrees
    press(door, 120, offer, text("btn_send"))
    rid = store.open_request(door.sender("telegram", 120)).id
    shown = cmd(door, VOLUNTEER, f"/skatit {rid}")[0]
    assert text("v_sum_requester").format(who=who("son", "lv")) in shown
    assert store.get(rid).requester == "son"
