"""Diacritic folding, tokenising and light stemming for Latvian and Russian chat text."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from pathlib import Path

_LV_FOLD = str.maketrans("āčēģīķļņšūžōŗ", "acegiklnsuzor")
_LATVIAN_LETTERS = frozenset("āčēģīķļņšūž")
# People typing Latvian without diacritics write long vowels doubled ("rigaa") and š/ž/č as digraphs.
_DIGRAPHS = (("sh", "s"), ("zh", "z"), ("ch", "c"), ("aa", "a"), ("ee", "e"), ("ii", "i"), ("uu", "u"))
_TOKEN = re.compile(r"[^\W_]+(?:[-'][^\W_]+)*", re.UNICODE)
_SENTENCE = re.compile(r"[.!?…;\n]+")


def is_cyrillic(text: str) -> bool:
    """True if the text contains any Cyrillic letter."""
    return any("\u0400" <= c <= "\u04ff" for c in text)


@lru_cache(maxsize=1)
def _translit_words() -> tuple[frozenset[str], frozenset[str]]:
    import yaml

    raw = yaml.load((Path(__file__).with_name("translit.yml")).read_text(encoding="utf-8"), yaml.CSafeLoader)
    return frozenset(fold(w) for w in raw["russian"]), frozenset(fold(w) for w in raw["latvian"])


def language(text: str, current: str | None = None) -> str:
    """'ru' for Cyrillic and for Russian typed in Latin letters (lvnorm/translit.yml), 'lv' for a Latvian word or
    letter; a message that shows neither ("ok", "spasibo", "112") keeps `current`, the conversation's language so far
    (else 'lv'): one word must not switch a Russian conversation to Latvian."""
    if is_cyrillic(text):
        return "ru"
    russian, latvian = _translit_words()
    found = words(text)
    ru, lv = sum(w in russian for w in found), sum(w in latvian for w in found)
    if ru >= 2 and ru > lv:
        return "ru"
    if lv or set(text.lower()) & _LATVIAN_LETTERS:
        return "lv"
    return current if current in ("lv", "ru") else "lv"


def fold(text: str) -> str:
    """Lowercase, strip Latvian diacritics and chat digraphs; keeps Cyrillic letters (й stays й, ё becomes е).
    Not cached: whole messages would stay in memory after /dzest (the stems of single words are cached below)."""
    t = unicodedata.normalize("NFC", text).lower().translate(_LV_FOLD).replace("ё", "е")
    t = "".join(
        c for c in unicodedata.normalize("NFD", t) if unicodedata.category(c) != "Mn" or c == "\u0306"
    )
    t = unicodedata.normalize("NFC", t)
    if not is_cyrillic(t):
        for a, b in _DIGRAPHS:
            t = t.replace(a, b)
    return t


def tokens(text: str) -> list[tuple[str, int, int]]:
    """Word tokens of the original text as (token, start, end) character spans."""
    return [(m.group(0), m.start(), m.end()) for m in _TOKEN.finditer(text)]


def words(text: str) -> list[str]:
    """The text's words, folded."""
    return [fold(t) for t, _, _ in tokens(text)]


def sentences(text: str) -> list[str]:
    """The text cut at sentence ends (. ! ? … ; and line breaks); pieces may be empty."""
    return _SENTENCE.split(text)


def phrase(text: str) -> tuple[str, ...]:
    """A reviewable word or phrase from a data file, folded; a trailing '*' (any ending) is kept as its own item."""
    return tuple(fold(t) for t, _, _ in tokens(text.rstrip("*"))) + (("*",) if text.endswith("*") else ())


def matches_at(words_phrase: tuple[str, ...], words: list[str], i: int) -> bool:
    """Whether the folded words from position i on start with the phrase (see `phrase`)."""
    prefix = words_phrase[-1] == "*"
    body = words_phrase[:-1] if prefix else words_phrase
    if i + len(body) > len(words):
        return False
    for k, w in enumerate(body):
        last = k == len(body) - 1
        if not (words[i + k].startswith(w) if last and prefix else words[i + k] == w):
            return False
    return True


@lru_cache(maxsize=1)
def _stemmers():
    from LatvianStemmer import stem as lv_stem  # imported lazily: nothing happens at import time
    import snowballstemmer

    return lv_stem, snowballstemmer.stemmer("russian")


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """Stem of an already folded word: LatvianStemmer for Latin script, Snowball for Cyrillic."""
    lv_stem, ru = _stemmers()
    if is_cyrillic(word):
        return ru.stemWord(word)
    return lv_stem(word) if len(word) > 3 else word
