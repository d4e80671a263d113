"""The Rasa client: rendezvous hashing over RASA_URLS, failover only when a message certainly did not reach Rasa."""

import asyncio
import json
from collections import Counter

import pytest

from bot.rasa_client import MaybeSent, NotSent, RasaClient, RasaUnavailable, Reply
from tests.fakes import Clock

A, B, C, D = (f"http://10.0.0.{i}:5005" for i in range(1, 5))
SENDERS = [f"sender-{i}" for i in range(3000)]


class Backends:
    """A fake network behind the client's POST (how real aiohttp errors become NotSent or MaybeSent is tested on
    loopback in tests/integration/test_transport.py): per host, an answer or a failure; records every attempt."""

    def __init__(self, **behaviour):
        self.behaviour = behaviour  # host -> "ok" | NotSent / MaybeSent | int status
        self.calls: list[tuple[str, str]] = []

    async def post(self, url: str, payload: dict) -> tuple[int, bytes]:
        host = url.split("/webhooks")[0]
        self.calls.append((host, payload["message"]))
        what = self.behaviour.get(host, "ok")
        if isinstance(what, Exception):
            raise what
        if isinstance(what, int):
            return what, b'{"error": "x"}'
        return 200, json.dumps([{"text": f"{host} got {payload['message']}"}]).encode()

    def hosts(self):
        return [h for h, _ in self.calls]


def client(urls, backends, clock=None, cooldown=10.0):
    return RasaClient(tuple(urls), 1.0, backends.post, cooldown=cooldown, clock=clock or Clock())


def run(coro):
    return asyncio.run(coro)


def test_assignment_is_stable_and_independent_of_the_order_of_the_urls():
    one, other = client([A, B, C], Backends()), client([C, A, B + "/"], Backends())
    for s in SENDERS[:200]:
        assert one.instance_for(s) == one.instance_for(s) == other.instance_for(s)
        assert one.preference(s)[0] == one.instance_for(s)
        assert sorted(one.preference(s)) == sorted([A, B, C])


@pytest.mark.parametrize("urls", [[A, B], [A, B, C]])
def test_distribution_is_balanced(urls):
    c = client(urls, Backends())
    counts = Counter(c.instance_for(s) for s in SENDERS)
    share = len(SENDERS) / len(urls)
    assert set(counts) == set(urls)
    for url in urls:  # within 10 % of an even share (the hash is deterministic, so this is a fixed fact)
        assert abs(counts[url] - share) < 0.1 * share, counts


def test_removing_an_instance_moves_only_its_own_conversations():
    three, two = client([A, B, C], Backends()), client([A, B], Backends())
    moved = [s for s in SENDERS if three.instance_for(s) != two.instance_for(s)]
    assert moved and all(three.instance_for(s) == C for s in moved)
    assert len(moved) == sum(1 for s in SENDERS if three.instance_for(s) == C)
    # ...and each of them goes to its second choice, so their next move is predictable too
    assert all(two.instance_for(s) == three.preference(s)[1] for s in moved)


def test_adding_an_instance_moves_only_conversations_to_the_new_one():
    three, four = client([A, B, C], Backends()), client([A, B, C, D], Backends())
    moved = [s for s in SENDERS if three.instance_for(s) != four.instance_for(s)]
    assert all(four.instance_for(s) == D for s in moved)
    assert abs(len(moved) - len(SENDERS) / 4) < 0.1 * len(SENDERS) / 4


def test_the_old_modulo_hash_would_have_moved_most_conversations():
    """Why rendezvous hashing: with `hash % n`, going from 3 to 2 instances reshuffles about half of everyone."""
    import hashlib

    def modulo(urls, s):
        return urls[int(hashlib.sha256(s.encode()).hexdigest()[:8], 16) % len(urls)]

    moved_modulo = sum(modulo([A, B, C], s) != modulo([A, B], s) for s in SENDERS)
    three, two = client([A, B, C], Backends()), client([A, B], Backends())
    moved_rendezvous = sum(three.instance_for(s) != two.instance_for(s) for s in SENDERS)
    assert moved_rendezvous < 0.4 * len(SENDERS) < moved_modulo


def sender_on(c, url):
    return next(s for s in SENDERS if c.instance_for(s) == url)


REFUSED, CONNECT_TIMEOUT = NotSent("ClientConnectorError"), NotSent("ConnectionTimeoutError")


@pytest.mark.parametrize("error", [REFUSED, CONNECT_TIMEOUT])
def test_connection_failure_fails_over_to_the_next_instance(error):
    net = Backends(**{A: error})
    c = client([A, B, C], net)
    s = sender_on(c, A)
    replies = run(c.send(s, "Sveiki"))
    second = c.preference(s)[1]
    assert replies == [Reply(f"{second} got Sveiki")]
    assert net.hosts() == [A, second]


@pytest.mark.parametrize("error", [MaybeSent("SocketTimeoutError"), MaybeSent("ServerDisconnectedError"),
                                   MaybeSent("ClientPayloadError"), MaybeSent("TimeoutError")])
def test_no_failover_once_the_request_may_have_reached_rasa(error):
    net = Backends(**{A: error})
    c = client([A, B], net)
    with pytest.raises(RasaUnavailable):
        run(c.send(sender_on(c, A), "Sveiki"))
    assert net.hosts() == [A]  # never resent: Rasa may already have added it to the conversation


@pytest.mark.parametrize("status", [500, 502, 503])
def test_no_failover_on_an_error_status(status):
    net = Backends(**{A: status})
    c = client([A, B], net)
    with pytest.raises(RasaUnavailable, match=f"status {status}"):
        run(c.send(sender_on(c, A), "Sveiki"))
    assert net.hosts() == [A]


def test_a_down_instance_is_skipped_during_the_cooldown_then_probed_again():
    clock = Clock()
    net = Backends(**{A: REFUSED})
    c = client([A, B], net, clock=clock, cooldown=10.0)
    on_a = [s for s in SENDERS if c.instance_for(s) == A][:3]
    run(c.send(on_a[0], "1"))
    assert net.hosts() == [A, B]
    clock.now += 5
    run(c.send(on_a[1], "2"))  # another conversation of A: straight to B, A is not even tried
    run(c.send(on_a[0], "3"))
    assert net.hosts() == [A, B, B, B]
    clock.now += 5.1  # cool-down over, and A is back
    net.behaviour[A] = "ok"
    assert run(c.send(on_a[2], "4")) == [Reply(f"{A} got 4")]
    assert run(c.send(on_a[0], "5")) == [Reply(f"{A} got 5")]  # the conversation returns to its own instance
    assert net.hosts() == [A, B, B, B, A, A]


def test_a_probe_that_fails_again_restarts_the_cooldown():
    clock = Clock()
    net = Backends(**{A: REFUSED})
    c = client([A, B], net, clock=clock, cooldown=10.0)
    s = sender_on(c, A)
    run(c.send(s, "1"))
    clock.now += 11
    run(c.send(s, "2"))  # probe: still refused, on to B
    clock.now += 9
    run(c.send(s, "3"))
    assert net.hosts() == [A, B, A, B, B]


def test_other_instances_conversations_are_not_affected():
    net = Backends(**{A: REFUSED})
    c = client([A, B], net)
    run(c.send(sender_on(c, A), "1"))
    run(c.send(sender_on(c, B), "2"))
    assert net.hosts() == [A, B, B]


def test_everything_down_raises_after_trying_each_instance_once():
    clock = Clock()
    net = Backends(**{A: REFUSED, B: CONNECT_TIMEOUT})
    c = client([A, B], net, clock=clock)
    s = sender_on(c, A)
    with pytest.raises(RasaUnavailable, match="ClientConnectorError, ConnectionTimeoutError"):
        run(c.send(s, "1"))
    assert net.hosts() == [A, B]
    clock.now += 1  # both cooling down: still asked (in the sender's order) rather than given up on
    with pytest.raises(RasaUnavailable):
        run(c.send(s, "2"))
    assert net.hosts() == [A, B, A, B]


def test_failover_then_an_error_after_sending_is_not_retried_further():
    net = Backends(**{A: REFUSED, B: MaybeSent("SocketTimeoutError")})
    c = client([A, B, C], net)
    s = next(x for x in SENDERS if c.preference(x)[:2] == (A, B))
    with pytest.raises(RasaUnavailable, match="SocketTimeoutError"):
        run(c.send(s, "1"))
    assert net.hosts() == [A, B]


def test_single_instance_behaves_as_before():
    net = Backends()
    c = client([A], net)
    assert c.instance_for("x") == A
    assert run(c.send("x", "Sveiki", {"language": "lv"})) == [Reply(f"{A} got Sveiki")]


def test_empty_answer_and_bad_json_are_unavailable():
    async def post(url, payload):
        return 200, b"[]" if payload["message"] == "empty" else b"{not"

    c = RasaClient((A,), 1.0, post)
    with pytest.raises(RasaUnavailable, match="empty answer"):
        run(c.send("x", "empty"))
    with pytest.raises(RasaUnavailable, match="invalid JSON"):
        run(c.send("x", "bad"))
    run(c.aclose())


def test_metadata_and_sender_reach_rasa():
    seen = []

    async def post(url, payload):
        seen.append(payload)
        return 200, b'[{"text": "ok"}]'

    c = RasaClient((A,), 1.0, post)
    run(c.send("abc", "Labdien", {"language": "ru"}))
    assert seen == [{"sender": "abc", "message": "Labdien", "metadata": {"language": "ru"}}]
