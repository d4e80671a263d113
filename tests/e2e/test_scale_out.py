"""Scale-out on real processes, all on loopback: two Rasa instances sharing a PostgreSQL tracker store and a Redis lock
store (deploy/endpoints.scale.yml), two action servers behind nginx (deploy/nginx-actions.conf.template).

scripts/test.sh starts PostgreSQL, Redis and nginx (scripts/services_test.sh, scripts/services_scale.sh); this module
starts the action servers on the ports nginx forwards to, and the two Rasa instances, once for all its tests.

- The negative control shows why the front door routes each conversation to one instance: with one conversation's
  messages spread over both instances at once, Rasa silently drops some of them (its ticket lock in Redis is a plain
  read-modify-write, and its SQL tracker store appends "the events after the ones already stored").
- Through the real front door (sticky rendezvous routing, one message at a time per person) nothing is lost.
- Killing one instance mid-load moves its conversations to the other, with what they had said (the tracker is in
  PostgreSQL). Later messages get real answers, except in a conversation the kill cut off mid-message, until its
  lock expires in Redis.
- Rasa's log holds no message text (deploy/rasa-logging.yml); the production nginx config passes `nginx -t`.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import signal
import subprocess
import time
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from sqlalchemy import Engine, create_engine, make_url, text

from bot.frontdoor import FrontDoor
from bot.rasa_client import RasaClient
from bot.settings import Settings
from bot.texts import text as bot_text
from harness.wording import response
from tests.conftest import base_env, free_port, start_actions, start_rasa, stop_processes, wait_http

pytestmark = pytest.mark.e2e

# Six turns of an ordinary first conversation; none is a crisis message (those are answered by the front door too).
MESSAGES = ("Sveiki", "Daugavpilī", "Kur var paēst?", "Paldies", "Kā dabūt personas apliecību?",
            "Kur var pārnakšņot?")
RACE_SENDERS = 30  # conversations per round of the negative control, each with all of MESSAGES at once
RACE_ROUNDS = 6  # the loss is probabilistic (2 of 16 rounds showed none on an idle 2-core machine): retry
RACE_TIMEOUT = 15.0  # seconds; some of the spread messages wait forever on a lock left empty in Redis
# Seconds a conversation's lock lives in Redis. Rasa's default is 60 s: after an instance is killed, the conversation
# it was processing stays locked that long. A shorter lifetime keeps the failover test short (docs/deployment.md).
LOCK_LIFETIME = "15"
FAILOVER_TIMEOUT = 12.0  # the front door's RASA_TIMEOUT in the failover test: below the lock lifetime, as in production
UNAVAILABLE = bot_text("unavailable", "lv")


def _required(name: str) -> str:
    value = os.environ.get(name)
    if not value:
        if os.environ.get("CI"):
            pytest.fail(f"CI must test scale-out: scripts/test.sh starts PostgreSQL, Redis and nginx and sets {name}")
        pytest.skip(f"{name} is not set (run through `make test` or scripts/test.sh)")
    return value


@dataclass
class Scale:
    urls: tuple[str, str]
    rasa: dict[str, subprocess.Popen]
    actions: list[subprocess.Popen]
    tracker: Engine  # the tracker database, read with this (app) environment's driver
    logs: list[Path]

    def user_events(self, prefix: str) -> Counter:
        """How many user messages the tracker store holds per sender whose id starts with `prefix`."""
        with self.tracker.connect() as c:
            rows = c.execute(text("SELECT sender_id, count(*) FROM events WHERE type_name = 'user' "
                                  "AND sender_id LIKE :p GROUP BY sender_id"), {"p": prefix + "%"}).all()
        return Counter(dict(rows))

    def user_texts(self, prefix: str) -> defaultdict[str, Counter]:
        """The user messages stored per sender whose id starts with `prefix`: text -> how many times."""
        out: defaultdict[str, Counter] = defaultdict(Counter)
        with self.tracker.connect() as c:
            rows = c.execute(text("SELECT sender_id, data FROM events WHERE type_name = 'user' AND sender_id LIKE :p"),
                             {"p": prefix + "%"}).all()
        for sender, data in rows:
            out[sender][json.loads(data).get("text")] += 1
        return out

    def user_order(self, sender: str) -> list[str]:
        """The sender's stored user messages, in the order they were stored."""
        with self.tracker.connect() as c:
            rows = c.execute(text("SELECT data FROM events WHERE sender_id = :s AND type_name = 'user' ORDER BY id"),
                             {"s": sender}).scalars().all()
        return [json.loads(d).get("text") for d in rows]

    def slots(self, sender: str, name: str) -> list:
        with self.tracker.connect() as c:
            rows = c.execute(text("SELECT data FROM events WHERE sender_id = :s AND type_name = 'slot' ORDER BY id"),
                             {"s": sender}).scalars().all()
        return [json.loads(d)["value"] for d in rows if json.loads(d)["name"] == name]


@pytest.fixture(scope="module")
def scale(tmp_path_factory, kb_url, model):
    pg, redis = make_url(_required("TEST_PG_URL")), make_url(_required("TEST_REDIS_URL"))
    actions_url, action_ports = _required("TEST_ACTIONS_URL"), _required("TEST_ACTION_PORTS").split(",")
    state = tmp_path_factory.mktemp("scale")
    db = f"celvedis_scale_{uuid.uuid4().hex[:8]}"  # the tracker's own database, next to the knowledge-base tests'
    admin = create_engine(pg, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f'CREATE DATABASE "{db}"'))
    tracker = create_engine(pg.set(database=db))
    env = base_env(
        state, KNOWLEDGE_DB_URL=kb_url, ACTION_ENDPOINT_URL=f"{actions_url}/webhook",
        TRACKER_DB_HOST=pg.host, TRACKER_DB_PORT=str(pg.port), TRACKER_DB_NAME=db, TRACKER_DB_USER=pg.username or "",
        TRACKER_DB_PASSWORD=pg.password or "",
        REDIS_HOST=redis.host, REDIS_PORT=str(redis.port), REDIS_DB="1", REDIS_PASSWORD="",
        REDIS_KEY_PREFIX=f"celvedis{uuid.uuid4().hex[:8]}",
        TICKET_LOCK_LIFETIME=LOCK_LIFETIME, SQL_POOL_SIZE="5", SQL_MAX_OVERFLOW="5",
    )
    rasa_ports = [free_port(), free_port()]
    urls = tuple(f"http://127.0.0.1:{p}" for p in rasa_ports)
    logs = [state / f"actions{i}.log" for i in range(len(action_ports))] + [state / "rasa0.log", state / "rasa1.log"]
    procs = [start_actions(env, int(p), logs[i]) for i, p in enumerate(action_ports)]
    rasa = {url: start_rasa(env, model, port, logs[len(action_ports) + i], endpoints="deploy/endpoints.scale.yml",
                            extra=("--logging-config-file", "deploy/rasa-logging.yml"))
            for i, (url, port) in enumerate(zip(urls, rasa_ports))}
    procs += list(rasa.values())
    try:
        for p in action_ports:
            wait_http(f"http://127.0.0.1:{p}/health", procs, 60, logs)
        wait_http(f"{actions_url}/health", procs, 10, logs)
        for url in urls:
            wait_http(f"{url}/", procs, 300, logs)
        yield Scale(urls, rasa, procs[:len(action_ports)], tracker, logs)
    finally:
        stop_processes(procs)
        tracker.dispose()
        with admin.connect() as c:
            c.execute(text(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)'))
        admin.dispose()


def _cpu_ticks(proc: subprocess.Popen) -> int:
    """User + system CPU time of a process so far, in clock ticks (Linux /proc)."""
    fields = Path(f"/proc/{proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])


def _lost(sent: int, counts: Counter, senders: list[str]) -> dict[str, int]:
    return {s: sent - counts[s] for s in senders if counts[s] < sent}


async def _spread_over_both(urls: tuple[str, str], senders: list[str]) -> dict[tuple[str, str], str]:
    """Every message of every conversation at once, a conversation's messages alternating between the instances.

    Returns what each (sender, message) got: "answer" (Rasa's replies), "[]" (the REST channel's answer when it failed,
    e.g. a LockError), another status, or the client error; a message stuck on a lock is given up after the timeout.
    """
    async with httpx.AsyncClient(timeout=RACE_TIMEOUT, limits=httpx.Limits(max_connections=None)) as c:
        async def post(url: str, sender: str, message: str) -> str:
            try:
                r = await c.post(f"{url}/webhooks/rest/webhook", json={"sender": sender, "message": message})
            except httpx.HTTPError as exc:
                return type(exc).__name__
            if r.status_code != 200:
                return str(r.status_code)
            return "[]" if r.json() == [] else "answer"

        keys = [(s, m) for s in senders for m in MESSAGES]  # a sender's messages go to A, B, A, B, ...
        outcomes = await asyncio.gather(*(post(urls[i % 2], s, m) for i, (s, m) in enumerate(keys)))
        return dict(zip(keys, outcomes))


def test_negative_control_one_conversation_on_two_instances_loses_messages(scale):
    """Without sticky routing the shared Redis lock store does not keep a conversation's messages apart.

    Counted as silently lost: a message Rasa answered normally that is nowhere in the conversation stored in PostgreSQL.
    """
    rounds = []
    for n in range(RACE_ROUNDS):
        prefix = f"race{n}-{uuid.uuid4().hex[:6]}-"
        senders = [f"{prefix}{i:03d}" for i in range(RACE_SENDERS)]
        t0 = time.monotonic()
        outcomes = asyncio.run(_spread_over_both(scale.urls, senders))
        stored = scale.user_texts(prefix)
        silent = [(s, m) for (s, m), got in outcomes.items() if got == "answer" and stored[s][m] == 0]
        rounds.append(dict(
            seconds=round(time.monotonic() - t0, 1), outcomes=dict(Counter(outcomes.values())),
            stored=sum(sum(c.values()) for c in stored.values()), silently_lost=len(silent),
            conversations_with_silent_loss=len({s for s, _ in silent}),
            not_stored=sum(1 for s, m in outcomes if stored[s][m] == 0),
            stored_twice=sum(1 for s, m in outcomes if stored[s][m] > 1),
        ))
        if silent:
            break
    print(f"\nnegative control, {RACE_SENDERS} conversations x {len(MESSAGES)} messages per round:", rounds)
    assert rounds[-1]["silently_lost"] > 0, f"no message silently lost in {len(rounds)} rounds: {rounds}"


def _door(urls: tuple[str, ...], timeout: float) -> tuple[FrontDoor, RasaClient]:
    """The real front door over both instances; no crisis model, no rate limit, no store (nothing else to test)."""
    settings = Settings(
        rasa_urls=urls, rasa_timeout=timeout, telegram_token=None, telegram_base_url=None,
        sender_secret=uuid.uuid4().bytes, tracker_db_url=None, knowledge_db_url=None, max_text_chars=1000,
        rate_per_minute=100_000, crisis_model=False,
    )
    rasa = RasaClient(urls, timeout)
    return FrontDoor(settings, rasa), rasa


def _joined(replies) -> str:
    return "\n".join(r.text for r in replies)


def test_front_door_keeps_every_message_of_every_conversation(scale):
    """The same load through the front door: sticky rendezvous routing plus its per-person lock lose nothing."""
    channel = f"scale-{uuid.uuid4().hex[:6]}"

    async def load():
        door, rasa = _door(scale.urls, 60.0)
        try:
            async def person(uid: int):  # all of a person's messages at once; the front door keeps them in order
                return await asyncio.gather(*(door.handle_text(channel, uid, m) for m in MESSAGES))

            answers = await asyncio.gather(*(person(uid) for uid in range(RACE_SENDERS)))
            return answers, [door.sender(channel, uid) for uid in range(RACE_SENDERS)], rasa
        finally:
            await door.aclose()

    t0, cpu0 = time.monotonic(), [_cpu_ticks(p) for p in scale.actions]
    answers, senders, rasa = asyncio.run(load())
    seconds, cpu = time.monotonic() - t0, [_cpu_ticks(p) - c for p, c in zip(scale.actions, cpu0)]
    counts = scale.user_events("")
    per_instance = Counter(rasa.instance_for(s) for s in senders)
    unavailable = sum(UNAVAILABLE in _joined(r) for person in answers for r in person)
    print(f"\nfront door: {len(senders)} conversations x {len(MESSAGES)} in {seconds:.1f} s; per instance "
          f"{dict(per_instance)}; stored user messages {Counter(counts[s] for s in senders)}; "
          f"unavailable {unavailable}; "
          f"CPU ticks of the action servers behind nginx {cpu}")
    assert set(per_instance) == set(scale.urls)  # both instances really served conversations
    assert all(c > 0 for c in cpu)  # and nginx spread the actions over both action servers
    assert _lost(len(MESSAGES), counts, senders) == {}
    assert all(counts[s] == len(MESSAGES) for s in senders)  # and nothing was stored twice
    assert all(scale.user_order(s) == list(MESSAGES) for s in senders)  # in the order each person wrote them
    assert unavailable == 0


def test_killed_instance_its_conversations_continue_on_the_other_with_their_slots(scale):
    """kill -9 one Rasa instance during a load: its people go on talking to the other one, which knows their place.

    A message the killed instance was working on gets the 'unavailable' answer (it may or may not have been
    processed; it is never resent). Its conversation's ticket stays in Redis until it expires (TICKET_LOCK_LIFETIME),
    so that conversation's next messages wait on the other instance and get 'unavailable' when the front door stops
    waiting. As in production, the front door's timeout is below the lock lifetime: a Rasa message that waits longer
    than the lifetime loses its own ticket and would wait until its request is abandoned. Every other conversation,
    and every message once the lifetime has passed, is answered.
    """
    channel = f"failover-{uuid.uuid4().hex[:6]}"
    people = range(24)
    turns = ("Sveiki", "Kur var paēst?", "Paldies", "Kā dabūt personas apliecību?", "Sveiki")
    victim = scale.urls[0]
    log: list[tuple[int, str, float, float, bool]] = []  # person, message, start, end, answered by Rasa
    kill: dict[str, float] = {}

    async def scenario():
        door, rasa = _door(scale.urls, FAILOVER_TIMEOUT)
        moved = [uid for uid in people if rasa.instance_for(door.sender(channel, uid)) == victim]
        try:
            first = await asyncio.gather(*(door.handle_text(channel, uid, "Daugavpilī") for uid in people))
            assert all("Daugavpils" in _joined(r) and UNAVAILABLE not in _joined(r) for r in first)

            async def person(uid: int):
                for m in turns:
                    t0 = time.monotonic()
                    replies = await door.handle_text(channel, uid, m)
                    log.append((uid, m, t0, time.monotonic(), UNAVAILABLE not in _joined(replies)))

            async def killer():  # once the victim's people are about one turn into the load: mid-conversation
                while sum(e[0] in moved for e in log) < len(moved):
                    await asyncio.sleep(0.02)
                kill["signal"] = time.monotonic()
                scale.rasa[victim].send_signal(signal.SIGKILL)
                await asyncio.to_thread(scale.rasa[victim].wait)
                kill["dead"] = time.monotonic()

            await asyncio.gather(killer(), *(person(uid) for uid in people))
            await asyncio.sleep(max(0.0, kill["signal"] + float(LOCK_LIFETIME) + 1 - time.monotonic()))
            last = await asyncio.gather(*(door.handle_text(channel, uid, "Kur var pārnakšņot?") for uid in people))
            return last, {uid: door.sender(channel, uid) for uid in people}, moved
        finally:
            await door.aclose()

    last, senders, moved = asyncio.run(scenario())
    cut = {e[0] for e in log if e[2] < kill["dead"] and not e[4]}  # people whose message the kill cut off
    after = [e for e in log if e[2] > kill["dead"]]
    locked = [e for e in after if e[0] in cut and e[2] < kill["signal"] + float(LOCK_LIFETIME)]
    must_answer = [e for e in after if e not in locked]
    print(f"\nfailover: {len(moved)} of {len(people)} conversations were on the killed instance; the kill cut off a "
          f"message of {len(cut)}; {len(after)} messages sent after the kill ({sum(e[0] in moved for e in after)} by "
          f"moved people): {len(locked)} while their conversation was still locked "
          f"({sum(not e[4] for e in locked)} answered 'unavailable'), {len(must_answer)} others "
          f"({sum(not e[4] for e in must_answer)} unanswered, slowest {max(e[3] - e[2] for e in must_answer):.1f} s)")
    assert scale.rasa[victim].returncode == -signal.SIGKILL
    assert cut <= set(moved)  # nobody on the surviving instance noticed anything
    assert len(moved) >= 3 and sum(e[0] in moved for e in after) >= len(moved)  # the moved people went on talking
    assert [e for e in must_answer if not e[4]] == []  # every other message after the kill was answered by Rasa
    for uid in people:  # the place given before the kill is still known: no "where are you?" question
        screen = _joined(last[uid])
        assert "Šaurā iela 23" in screen and response("utter_ask_municipality") not in screen, (uid, screen)
        assert scale.slots(senders[uid], "municipality")[-1] == "Daugavpils"


def test_no_message_text_in_the_logs(scale):
    """Runs after the others. Rasa's REST channel logs the text of a message whose request is abandoned or fails
    (rest.message.received.timeout / .failure); requests are abandoned here on purpose, on top of the failures and the
    kill above. With deploy/rasa-logging.yml no text reaches the logs of Rasa or of the action servers."""
    marker = "Šo teikumu neviens žurnāls nedrīkst redzēt"

    async def abandon():  # the client gives up while Rasa is still working: Sanic cancels the handler
        async with httpx.AsyncClient(timeout=0.05) as c:
            for url, proc in scale.rasa.items():
                for i in range(5):
                    if proc.poll() is None:
                        try:
                            await c.post(f"{url}/webhooks/rest/webhook",
                                         json={"sender": f"logs-{i}", "message": marker})
                        except httpx.TimeoutException:
                            pass

    asyncio.run(abandon())
    # Rasa handles one sender's messages in order: when a second message of each sender is answered, the abandoned
    # one has been cancelled and logged (or not) — a condition, not a pause.
    for url, proc in scale.rasa.items():
        if proc.poll() is None:
            for i in range(5):
                httpx.post(f"{url}/webhooks/rest/webhook", json={"sender": f"logs-{i}", "message": "Sveiki"},
                           timeout=60).raise_for_status()
    said = set(MESSAGES) | {"Daugavpilī", "Kur var pārnakšņot?", marker}
    forms = {f for m in said for f in (m, json.dumps(m)[1:-1])}  # as written, and as a JSON log line escapes it
    for log in scale.logs:
        content = log.read_text(errors="replace")
        assert not [f for f in forms if f in content], log.name


def test_every_tracker_table_rasa_wrote_on_postgresql_is_registered(scale):
    """The tables Rasa itself created on PostgreSQL: each one naming a sender is known to /dzest and the retention
    job (personal/registry.py); the SQLite side is in tests/integration/test_personal.py."""
    from sqlalchemy import inspect

    from personal.crypto import ChatRefCipher
    from personal.handoff import HandoffStore
    from personal.registry import build

    registered = build(None, None, HandoffStore(None, ChatRefCipher(b"k" * 32))).tables("tracker")
    tables = inspect(scale.tracker).get_table_names()
    naming = {t for t in tables if {"sender_id", "sender"} & {c["name"] for c in inspect(scale.tracker).get_columns(t)}}
    assert "events" in naming and naming <= registered, naming - registered


def test_production_nginx_config_is_valid(tmp_path):
    """deploy/nginx/celvedis.conf passes `nginx -t` (with a throw-away certificate and loopback ports in place of the
    real ones); whether TLS and certbot work on the server stays untested here."""
    nginx = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
    if not nginx or not shutil.which("openssl"):
        if os.environ.get("CI"):
            pytest.fail("CI must check the nginx config: scripts/test.sh installs nginx; openssl comes with PostgreSQL")
        pytest.skip("nginx or openssl missing (run through `make test`)")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=test",
                    "-keyout", str(tmp_path / "privkey.pem"), "-out", str(tmp_path / "fullchain.pem")],
                   check=True, capture_output=True)
    site = (Path(__file__).resolve().parents[2] / "deploy" / "nginx" / "celvedis.conf").read_text()
    site = site.replace("/etc/letsencrypt/live/bot.example.lv", str(tmp_path))
    for old, new in (("listen 80;", "listen 127.0.0.1:%d;"), ("listen 127.0.0.1:5055;", "listen 127.0.0.1:%d;"),
                     ("listen 443 ssl http2;", "listen 127.0.0.1:%d ssl http2;")):
        assert old in site
        site = site.replace(old, new % free_port())
    site = site.replace("listen [::]:80;", "").replace("listen [::]:443 ssl http2;", "")
    (tmp_path / "site.conf").write_text(site)
    (tmp_path / "nginx.conf").write_text(f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\nevents {{}}\n"
                                         f"http {{\n    include {tmp_path}/site.conf;\n}}\n")
    out = subprocess.run([nginx, "-t", "-p", str(tmp_path), "-e", str(tmp_path / "error.log"),
                          "-c", str(tmp_path / "nginx.conf")], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
