"""HTTP client for Rasa's REST channel: sticky routing of each conversation to one instance, safe failover."""

from __future__ import annotations

import hashlib
import logging
import time
from dataclasses import dataclass, field
from typing import Callable

import httpx

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
        self, urls: tuple[str, ...], timeout: float, client: httpx.AsyncClient | None = None, *,
        cooldown: float = COOLDOWN_SECONDS, clock: Callable[[], float] = time.monotonic,
    ):
        self._urls = tuple(dict.fromkeys(u.rstrip("/") for u in urls))
        # A refused connection is immediate; an unreachable host should not cost the whole answer time.
        self._client = client or httpx.AsyncClient(timeout=httpx.Timeout(timeout, connect=min(timeout, 2.0)))
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
                resp = await self._client.post(f"{base}/webhooks/rest/webhook", json=payload)
            except (httpx.ConnectError, httpx.ConnectTimeout) as exc:  # never reached Rasa: safe to go on
                self._down_until[base] = self._clock() + self._cooldown
                failed.append(type(exc).__name__)
                log.warning("rasa instance %s unreachable (%s), skipped for %.0f s", base, type(exc).__name__,
                            self._cooldown)
                continue
            except httpx.HTTPError as exc:  # may have been processed: do not send it anywhere again
                raise RasaUnavailable(type(exc).__name__) from None
            self._down_until.pop(base, None)
            return _replies(resp)
        raise RasaUnavailable("no instance reachable: " + (", ".join(failed) or "no Rasa URL configured"))

    async def aclose(self) -> None:
        """Close the connection pool."""
        await self._client.aclose()


def _weight(url: str, sender: str) -> int:
    return int.from_bytes(hashlib.sha256(f"{url}\x00{sender}".encode()).digest()[:8], "big")


def _replies(resp: httpx.Response) -> list[Reply]:
    if resp.status_code != 200:
        raise RasaUnavailable(f"status {resp.status_code}")
    try:
        replies = parse_replies(resp.json())
    except ValueError:
        raise RasaUnavailable("invalid JSON") from None
    if not replies:
        raise RasaUnavailable("empty answer")  # the REST channel answers `200 []` when processing failed
    return replies
