"""Slang, prison jargon and street words -> their plain meaning, from the reviewable table in lexicon.yml.

The NLU tokenizer adds the plain words to a message's own ("bomzatnica" also counts as "patversme"), so a topic
learnt from plain words is found in slang too. Matching is on folded text (no diacritics, chat digraphs), on whole
words and word sequences; a single word also matches by its stem when the stem is long enough to be unambiguous.
Where a word means something in both languages ("zona": cietums / тюрьма), both plain words are added.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml

from lvnorm.text import fold, stem, tokens

LEXICON = Path(__file__).with_name("lexicon.yml")
MIN_STEM = 5  # shorter stems ("kent", "hat") would catch ordinary words
LONGEST = 4  # words in the longest form


def _words(text: str) -> tuple[str, ...]:
    return tuple(fold(t) for t, _, _ in tokens(text))


@lru_cache(maxsize=1)
def table() -> tuple[dict[tuple[str, ...], tuple[str, ...]], dict[str, tuple[str, ...]]]:
    """(folded word sequence -> plain words, stem of a single word -> plain words)."""
    exact: dict[tuple[str, ...], tuple[str, ...]] = {}
    stems: dict[str, tuple[str, ...]] = {}
    for entry in yaml.load(LEXICON.read_text(encoding="utf-8"), yaml.CSafeLoader):
        means = _words(entry["means"])
        for form in [entry["word"], *(entry.get("forms") or [])]:
            key = _words(str(form))
            if not key:
                continue
            exact[key] = tuple(dict.fromkeys(exact.get(key, ()) + means))
            if len(key) == 1 and len(stem(key[0])) >= MIN_STEM:
                s = stem(key[0])
                stems[s] = tuple(dict.fromkeys(stems.get(s, ()) + means))
    return exact, stems


def meanings(words: list[str]) -> list[str]:
    """Plain words for the slang among already folded `words`, in order, each once."""
    exact, stems = table()
    found: dict[str, None] = {}
    for i in range(len(words)):
        for n in range(min(LONGEST, len(words) - i), 0, -1):
            hit = exact.get(tuple(words[i : i + n]))
            if hit is None and n == 1:
                hit = stems.get(stem(words[i]))
            if hit is not None:
                found.update(dict.fromkeys(w for w in hit if w not in words))
                break
    return list(found)
