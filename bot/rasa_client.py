"""HTTP client for Rasa's REST channel, with sticky routing of each conversation to one instance."""

from __future__ import annotations

import base64
import hashlib
import re
from dataclasses import dataclass, field

import httpx


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
    """One message to show: text with buttons, or a document."""

    text: str
    buttons: tuple[Button, ...] = field(default_factory=tuple)
    document: Document | None = None


def parse_replies(body: object) -> list[Reply]:
    """Rasa REST output -> replies; anything malformed is dropped, never trusted."""
    out = []
    for item in body if isinstance(body, list) else []:
        doc = (item.get("custom") or {}).get("document") if isinstance(item, dict) and isinstance(item.get("custom"), dict) else None
        if isinstance(doc, dict) and isinstance(doc.get("base64"), str):
            try:
                content = base64.b64decode(doc["base64"], validate=True)
            except ValueError:
                continue
            name = re.sub(r"[^A-Za-z0-9._-]", "_", str(doc.get("filename") or "document.pdf"))[:64]
            out.append(Reply("", document=Document(name, content)))
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
    """Posts to /webhooks/rest/webhook; one conversation always goes to the same Rasa instance."""

    def __init__(self, urls: tuple[str, ...], timeout: float, client: httpx.AsyncClient | None = None):
        self._urls = urls
        self._client = client or httpx.AsyncClient(timeout=timeout)

    def instance_for(self, sender: str) -> str:
        """Stable choice of instance by the sender id's hash."""
        h = int(hashlib.sha256(sender.encode()).hexdigest()[:8], 16)
        return self._urls[h % len(self._urls)]

    async def send(self, sender: str, message: str, metadata: dict | None = None) -> list[Reply]:
        """Send one user message and return Rasa's replies, or raise RasaUnavailable."""
        url = f"{self.instance_for(sender)}/webhooks/rest/webhook"
        try:
            resp = await self._client.post(url, json={"sender": sender, "message": message, "metadata": metadata or {}})
        except httpx.HTTPError as exc:
            raise RasaUnavailable(type(exc).__name__) from None
        if resp.status_code != 200:
            raise RasaUnavailable(f"status {resp.status_code}")
        try:
            replies = parse_replies(resp.json())
        except ValueError:
            raise RasaUnavailable("invalid JSON") from None
        if not replies:
            raise RasaUnavailable("empty answer")  # the REST channel answers `200 []` when processing failed
        return replies

    async def aclose(self) -> None:
        """Close the connection pool."""
        await self._client.aclose()
