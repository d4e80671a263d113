"""Explicit crisis statements, caught by the patterns in crisis/patterns.yml (data a Latvian and a Russian reader can
review). Pure Python with no model to load: it works when everything else is down."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from lvnorm.text import fold

PATTERNS = Path(__file__).resolve().parent / "patterns.yml"
SCRIPTS = ("lv", "ru", "ru_latin")
MARKERS = ("third_person", "first_person", "speaks_of_self", "joke", "framing", "hypothetical", "distant_past",
           "recent_past", "now", "over")

# Russian typed in Latin letters, after fold(): one spelling for the letters people write in several ways.
_RU_LATIN = ((re.compile(r"kh|x"), "h"), (re.compile(r"[yi](?=[aeou])"), "j"), (re.compile(r"['’`ʼ]"), ""))
_SENTENCE_END = re.compile(r"[.!?\n;]+(?=\s|$)")
_WORD = re.compile(r"[^\W\d_]{3,}")


def ru_latin(folded: str) -> str:
    """'ne hocu zit', 'ubyu sebya' -> 'ubju sebja': the spelling the ru_latin patterns are written in."""
    for pattern, repl in _RU_LATIN:
        folded = pattern.sub(repl, folded)
    return folded


@dataclass(frozen=True)
class Pattern:
    """One reviewed pattern: what it catches, in which script, and its optional context conditions."""

    kind: str
    script: str
    means: str
    regex: re.Pattern
    also: re.Pattern | None
    unless: re.Pattern | None
    examples: tuple[str, ...]

    def search(self, text: str) -> re.Match | None:
        """Where this pattern fires in the (already normalised) text, if its context conditions hold."""
        found = self.regex.search(text)
        if found is None or (self.also is not None and self.also.search(text) is None):
            return None
        return None if self.unless is not None and self.unless.search(text) is not None else found

    def matches(self, text: str) -> bool:
        """Does this pattern fire on the (already normalised) text?"""
        return self.search(text) is not None


@dataclass(frozen=True)
class Catalogue:
    """Every pattern, the markers (who, when) and the near misses, as read from the data file."""

    patterns: tuple[Pattern, ...]
    markers: dict[str, dict[str, re.Pattern]]
    not_crisis: tuple[str, ...]

    def marked(self, marker: str, forms: dict[str, str]) -> bool:
        """Does any script's form of the text carry this marker?"""
        return any(self.markers[marker][s].search(forms[s]) for s in SCRIPTS)


@dataclass(frozen=True)
class Finding:
    """An explicit statement: its kind and whether the person in danger is someone other than the writer."""

    kind: str
    third_person: bool
    means: str
    rest: int = 0  # words of three letters or more outside the statement: 0 or 1 means it says nothing else


def _compile(value: str | None) -> re.Pattern | None:
    return re.compile(value) if value else None


@cache
def catalogue(path: Path = PATTERNS) -> Catalogue:
    """The patterns file, compiled once."""
    data = yaml.load(path.read_text(encoding="utf-8"), yaml.CSafeLoader)
    patterns = tuple(
        Pattern(p["kind"], p["script"], p["means"], re.compile(p["re"]), _compile(p.get("also")),
                _compile(p.get("unless")), tuple(p.get("examples") or ()))
        for p in data["patterns"]
    )
    markers = {key: {s: re.compile(data[key][s]) for s in SCRIPTS} for key in MARKERS}
    return Catalogue(patterns, markers, tuple(data.get("not_crisis") or ()))


def variants(text: str) -> dict[str, str]:
    """The text as each script's patterns are written: folded, and folded further for Russian in Latin letters."""
    folded = fold(text)
    return {"lv": folded, "ru": folded, "ru_latin": ru_latin(folded)}


def _sentence(text: str, start: int, end: int) -> str:
    """The sentence (or sentences) a match stands in."""
    left = max((m.end() for m in _SENTENCE_END.finditer(text, 0, start)), default=0)
    right = _SENTENCE_END.search(text, end)
    return text[left:right.start() if right else len(text)]


def find(text: str, path: Path = PATTERNS) -> Finding | None:
    """The first explicit crisis statement in the text, or None."""
    return next(findings(text, path), None)


def findings(text: str, path: Path = PATTERNS) -> Iterator[Finding]:
    """Each explicit crisis statement in the text, in the catalogue's order ("избили ... замерзаю": violence, then
    the cold), lazily: `find` stops at the first."""
    cat = catalogue(path)
    forms = variants(text)
    for p in cat.patterns:
        found = p.search(forms[p.script])
        if found is None:
            continue
        sentence = _sentence(forms[p.script], found.start(), found.end())
        told = {s: sentence for s in SCRIPTS}
        if not_now(cat, told):
            continue  # a joke, a story, a question for later, or over
        rest = len(_WORD.findall(forms[p.script][: found.start()] + " " + forms[p.script][found.end():]))
        yield Finding(p.kind, someone_else(cat, told, forms), p.means, rest)


def someone_else(cat: Catalogue, sentence: dict[str, str], message: dict[str, str]) -> bool:
    """Is the person in danger someone other than the writer? Not when the statement's own sentence speaks of the
    writer and names no one else ("iznācu un nevienam neesmu vajadzīgs, māte nerunā. domāju šodien visu izbeigt"
    got "stay with him until help comes", the terminal chat, 2026-12-07); otherwise when the message names someone
    and the writer does not speak of themselves."""
    if cat.marked("speaks_of_self", sentence) and not cat.marked("third_person", sentence):
        return False
    return cat.marked("third_person", message) and not cat.marked("first_person", message)


def not_now(cat: Catalogue, told: dict[str, str]) -> bool:
    """A joke; someone else's story, a question for later or long ago, with nothing said about now; or any past said
    to be over (the rule is explained in crisis/patterns.yml)."""
    if cat.marked("joke", told):
        return True
    now = cat.marked("now", told)
    if not now and any(cat.marked(m, told) for m in ("framing", "hypothetical", "distant_past")):
        return True
    past = cat.marked("distant_past", told) or cat.marked("recent_past", told)
    return past and cat.marked("over", told)


def is_explicit(text: str) -> bool:
    """True when the text states a danger to life that the patterns know."""
    return find(text) is not None
