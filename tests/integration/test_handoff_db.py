"""The volunteer queue's guarantees on SQLite and a real PostgreSQL: one claim wins, one consent creates, each
request is handed out for announcing once, and the database itself refuses a second open request."""

import datetime as dt
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import create_engine
from sqlalchemy import text as sql
from sqlalchemy.exc import IntegrityError

from personal.crypto import ChatRefCipher
from personal.handoff import HandoffStore
from tests.integration.test_knowledge_db import db_url  # noqa: F401  (the SQLite + PostgreSQL fixture)


def draft(store, sender, queue="help"):
    return store.draft(sender=sender, channel="telegram", chat_ref="1", queue=queue, category="asked", urgency=2,
                       municipality="Rīga", language="lv", topics=["ask_food"], shown=[])


def test_one_claim_wins_among_many(db_url):
    store = HandoffStore(db_url, ChatRefCipher(b"c" * 32))
    ids = [store.add_volunteer(7000 + i, f"V{i}").id for i in range(8)]
    r = draft(store, "u-claim")
    assert store.consent(r.id, "u-claim")[0] == "created"
    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(lambda v: store.claim(r.id, v), ids))
    winners = [x for x in results if x is not None]
    assert len(winners) == 1 and store.get(r.id).volunteer_id == winners[0].volunteer_id


def test_one_consent_creates_even_when_pressed_at_once(db_url):
    store = HandoffStore(db_url, ChatRefCipher(b"c" * 32))
    r = draft(store, "u-consent")
    with ThreadPoolExecutor(8) as pool:
        outcomes = list(pool.map(lambda _: store.consent(r.id, "u-consent")[0], range(8)))
    assert outcomes.count("created") == 1 and set(outcomes) == {"created", "already"}
    second = draft(store, "u-consent")
    outcome, existing = store.consent(second.id, "u-consent")
    assert outcome == "open" and existing.id == r.id and store.get(second.id) is None


def test_the_database_refuses_a_second_open_request(db_url):
    store = HandoffStore(db_url, ChatRefCipher(b"c" * 32))
    r = draft(store, "u-unique")
    store.consent(r.id, "u-unique")
    now = dt.datetime.now(dt.timezone.utc)
    with pytest.raises(IntegrityError), create_engine(db_url).begin() as c:
        c.execute(sql("INSERT INTO handoff_request (sender, channel, queue, category, urgency, language, topics, shown, "
                      "awaiting_text, status, notes, created_at, updated_at) VALUES ('u-unique', 'telegram', 'help', "
                      "'asked', 2, 'lv', '[]', '[]', false, 'new', '[]', :t, :t)"), {"t": now})
    moderation = draft(store, "u-unique", queue="moderation")  # another queue is another matter
    assert store.consent(moderation.id, "u-unique")[0] == "created"


def test_each_request_is_handed_out_for_announcing_once(db_url):
    store = HandoffStore(db_url, ChatRefCipher(b"c" * 32))
    for i in range(12):
        r = draft(store, f"u-ann-{i}")
        store.consent(r.id, f"u-ann-{i}")
    cutoff = dt.datetime.now(dt.timezone.utc) - dt.timedelta(minutes=1)
    with ThreadPoolExecutor(4) as pool:
        batches = list(pool.map(lambda _: store.take_announcements(cutoff), range(4)))
    taken = [a.request.id for b in batches for a in b if a.request.sender.startswith("u-ann-")]
    assert len(taken) == 12 and len(set(taken)) == 12
