"""Chat references (where a volunteer's reply is delivered) are stored encrypted, with a key of their own
(CHAT_REF_KEY): a database dump alone cannot tell who asked for help."""

from __future__ import annotations

import base64
import hashlib
from typing import overload

from cryptography.fernet import Fernet, InvalidToken


class ChatRefCipher:
    """Fernet (AES-128-CBC with HMAC-SHA256) over the chat reference; the key is derived from CHAT_REF_KEY."""

    def __init__(self, key: bytes):
        if len(key) < 32:
            raise ValueError("CHAT_REF_KEY must be at least 32 bytes")
        self._fernet = Fernet(base64.urlsafe_b64encode(hashlib.sha256(b"celvedis-chat-ref\x00" + key).digest()))

    @overload
    def seal(self, chat_ref: str) -> str: ...

    @overload
    def seal(self, chat_ref: None) -> None: ...

    def seal(self, chat_ref: str | None) -> str | None:
        """The stored form of a chat reference."""
        return None if chat_ref is None else self._fernet.encrypt(chat_ref.encode()).decode()

    def open(self, sealed: str | None) -> str | None:
        """The chat reference again, or None when there is none or it was sealed with another key."""
        if sealed is None:
            return None
        try:
            return self._fernet.decrypt(sealed.encode()).decode()
        except InvalidToken:
            return None
