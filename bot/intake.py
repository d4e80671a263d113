"""What comes in, before anything else looks at it: untrusted text made safe, the language it is written in, and
the rate limit per person."""

from __future__ import annotations

import re
import time
import unicodedata

from bot.commands import command_word, lookup
from lvnorm.text import language

_CONTROL = re.compile(r"[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
# Rasa parses "/intent{...}" as a forced intent with entities: every leading run of slashes and spaces goes, whatever
# the spaces are ("/ /inform{...}", a no-break space, an ideographic space, a fraction slash...).
_LEADING = re.compile(r"^(?:[\s/\u2044\u2215\u29f8\uff0f]|\u200b)+")


def clean(raw: str, limit: int) -> tuple[str, bool]:
    """Normalise untrusted text: valid Unicode, no control/bidi characters, no leading '/', at most `limit` chars."""
    t = raw.encode("utf-8", "replace").decode("utf-8", "replace")
    t = unicodedata.normalize("NFC", _CONTROL.sub(" ", t))
    t = _LEADING.sub("", " ".join(t.split()))
    return t[:limit], len(t) > limit


def lang_of_command(raw: str) -> str | None:
    """The language a command was typed in: its Russian alias means Russian; a Latvian name says nothing."""
    command = lookup(raw)
    return "ru" if command is not None and command_word(raw) in command.aliases[-1:] else None


def language_of(message: str, current: str | None = None) -> str:
    """Cyrillic or Russian in Latin letters means Russian, a Latvian word Latvian; a message that shows neither keeps
    the conversation's `current` language (lvnorm.text.language)."""
    return language(message, current)


class Bucket:
    """Token bucket: `rate` messages a minute, bursts up to a third of that."""

    def __init__(self, rate: int):
        self.capacity = max(3.0, rate / 3)
        self.tokens = self.capacity
        self.per_second = rate / 60.0
        self.stamp = time.monotonic()
        self.warned = False

    def take(self) -> bool:
        now = time.monotonic()
        self.tokens = min(self.capacity, self.tokens + (now - self.stamp) * self.per_second)
        self.stamp = now
        if self.tokens >= 1:
            self.tokens -= 1
            self.warned = False
            return True
        return False
