"""The front door's own messages (bot/texts.yml): what it says when Rasa cannot, about input it cannot read, and
under its own buttons. A text file, not code, so that wording is reviewed as wording; read on first use."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml


@cache
def texts() -> dict[str, dict[str, str]]:
    """Every text, by language and key."""
    return yaml.load(Path(__file__).with_name("texts.yml").read_text(encoding="utf-8"), yaml.CSafeLoader)


def text(key: str, language: str = "lv") -> str:
    """A front-door message in the given language (Latvian when unknown; volunteers' texts exist in Latvian only)."""
    table = texts().get(language, texts()["lv"])
    return table[key] if key in table else texts()["lv"][key]


def __getattr__(name: str) -> dict[str, dict[str, str]]:
    """`TEXTS`: the same table, for the tests and benchmarks that read it whole."""
    if name == "TEXTS":
        return texts()
    raise AttributeError(name)
