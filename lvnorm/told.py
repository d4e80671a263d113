"""What a person has already told about their release and their passport (the words are data: told.yml), so that
the document plan does not ask it again. Only what a sentence says plainly is read: a release word and a time in the
same sentence ("vakar iznācu", "освободился позавчера", "iznākšu rīt"), a passport within a few words of a word
that says it is missing ("pase beigusies", "нет паспорта").
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from pathlib import Path

import yaml

from lvnorm.lexicon import meanings
from lvnorm.text import fold, matches_at, phrase, words

TOLD = Path(__file__).with_name("told.yml")
NEAR = 3  # words between the passport and what is wrong with it
NOT_YET = "not_yet"
_SENTENCES = re.compile(r"(?<=[.!?;\n])\s+|\n")
_DATE = re.compile(r"(?<![\d.])(\d{1,2})\.(\d{1,2})\.(\d{4}|\d{2})?(?![\d])")


@lru_cache(maxsize=1)
def _data() -> dict:
    raw = yaml.load(TOLD.read_text(encoding="utf-8"), yaml.CSafeLoader)

    def phrases(key: str) -> tuple[tuple[str, ...], ...]:
        return tuple(phrase(str(p)) for p in raw[key])

    return {
        "released": phrases("released"), "future": phrases("future"), "id_document": phrases("id_document"),
        "missing": phrases("missing"), "ago": frozenset(fold(w) for w in raw["ago"]),
        "days_ago": frozenset(fold(w) for w in raw["days_ago"]),
        "when": tuple((int(days), tuple(phrase(str(p)) for p in words)) for days, words in raw["when"].items()),
    }


def _at(phrases: tuple[tuple[str, ...], ...], words: list[str]) -> list[int]:
    return [i for i in range(len(words)) if any(matches_at(p, words, i) for p in phrases)]


def days_before(text: str) -> int | None:
    """How many days before today the text says: 'vakar' -> 1, 'pirms 3 dienām' / '3 дня назад' -> 3; None when it
    says no time (also the plan's typed answer to "Kad jūs atbrīvoja?")."""
    return _days_before(words(text))


def _days_before(words: list[str]) -> int | None:
    data = _data()
    for i, w in enumerate(words):
        if w.isdigit() and i + 1 < len(words) and words[i + 1] in data["days_ago"] and (
                (i > 0 and words[i - 1] in data["ago"]) or (i + 2 < len(words) and words[i + 2] in data["ago"])):
            return int(w)
    found = [(i, days) for days, phrases in data["when"] for i in _at(phrases, words)]
    return min(found)[1] if found else None


def calendar_date(day: str, month: str, year: str | None, on: dt.date) -> dt.date | None:
    """A date as people type it ("24.11", "24.11.26", "24.11.2026"): without a year, this one's; two digits, this
    century's; None when there is no such day (also for the plan's typed answer, actions/checklist.parse_release)."""
    full = int(year or on.year)
    try:
        return dt.date(full + 2000 if full < 100 else full, int(month), int(day))
    except ValueError:
        return None


def _date(sentence: str, on: dt.date) -> dt.date | None:
    m = _DATE.search(sentence)
    return None if m is None else calendar_date(m[1], m[2], m[3], on)


def release(text: str, on: dt.date) -> str | None:
    """The release the text tells of: an ISO date, NOT_YET, or None when it tells none."""
    for sentence in _SENTENCES.split(text):
        found = words(sentence)
        if _at(_data()["future"], found):
            return NOT_YET
        if not _at(_data()["released"], found + meanings(found)):
            continue
        date = _date(sentence, on)
        if date is not None:  # a date still to come, said of a release in the past, is not read at all
            return date.isoformat() if date <= on else None
        days = _days_before(found)
        if days is not None:
            return (on - dt.timedelta(days=days)).isoformat()
    return None


def id_missing(text: str) -> bool:
    """Does the text say the passport or ID card is missing, expired, lost or stolen?"""
    found = words(text)
    documents, missing = _at(_data()["id_document"], found), _at(_data()["missing"], found)
    return any(abs(d - m) <= NEAR for d in documents for m in missing)
