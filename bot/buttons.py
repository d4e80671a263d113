"""Button tokens: what goes into Telegram's 64 bytes of callback data instead of a payload. The front door's own
short payloads ('#ok:12') are signed (they work after a restart, and only for the person they were given to);
everything else is kept here under an opaque token, in memory, for the newest MAX buttons."""

from __future__ import annotations

import hashlib
import hmac
from collections import OrderedDict
from dataclasses import dataclass

SIGNED_UP_TO = 40  # payload bytes: with '|' and 16 of signature it fits Telegram's 64 bytes


@dataclass
class _Pending:
    sender: str
    payload: str


class ButtonTokens:
    """Tokens for one front door: issued per person, resolved only for that person."""

    MAX = 50_000

    def __init__(self, secret: bytes):
        self._secret = secret
        self._pending: OrderedDict[str, _Pending] = OrderedDict()

    def _signature(self, sender: str, payload: str) -> str:
        return hmac.new(self._secret, f"{sender}\x00{payload}".encode(), hashlib.sha256).hexdigest()

    def token(self, sender: str, payload: str) -> str:
        """A short opaque token for a button."""
        if payload.startswith("#") and len(payload.encode()) <= SIGNED_UP_TO:
            return f"{payload}|{self._signature(sender, payload)[:16]}"
        token = self._signature(sender, payload)[:20]
        self._pending[token] = _Pending(sender, payload)
        self._pending.move_to_end(token)
        while len(self._pending) > self.MAX:
            self._pending.popitem(last=False)
        return token

    def payload(self, sender: str, token: str) -> str | None:
        """The payload behind a token, if it was issued to this sender (and, if kept in memory, is still kept)."""
        if token.startswith("#"):
            payload, _, signature = token.partition("|")
            return payload if hmac.compare_digest(signature, self._signature(sender, payload)[:16]) else None
        pending = self._pending.get(token)
        return pending.payload if pending is not None and pending.sender == sender else None

    def forget(self, sender: str) -> int:
        """Drop the person's kept buttons (/dzest)."""
        tokens = [t for t, p in self._pending.items() if p.sender == sender]
        for token in tokens:
            del self._pending[token]
        return len(tokens)
