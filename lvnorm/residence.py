"""Which place a municipality mention names: where the person is now (no role), or where their residence is or was
declared (role `declared`). The cue words are reviewable data in residence.yml; this module only matches them."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml

from lvnorm.places import PlaceMatch
from lvnorm.requester import names_someone
from lvnorm.text import fold, matches_at, phrase, tokens

DATA = Path(__file__).with_name("residence.yml")
DECLARED = "declared"
NOWHERE = "none"  # the value of `declared_municipality` when the person has no declared residence
UNKNOWN = "unknown"  # ... when the person does not know (an answer to the document plan's question)
_PUNCT = frozenset(",.;!?\n")


@lru_cache(maxsize=1)
def _breaks() -> frozenset[str]:
    data = yaml.load(DATA.read_text(encoding="utf-8"), yaml.CSafeLoader)
    return frozenset(fold(w) for w in data["breaks"])


@lru_cache(maxsize=1)
def _data() -> dict[str, list[tuple[str, ...]]]:
    raw = yaml.load(DATA.read_text(encoding="utf-8"), yaml.CSafeLoader)
    return {k: [phrase(w) for w in raw[k]] for k in ("strong", "weak", "present", "nowhere", "prison", "office",
                                                      "writer", "with_person")}


def _clauses(text: str) -> list[tuple[int, int, list[str]]]:
    """(start, end, folded words) of each clause."""
    out: list[tuple[int, int, list[str]]] = []
    start = 0
    words: list[str] = []
    spans = tokens(text)
    for k, (token, s, e) in enumerate(spans):
        gap = text[spans[k - 1][2] : s] if k else ""
        if words and (_PUNCT & set(gap) or fold(token) in _breaks()):
            out.append((start, s, words))
            start, words = s, []
        words.append(fold(token))
    out.append((start, len(text), words))
    return out


def _has(words: list[str], cues) -> bool:
    return any(matches_at(c, words, i) for c in cues for i in range(len(words)))


def roles(text: str, mentions: list[PlaceMatch]) -> list[str | None]:
    """One role per mention: DECLARED, or None for where the person is (the default when nothing says otherwise)."""
    data = _data()
    clauses = _clauses(text)
    marks = []
    for m in mentions:
        words = next((w for s, e, w in clauses if s <= m.start < e), [])
        marks.append(None if _has(words, data["nowhere"]) else "strong" if _has(words, data["strong"])
                     else "present" if _has(words, data["present"]) else "weak" if _has(words, data["weak"]) else None)
    two_places = "present" in marks and len({m.municipality for m in mentions}) > 1
    return [DECLARED if mark == "strong" or (mark == "weak" and two_places) else None for mark in marks]


def names_a_prison(text: str, mention: PlaceMatch) -> bool:
    """Is the mention part of a prison's name ("Olaines cietumā"): followed, in the same clause, by a `prison` cue?"""
    return _followed_by(text, mention, "prison")


def names_an_office(text: str, mention: PlaceMatch) -> bool:
    """Is the mention part of an office's name ("Rīgas Sociālajā dienestā"): followed by an `office` cue?"""
    return _followed_by(text, mention, "office")


def where_now(text: str, mentions: list[PlaceMatch], relative: bool = False) -> list[PlaceMatch]:
    """The mentions that can say where the person is or is declared: not a prison's name, and not an office's
    when the message names a place otherwise too ("esmu sociālā darbiniece Bauskas novada Sociālajā dienestā ...
    faktiski uzturas Bauskā ... vai viņam jāvēršas Rīgas Sociālajā dienestā?" is a client in Bauska; the office in
    Rīga, named last, had made it Rīga, and tonight's beds were Rīga's, 2026-12-07); in a relative's message, not
    where the writer alone lives or is (`writers_own`)."""
    kept = [m for m in mentions if not names_a_prison(text, m) and not (relative and writers_own(text, m))]
    plain = [m for m in kept if not names_an_office(text, m)]
    return plain or kept


def writers_own(text: str, mention: PlaceMatch) -> bool:
    """Does the mention's clause speak of the writer alone (residence.yml, `writer`)?"""
    words = next((w for s, e, w in _clauses(text) if s <= mention.start < e), [])
    data = _data()
    return _has(words, data["writer"]) and not _has(words, data["with_person"]) and not names_someone(words)


def _followed_by(text: str, mention: PlaceMatch, cues: str) -> bool:
    after: list[str] = []
    end = mention.end
    for token, s, e in tokens(text):
        if s < mention.end:
            continue
        if _PUNCT & set(text[end:s]) or len(after) == 3:
            break
        after.append(fold(token))
        end = e
    return any(matches_at(cue, after, 0) for cue in _data()[cues])


def nowhere(text: str) -> tuple[int, int] | None:
    """The span of a statement that the person has no declared residence ("nav deklarētas dzīvesvietas"), or None."""
    spans = tokens(text)
    words = [fold(t) for t, _, _ in spans]
    for i in range(len(words)):
        for cue in _data()["nowhere"]:
            if matches_at(cue, words, i):
                n = len(cue) - (cue[-1] == "*")
                return spans[i][1], spans[i + n - 1][2]
    return None
