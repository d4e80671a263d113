"""Pseudonymous sender ids: a keyed HMAC of the channel user id, so Rasa and the logs never see the real id."""

from __future__ import annotations

import hashlib
import hmac


def sender_id(secret: bytes, channel: str, user_id: int | str) -> str:
    """Stable per user and key; without the key it cannot be reversed or linked to the Telegram id."""
    digest = hmac.new(secret, f"{channel}:{user_id}".encode(), hashlib.sha256).hexdigest()
    return f"u{digest[:32]}"
