"""HTTP client for Rasa's REST channel: sticky routing of each conversation to one instance, safe failover."""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import time
from dataclasses import dataclass, field
from typing import Awaitable, Callable

import aiohttp

log = logging.getLogger(__name__)


class RasaUnavailable(Exception):
    """Rasa did not answer usefully: down, slow, an error status, or the REST channel's `200 []` on failure."""


@dataclass(frozen=True)
class Button:
    """A choice offered to the person: what they see, and what Rasa gets back."""

    title: str
    payload: str


@dataclass(frozen=True)
class Document:
    """A file to send (the checklist PDF)."""

    filename: str
    content: bytes


@dataclass(frozen=True)
class Reply:
    """One message to show: text with buttons, or a document (rendered by the front door: `document_kind` names
    what Rasa asked for, `document` is the file)."""

    text: str
    buttons: tuple[Button, ...] = field(default_factory=tuple)
    document: Document | None = None
    document_kind: str | None = None
    survey: dict | None = None  # an action's count for the survey (survey/): recorded by the front door, never shown


DOCUMENT_KINDS = {"checklist"}
# Topics whose answer may carry the gentle line about 116 123 when the message also sounds like distress: a family's
# own worries. Under any other topic's answer the need was practical and the answer is the help; an ordinary message
# never gets a crisis number (the psychologist's answer carries 116 123 itself).
GENTLE_TOPICS = frozenset({"ask_family_support"})


def answers_a_need(replies: list[Reply]) -> bool:
    """Did this turn answer a practical topic (an action counted it for the survey, other than the fallback and
    the family's own worries)?"""
    return any(r.survey is not None and r.survey.get("outcome") != "fallback"
               and r.survey.get("topic") not in GENTLE_TOPICS for r in replies)


def parse_replies(body: object) -> list[Reply]:
    """Rasa REST output -> replies; anything malformed is dropped, never trusted."""
    out = []
    for item in body if isinstance(body, list) else []:
        custom: dict = item["custom"] if isinstance(item, dict) and isinstance(item.get("custom"), dict) else {}
        doc = custom.get("document")
        if isinstance(doc, dict) and doc.get("kind") in DOCUMENT_KINDS:
            out.append(Reply("", document_kind=doc["kind"]))
            continue
        if isinstance(custom.get("survey"), dict):
            out.append(Reply("", survey=custom["survey"]))
            continue
        if not isinstance(item, dict) or not isinstance(item.get("text"), str):
            continue
        buttons = tuple(
            Button(str(b.get("title", ""))[:64], str(b.get("payload", "")))
            for b in item.get("buttons") or []
            if isinstance(b, dict) and b.get("payload")
        )
        out.append(Reply(item["text"], buttons))
    return out


class RasaClient:
    """Posts to /webhooks/rest/webhook; each conversation sticks to one Rasa instance while that instance is up.

    Every sender has its own preference order of the instances (rendezvous, or highest-random-weight, hashing):
    adding or removing an instance moves only the conversations that must move. A message goes to the first
    instance of the order that is not cooling down. Only when the connection could not even be made (refused,
    connect timeout: the message certainly did not reach Rasa) is it sent to the next instance, and the failed
    one is skipped for `cooldown` seconds, then tried again. A read timeout, a dropped connection or an error
    status after the request was sent is never retried: Rasa may have processed the message, and sending it
    again would add it to the conversation twice.
    """

    COOLDOWN_SECONDS = 10.0

    def __init__(
        self, urls: tuple[str, ...], timeout: float, post: Post | None = None, *,
        cooldown: float = COOLDOWN_SECONDS, clock: Callable[[], float] = time.monotonic,
    ):
        self._urls = tuple(dict.fromkeys(u.rstrip("/") for u in urls))
        self._http: HttpPost | None = None
        if post is None:
            self._http = HttpPost(timeout)
            post = self._http.post
        self._post = post
        self._cooldown = cooldown
        self._clock = clock
        self._down_until: dict[str, float] = {}

    def preference(self, sender: str) -> tuple[str, ...]:
        """The sender's order of instances: highest hash of (instance, sender) first; independent of list order."""
        return tuple(sorted(self._urls, key=lambda url: (_weight(url, sender), url), reverse=True))

    def instance_for(self, sender: str) -> str:
        """The sender's own instance (first of its preference order), whether it is up or not."""
        return self.preference(sender)[0]

    def _candidates(self, sender: str) -> list[str]:
        order = self.preference(sender)
        now = self._clock()
        up = [u for u in order if self._down_until.get(u, 0.0) <= now]
        return up or list(order)  # all cooling down: try them all rather than answer without asking anyone

    async def send(self, sender: str, message: str, metadata: dict | None = None) -> list[Reply]:
        """Send one user message and return Rasa's replies, or raise RasaUnavailable."""
        payload = {"sender": sender, "message": message, "metadata": metadata or {}}
        failed = []
        for base in self._candidates(sender):
            try:
                status, body = await self._post(f"{base}/webhooks/rest/webhook", payload)
            except NotSent as exc:  # never reached Rasa: safe to go on
                self._down_until[base] = self._clock() + self._cooldown
                failed.append(exc.reason)
                log.warning("rasa instance %s unreachable (%s), skipped for %.0f s", base, exc.reason, self._cooldown)
                continue
            except MaybeSent as exc:  # may have been processed: do not send it anywhere again
                raise RasaUnavailable(exc.reason) from None
            self._down_until.pop(base, None)
            return _replies(status, body)
        raise RasaUnavailable("no instance reachable: " + (", ".join(failed) or "no Rasa URL configured"))

    async def aclose(self) -> None:
        """Close the connection pool."""
        if self._http is not None:
            await self._http.aclose()


class PostFailed(Exception):
    """A POST to Rasa failed; `reason` is the error's class name."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class NotSent(PostFailed):
    """The connection to Rasa could not be made (refused, connect timeout): the message certainly did not arrive."""


class MaybeSent(PostFailed):
    """The request went out and then failed (read timeout, dropped connection): Rasa may have processed it."""


Post = Callable[[str, dict], Awaitable[tuple[int, bytes]]]


class HttpPost:
    """POST JSON over one aiohttp session (a tenth of httpx's CPU per request: bot/transport.py). Errors become
    NotSent or MaybeSent, named by their class only (an error's text can carry the URL)."""

    def __init__(self, timeout: float):
        # A refused connection is immediate; an unreachable host should not cost the whole answer time.
        self._timeout = aiohttp.ClientTimeout(sock_connect=min(timeout, 2.0), sock_read=timeout)
        self._session: aiohttp.ClientSession | None = None

    async def post(self, url: str, payload: dict) -> tuple[int, bytes]:
        """One POST; the session is made on first use, inside the running event loop."""
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(timeout=self._timeout)
        try:
            async with self._session.post(url, json=payload) as resp:
                return resp.status, await resp.read()
        except (aiohttp.ClientConnectorError, aiohttp.ConnectionTimeoutError) as exc:
            raise NotSent(type(exc).__name__) from None
        except (aiohttp.ClientError, asyncio.TimeoutError) as exc:
            raise MaybeSent(type(exc).__name__) from None

    async def aclose(self) -> None:
        """Close the pool."""
        if self._session is not None:
            await self._session.close()


def _weight(url: str, sender: str) -> int:
    return int.from_bytes(hashlib.sha256(f"{url}\x00{sender}".encode()).digest()[:8], "big")


def _replies(status: int, body: bytes) -> list[Reply]:
    if status != 200:
        raise RasaUnavailable(f"status {status}")
    try:
        replies = parse_replies(json.loads(body))
    except ValueError:
        raise RasaUnavailable("invalid JSON") from None
    if not replies:
        raise RasaUnavailable("empty answer")  # the REST channel answers `200 []` when processing failed
    return replies
