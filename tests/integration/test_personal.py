"""Person data on SQLite and a real PostgreSQL: every table that names a person is in the registry, each store is
purged after its retention and forgotten on /dzest, the tombstone stops writes until the second pass, and that pass
deletes what a turn sent before /dzest wrote later — but not a conversation started after it."""

import datetime as dt
import json
import os
import subprocess
import sys

import pytest
from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, inspect
from sqlalchemy import text as sql

from bot.settings import Settings
from harness.rasa_tracker import EVENTS_TABLE
from knowledge import db, migrate
from knowledge.checklist import Situation
from personal import checklist, held, registry, tombstone, tracker
from personal.crypto import ChatRefCipher
from personal.handoff import HandoffStore
from personal.checkins import CheckinStore
from personal.reminders import ReminderStore
from personal.store import SqlPersonalData
from tests.conftest import ROOT
from tests.integration.test_knowledge_db import db_url  # noqa: F401  (the SQLite + PostgreSQL fixture)

PERSON_COLUMNS = {"sender", "sender_id", "pseudonym", "chat_id", "chat_ref", "telegram_id", "user_id"}
NOW = dt.datetime(2026, 12, 5, 12, 0, tzinfo=dt.timezone.utc)
DAY = dt.timedelta(days=1)


def _events_table(url: str) -> None:
    """Rasa 3.6's SQL tracker store table, empty."""
    with create_engine(url).begin() as c:
        c.execute(sql("DROP TABLE IF EXISTS events"))
        for statement in EVENTS_TABLE:
            c.execute(sql(statement))


def _event(url: str, id_: int, sender: str, type_name: str, at: dt.datetime, **data) -> None:
    with create_engine(url).begin() as c:
        c.execute(sql("INSERT INTO events (id, sender_id, type_name, timestamp, data) VALUES (:i, :s, :t, :ts, :d)"),
                  {"i": id_, "s": sender, "t": type_name, "ts": at.timestamp(), "d": json.dumps(data)})


def _senders(url: str) -> list[str]:
    with create_engine(url).connect() as c:
        return [r[0] for r in c.execute(sql("SELECT sender_id FROM events ORDER BY id"))]


@pytest.fixture
def reg(db_url):  # noqa: F811
    _events_table(db_url)  # the tracker's table, here in the same database
    handoffs = HandoffStore(db_url, ChatRefCipher(b"k" * 32))
    return registry.build(db_url, db_url, handoffs), handoffs


def test_every_table_that_names_a_person_is_registered(db_url, reg):  # noqa: F811
    registered = reg[0].tables("knowledge") | reg[0].tables("tracker")
    tables = inspect(create_engine(db_url)).get_table_names()
    naming = {t for t in tables
              if PERSON_COLUMNS & {c["name"] for c in inspect(create_engine(db_url)).get_columns(t)}}
    assert {"held_message", "checklist_state", "handoff_request", "volunteer", "forgotten_sender", "events",
            "reminder", "checkin"} <= naming
    assert naming - registered == set(), "add these to personal/registry.py, with their retention"


def test_each_store_is_purged_after_its_retention(db_url, reg):  # noqa: F811
    r, handoffs = reg
    old, fresh = f"old-{db_url[:5]}", f"fresh-{db_url[:5]}"
    held.keep(db_url, old, "vecs", "lv", "rasa_unavailable", now=NOW - 8 * DAY)
    held.keep(db_url, fresh, "jauns", "lv", "rasa_unavailable", now=NOW - DAY)
    _event(db_url, 1, old, "user", NOW - 31 * DAY)
    _event(db_url, 2, fresh, "user", NOW - 31 * DAY)
    _event(db_url, 3, fresh, "user", NOW - DAY)  # one recent message keeps the whole conversation
    for sender in (old, fresh):
        checklist.save(db_url, sender, Situation(municipality="Rīga"))
    with create_engine(db_url).begin() as c:
        c.execute(sql("UPDATE checklist_state SET updated_at = :t WHERE sender = :s"), {"t": NOW - 91 * DAY, "s": old})
        c.execute(sql("UPDATE checklist_state SET updated_at = :t WHERE sender = :s"), {"t": NOW - DAY, "s": fresh})
    closed = handoffs.draft(sender=old, channel="telegram", chat_ref="1", queue="help", category="asked", urgency=2,
                            municipality=None, language="lv", topics=[], shown=[])
    handoffs.consent(closed.id, old, now=NOW - 40 * DAY)
    handoffs.close(closed.id, "resolved", now=NOW - 31 * DAY)
    handoffs.audit("system", "test", closed.id)
    with create_engine(db_url).begin() as c:
        c.execute(sql("UPDATE handoff_audit SET at = :t"), {"t": NOW - 366 * DAY})
    reminders = ReminderStore(db_url, ChatRefCipher(b"k" * 32))
    reminders.ask(old, "telegram", "1", "lv", NOW - 2 * DAY, now=NOW - 3 * DAY)  # could not be delivered in time
    reminders.ask(fresh, "telegram", "2", "lv", NOW + DAY, now=NOW)
    checkins = CheckinStore(db_url, ChatRefCipher(b"k" * 32))
    checkins.ask(old, "telegram", "1", "lv", "person", "shelter", "x", "Rīga", NOW - 4 * DAY, now=NOW - 5 * DAY)
    checkins.ask(fresh, "telegram", "2", "lv", "person", "shelter", "x", "Rīga", NOW + DAY, now=NOW)
    gone = handoffs.add_volunteer(9100, "Zane")
    handoffs.remove_volunteer(9100)
    with create_engine(db_url).begin() as c:
        c.execute(sql("UPDATE volunteer SET removed_at = :t WHERE id = :i"), {"t": NOW - 31 * DAY, "i": gone.id})

    due = r.purge(NOW, dry_run=True)
    assert due == {"conversation": 1, "held messages": 1, "morning reminder": 1, "check-in": 1, "shared plans": 0,
                   "document plan": 1, "requests to volunteers": 1, "volunteer audit log": 1, "volunteers": 1}
    assert r.purge(NOW, dry_run=True) == due, "a dry run deletes nothing"
    assert r.purge(NOW) == due
    assert r.purge(NOW) == dict.fromkeys(due, 0)
    assert _senders(db_url) == [fresh, fresh]
    assert r.count(fresh) == {"conversation": 2, "held messages": 1, "morning reminder": 1, "check-in": 1, "shared plans": 0,
                              "document plan": 1, "requests to volunteers": 0}
    assert r.count(old) == {"conversation": 0, "held messages": 0, "morning reminder": 0, "check-in": 0, "shared plans": 0,
                            "document plan": 0, "requests to volunteers": 0}


def test_the_tombstone_stops_writes_and_the_second_pass_deletes_a_late_turn(db_url, reg):  # noqa: F811
    r, _ = reg
    people = SqlPersonalData(db_url, db_url, r, held.RETENTION, dt.timedelta(seconds=90))
    me, other = f"me-{db_url[:5]}", f"other-{db_url[:5]}"
    before = dt.datetime.now(dt.timezone.utc) - dt.timedelta(seconds=5)
    _event(db_url, 10, me, "user", before, metadata={"sent_at": before.timestamp()})
    _event(db_url, 11, other, "user", before, metadata={"sent_at": before.timestamp()})
    people.hold(me, "kur pārnakšņot", "lv", "rasa_unavailable")
    checklist.save(db_url, me, Situation(municipality="Madona"))

    assert people.forget(me) == 3
    assert tombstone.is_buried(db_url, me)
    assert not people.hold(me, "vēl viens", "lv", "rasa_unavailable"), "nothing is stored in the window"
    assert not checklist.save(db_url, me, Situation(municipality="Madona"))
    # A turn sent before /dzest, which Rasa finished (and stamped) after it; then a new conversation after /dzest.
    late = dt.datetime.now(dt.timezone.utc) + dt.timedelta(seconds=1)
    _event(db_url, 12, me, "user", late, metadata={"sent_at": before.timestamp()})
    _event(db_url, 13, me, "bot", late, text="🏠 Patversme")
    after = late + dt.timedelta(seconds=1)
    _event(db_url, 14, me, "action", after)  # a new session's start, written before the new message
    _event(db_url, 15, me, "user", after, metadata={"sent_at": after.timestamp()})
    _event(db_url, 16, me, "bot", after, text="Sveiki")

    assert people.due_rechecks(dt.datetime.now(dt.timezone.utc)) == []
    assert people.due_rechecks(dt.datetime.now(dt.timezone.utc) + dt.timedelta(seconds=91)) == [me]
    assert people.forget_again(me) == 3 + 1  # the late turn and the session start, then the tombstone
    with create_engine(db_url).connect() as c:
        left = c.execute(sql("SELECT id FROM events WHERE sender_id = :s ORDER BY id"), {"s": me}).scalars().all()
    assert left == [15, 16]
    assert _senders(db_url).count(other) == 1, "nobody else's conversation is touched"
    assert not tombstone.is_buried(db_url, me)
    assert people.hold(me, "jauns jautājums", "lv", "rasa_unavailable")


def test_without_a_later_message_the_conversation_goes_whole(db_url, reg):  # noqa: F811
    me = f"whole-{db_url[:5]}"
    t = dt.datetime.now(dt.timezone.utc)
    _event(db_url, 20, me, "user", t - DAY)
    _event(db_url, 21, me, "bot", t + DAY)  # written late: still part of the turn before
    assert tracker.forget(db_url, me, t) == 2
    _event(db_url, 22, me, "user", t + DAY)  # no sent_at (another client): Rasa's own stamp decides
    assert tracker.forget(db_url, me, t) == 0
    assert _senders(db_url) == [me]


def test_chat_references_are_sealed_in_the_database(db_url):  # noqa: F811
    store = HandoffStore(db_url, ChatRefCipher(b"s" * 32))
    r = store.draft(sender="sealed", channel="telegram", chat_ref="555123", queue="help", category="asked",
                    urgency=2, municipality=None, language="lv", topics=[], shown=[])
    with create_engine(db_url).connect() as c:
        stored = c.execute(sql("SELECT chat_ref FROM handoff_request WHERE id = :i"), {"i": r.id}).scalar()
    assert "555123" not in stored and store.get(r.id).chat_ref == "555123"
    assert HandoffStore(db_url, ChatRefCipher(b"o" * 32)).get(r.id).chat_ref is None, "another key opens nothing"


def test_sqlite_overwrites_what_it_deletes(tmp_path):
    url = f"sqlite:///{tmp_path / 'k.sqlite'}"
    migrate.upgrade(url)
    held.keep(url, "s", "Šis teksts nedrīkst palikt failā", "lv", "rasa_unavailable")
    registry.build(url, None, HandoffStore(url, ChatRefCipher(b"k" * 32))).forget("s")
    assert "Šis teksts nedrīkst palikt failā".encode() not in (tmp_path / "k.sqlite").read_bytes() + (
        (tmp_path / "k.sqlite-wal").read_bytes() if (tmp_path / "k.sqlite-wal").exists() else b"")


def test_no_copy_of_a_forgotten_sender_survives_in_the_tracker_file(tmp_path):
    """Rasa's tracker with many interleaved conversations: B-tree rebalancing leaves old copies of moved rows in pages'
    unused space, which secure_delete never zeroes (without the scrub's VACUUM, 7 of these 40 pseudonyms stayed)."""
    url = f"sqlite:///{tmp_path / 'tracker.sqlite'}"
    _events_table(url)
    senders = [f"pseudonym-{n:03d}-of-a-person" for n in range(40)]
    rows = [(n, senders[(n * 7 + n // 13) % 40], 50 + (n * 37) % 1400) for n in range(3000)]
    with create_engine(url).begin() as c:
        c.execute(sql("INSERT INTO events (id, sender_id, type_name, data) VALUES (:i, :s, 'user', :d)"),
                  [{"i": i, "s": s, "d": json.dumps({"text": "x" * size})} for i, s, size in rows])
    survived = []
    for sender in senders:
        tracker.forget(url, sender)
        tracker.scrub(url)  # as Registry.forget does after every store
        if sender.encode() in (tmp_path / "tracker.sqlite").read_bytes():
            survived.append(sender)
    assert survived == []


def test_a_scrub_a_reader_blocks_says_so_and_the_next_one_finishes(tmp_path):
    """A reader of an older snapshot keeps the write-ahead log: the deleted row's page images stay in the files, so
    the scrub must fail loudly (the front door tries again) rather than pass for done."""
    path = tmp_path / "k.sqlite"
    url = f"sqlite:///{path}"
    migrate.upgrade(url)
    held.keep(url, "pseudonym-of-a-person", "x", "lv", "rasa_unavailable")
    quick = create_engine(url, connect_args={"timeout": 0.2})  # the busy handler's wait, shortened for the test
    with create_engine(url).connect() as reader:
        reader.exec_driver_sql("BEGIN")
        reader.exec_driver_sql("SELECT count(*) FROM held_message").scalar()  # a snapshot from before the deletion
        held.forget(url, "pseudonym-of-a-person")
        with quick.connect() as conn, pytest.raises(db.ScrubIncomplete):
            db.compact(conn)
        assert b"pseudonym-of-a-person" in path.read_bytes() + path.with_name("k.sqlite-wal").read_bytes()
        reader.exec_driver_sql("COMMIT")
    with quick.connect() as conn:
        db.compact(conn)
    assert b"pseudonym-of-a-person" not in path.read_bytes()
    assert not path.with_name("k.sqlite-wal").exists() or path.with_name("k.sqlite-wal").stat().st_size == 0


def test_a_blocked_scrub_in_the_first_pass_still_forgets_and_leaves_the_scrub_to_the_second(tmp_path):
    url = f"sqlite:///{tmp_path / 'k.sqlite'}"
    migrate.upgrade(url)

    def blocked():
        raise db.ScrubIncomplete("a reader kept the log")

    reg = registry.build(url, None, HandoffStore(url, ChatRefCipher(b"k" * 32)))
    reg.scrubs = [blocked]
    people = SqlPersonalData(url, None, reg, dt.timedelta(days=7), dt.timedelta(seconds=90))
    people.hold("s", "kur pārnakšņot", "lv", "rasa_unavailable")
    assert people.forget("s") == 1 and tombstone.is_buried(url, "s")
    with pytest.raises(db.ScrubIncomplete):  # the front door tries this pass again
        people.forget_again("s")


def test_migrations_have_one_head_and_go_down_and_up(tmp_path):
    url = f"sqlite:///{tmp_path / 'k.sqlite'}"
    config = migrate.alembic_config(url)
    assert len(ScriptDirectory.from_config(config).get_heads()) == 1
    migrate.upgrade(url)
    held.keep(url, "s", "x", "lv", "rasa_unavailable")
    command.downgrade(config, "0008")
    assert "help_request" in inspect(create_engine(url)).get_table_names()
    migrate.upgrade(url)
    assert {"handoff_request", "forgotten_sender"} <= set(inspect(create_engine(url)).get_table_names())
    command.downgrade(config, "base")  # every downgrade runs, down to an empty database
    assert set(inspect(create_engine(url)).get_table_names()) <= {"alembic_version"}
    migrate.upgrade(url)
    assert {"checkin", "survey_event", "municipality"} <= set(inspect(create_engine(url)).get_table_names())


def test_stored_rows_take_the_handoffs_one_name_and_give_it_back_on_downgrade(tmp_path):
    """Migration 0019: survey counts and handoff requests stored under the old names (intent request_human, category
    human) are renamed, and renamed back on the way down."""
    url = f"sqlite:///{tmp_path / 'k.sqlite'}"
    config = migrate.alembic_config(url)
    command.upgrade(config, "0018")
    now = dt.datetime(2026, 12, 6, tzinfo=dt.timezone.utc)
    with create_engine(url).begin() as c:
        c.execute(sql("INSERT INTO survey_event (month, municipality, topic, outcome, reason, language, requester) "
                      "VALUES ('2026-12', NULL, 'request_human', 'handoff', NULL, 'lv', 'person')"))
        c.execute(sql("INSERT INTO handoff_request (sender, channel, queue, category, urgency, language, topics, "
                      "shown, awaiting_text, status, notes, created_at, updated_at) "
                      "VALUES ('s', 'telegram', 'help', 'human', 2, 'lv', :topics, '[]', false, 'new', '[]', :t, :t)"),
                  {"topics": json.dumps(["ask_food", "request_human"]), "t": now})
        c.execute(sql("INSERT INTO handoff_audit (at, actor, action, request_id, detail) "
                      "VALUES (:t, 'person', 'consented', 1, 'help/human')"), {"t": now})

    def stored() -> tuple[str, str, list[str], str]:
        with create_engine(url).connect() as c:
            category, topics = c.execute(sql("SELECT category, topics FROM handoff_request")).one()
            return (c.execute(sql("SELECT topic FROM survey_event")).scalar_one(), category, json.loads(topics),
                    c.execute(sql("SELECT detail FROM handoff_audit")).scalar_one())

    migrate.upgrade(url)
    assert stored() == ("request_handoff", "asked", ["ask_food", "request_handoff"], "help/asked")
    command.downgrade(config, "0018")
    assert stored() == ("request_human", "human", ["ask_food", "request_human"], "help/human")


def test_purge_command_shows_each_store(tmp_path):
    url = f"sqlite:///{tmp_path / 'k.sqlite'}"
    migrate.upgrade(url)
    env = dict(os.environ, KNOWLEDGE_DB_URL=url, TRACKER_DB_URL=f"sqlite:///{tmp_path / 't.sqlite'}",
               STATE_DIR=str(tmp_path), PYTHONPATH=str(ROOT))
    out = subprocess.run([sys.executable, "-m", "personal", "purge", "--dry-run"], cwd=ROOT, env=env,
                         capture_output=True, text=True, check=True).stdout
    assert "held messages: would delete 0" in out and "conversation: would delete 0" in out
    stores = subprocess.run([sys.executable, "-m", "personal", "stores"], cwd=ROOT, env=env,
                            capture_output=True, text=True, check=True).stdout
    assert "held_message" in stores and "events" in stores


@pytest.mark.parametrize("value", ["short", "#" + "x" * 40, "  # a comment that an env parser kept" + "x" * 10])
@pytest.mark.parametrize("variable", ["SENDER_ID_SECRET", "CHAT_REF_KEY"])
def test_settings_refuse_a_guessable_secret(monkeypatch, tmp_path, variable, value):
    monkeypatch.setenv("STATE_DIR", str(tmp_path))
    monkeypatch.setenv(variable, value)
    with pytest.raises(SystemExit, match=variable):
        Settings.from_env()


def test_a_reminder_is_claimed_once_sealed_and_reclaimed_after_a_crash(db_url):  # noqa: F811
    cipher = ChatRefCipher(b"r" * 32)
    a, b = ReminderStore(db_url, cipher), ReminderStore(db_url, cipher)  # two front doors on one database
    who = f"remind-{db_url[:5]}"
    assert a.ask(who, "telegram", "777001", "ru", NOW, now=NOW - DAY)
    assert a.ask(who, "telegram", "777001", "ru", NOW + dt.timedelta(minutes=1), now=NOW - DAY)  # moved, still one
    with create_engine(db_url).connect() as c:
        stored = c.execute(sql("SELECT chat_ref FROM reminder WHERE sender = :s"), {"s": who}).scalar()
    assert "777001" not in stored
    def mine(due):  # the module's database is shared with other tests' rows
        return [d for d in due if d.sender == who]

    assert mine(a.claim_due(NOW)) == []  # not yet
    later = NOW + dt.timedelta(minutes=2)
    first, second = mine(a.claim_due(later)), mine(b.claim_due(later))
    assert [d.chat_ref for d in first] == ["777001"] and second == []  # exactly one front door sends it
    # The process dies before it confirms: after the stale claim time another front door takes it over.
    assert mine(b.claim_due(later + dt.timedelta(minutes=1))) == []
    again = mine(b.claim_due(later + dt.timedelta(minutes=6)))
    assert [d.sender for d in again] == [who]
    b.done(again[0].id)
    assert mine(b.claim_due(later + dt.timedelta(minutes=20))) == [] and reminders_left(db_url, who) == 0
    # A failed delivery waits ten minutes; nothing is sent more than four hours late (no "Labrīt" in the afternoon).
    a.ask(who, "telegram", "777001", "ru", NOW, now=NOW - DAY)
    failed = mine(a.claim_due(NOW))
    a.retry(failed[0].id, NOW)
    assert mine(a.claim_due(NOW + dt.timedelta(minutes=9))) == []
    assert [d.sender for d in mine(a.claim_due(NOW + dt.timedelta(minutes=11)))] == [who]
    a.retry(failed[0].id, NOW + dt.timedelta(minutes=11))
    assert mine(a.claim_due(NOW + dt.timedelta(hours=4, minutes=1))) == [] and reminders_left(db_url, who) == 1
    a.cancel(who)


def test_no_reminder_is_kept_in_the_minute_after_forget(db_url):  # noqa: F811
    who = f"buried-{db_url[:5]}"
    tombstone.bury(db_url, who, dt.timedelta(minutes=1))
    assert not ReminderStore(db_url, ChatRefCipher(b"r" * 32)).ask(who, "telegram", "1", "lv", NOW, now=NOW)
    assert reminders_left(db_url, who) == 0


def reminders_left(url: str, sender: str) -> int:
    from personal import reminders

    return reminders.count(url, sender)


def test_a_shared_plan_is_opened_once_and_kept_only_with_consent(db_url):  # noqa: F811
    from personal.shared_plan import SharedPlanStore

    cipher = ChatRefCipher(b"h" * 32)
    store = SharedPlanStore(db_url, cipher)
    helper, person, other = (f"{who}-{db_url[:5]}" for who in ("helper", "person", "other"))
    plan = Situation(municipality="Rīga", declared="Cēsu novads")
    token = store.create(helper, "880011", plan, now=NOW)
    with create_engine(db_url).connect() as c:
        row = c.execute(sql("SELECT token_hash, chat_ref FROM shared_plan WHERE sender = :s"), {"s": helper}).one()
    assert token not in row.token_hash and "880011" not in row.chat_ref  # the link and the chat are not kept as such
    opened = store.open(token, person, now=NOW + DAY)
    assert opened.situation.declared == "Cēsu novads" and opened.helper_chat_ref == "880011"
    with create_engine(db_url).connect() as c:  # the helper's chat is not kept once they have been told
        assert c.execute(sql("SELECT chat_ref FROM shared_plan WHERE id = :i"), {"i": opened.id}).scalar() is None
    assert store.open(token, other, now=NOW + DAY) is None  # single use
    assert store.decide(opened.id, other) is None  # only the person who opened it answers
    assert store.decide(opened.id, person).municipality == "Rīga"
    assert shared_plan_rows(db_url, helper) == 0  # decided: nothing of it is kept
    late = store.create(helper, "880011", plan, now=NOW)  # Latvian by default
    assert store.open(late, person, now=NOW + 8 * DAY) is None  # expired after 7 days
    store.create(helper, "880011", plan, now=NOW)
    assert store.cancel(helper) == 2 and shared_plan_rows(db_url, helper) == 0
    from personal import shared_plan  # /dzest on either side: the helper's links, the plan waiting for the person

    waiting = store.create(helper, "880011", plan, now=NOW)
    store.open(waiting, person, now=NOW)
    assert shared_plan.forget(db_url, person) == 1 and shared_plan_rows(db_url, helper) == 0
    store.create(helper, "880011", plan, now=NOW)
    assert shared_plan.forget(db_url, helper) == 1
    # Opened on the last day: the answer waits until the seventh day ends, not a day longer; the helper is told in
    # their own language.
    russian = store.create(helper, "880011", plan, "ru", now=NOW)
    opened = store.open(russian, person, now=NOW + dt.timedelta(days=6, hours=20))
    assert opened.helper_language == "ru"
    assert shared_plan.purge(db_url, NOW + dt.timedelta(days=7, minutes=1)) == 1


def shared_plan_rows(url: str, sender: str) -> int:
    from personal import shared_plan

    return shared_plan.count(url, sender)
