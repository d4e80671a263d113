"""Resolve place names written in any Latvian case form, with or without diacritics, to municipalities.

The gazetteer (municipality names and their towns/parishes, nominative) comes from the knowledge base's data
file; this module only knows Latvian declension. Every surface form is folded (see `lvnorm.text.fold`), so
"Daugavpilī", "daugavpili" and "Daugavpils" all hit the same entry.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Iterable, Mapping, Sequence

from lvnorm.text import fold, tokens

# Case endings (nominative ending -> endings of gen, dat, acc, loc, and common chat variants) by declension.
_SINGULAR = {
    "pils": ("pils", "pilij", "pili", "pilī"),  # 6th declension: Daugavpils, Ventspils, Jēkabpils, Salaspils
    "us": ("us", "um", "u", "ū"),  # 3rd: Saldus
    "is": ("a", "im", "i", "ī"),  # 2nd: (rare in place names)
    "s": ("a", "am", "u", "ā"),  # 1st: Tukums, Ķegums, novads
    "a": ("as", "ai", "u", "ā"),  # 4th: Rīga, Liepāja, Jelgava
    "e": ("es", "ei", "i", "ē"),  # 5th: Ogre, Rēzekne, Alūksne
}
_PLURAL = {
    "plural_m": ("i", ("u", "iem", "us", "os")),  # Talsi, Balvi, Preiļi, Ādaži
    "plural_f": (None, ("u", "ām", "as", "ās")),  # Pļaviņas (-as), Cēsis (-is: Cēsu, Cēsīm, Cēsis, Cēsīs)
}
_QUALIFIERS = {"pagasts", "pagasta", "pagastam", "pagastu", "pagasta", "pagastā", "pilseta", "pilsetas", "pilsetu", "pilseta"}


def _has_diacritics(text: str) -> bool:
    return fold(text) != text.lower()


def inflect(name: str, decl: str | None = None) -> set[str]:
    """All singular (or plural) case forms of a one-word Latvian place name, nominative included."""
    forms = {name}
    if decl == "indecl":
        return forms
    if decl == "plural_f":
        if name.endswith("as"):
            stem_ = name[:-2]
            forms |= {stem_ + e for e in ("u", "ām", "as", "ās")}
        elif name.endswith("is"):
            stem_ = name[:-2]
            forms |= {stem_ + e for e in ("u", "īm", "is", "īs")}
        return forms
    if decl == "plural_m" or (decl is None and name.endswith("i")):
        stem_ = name[:-1]
        forms |= {stem_ + e for e in ("u", "iem", "us", "os")}
        return forms
    for ending, cases in _SINGULAR.items():
        if name.endswith(ending):
            stem_ = name[: -len(ending)]
            forms |= {stem_ + e for e in cases}
            return forms
    return forms


def _novads_forms(genitive_phrase: str) -> set[str]:
    """'Ogres novads' -> all cases of the head noun with the genitive kept: 'ogres novada', 'ogres novadā', ..."""
    head = genitive_phrase.rsplit(" ", 1)[0]
    return {f"{head} {n}" for n in ("novads", "novada", "novadam", "novadu", "novadā", "novads")}


@dataclass(frozen=True)
class PlaceMatch:
    """One resolved mention: where it stands in the text and which municipality it names."""

    start: int
    end: int
    text: str
    municipality: str


class PlaceResolver:
    """Finds municipality mentions in free text; built once from the gazetteer, then read-only."""

    def __init__(self, municipalities: Iterable[Mapping]):
        self._index: dict[tuple[str, ...], str] = {}
        self._ambiguous: dict[tuple[str, ...], str] = {}
        # Ambiguous names written with their diacritics ("Ludzā", not "ludzu" = "lūdzu") are not ambiguous.
        self._exact: dict[tuple[str, ...], str] = {}
        self._max_len = 1
        for m in municipalities:
            target = m.get("merged_into") or m["name"]
            name = m["name"]
            if name.endswith(" novads"):
                for f in _novads_forms(name):
                    self._add(f, target)
                # "Ogres novads" is also "Ogres n." or just "Ogres" in "Ogres pusē": the bare genitive is not indexed,
                # because it collides with the town (Ogre -> Ogres), which resolves to the same novads anyway.
            else:
                for f in inflect(name, m.get("decl")):
                    self._add(f, target)
            for alias in m.get("aliases") or ():  # Russian and transliterated names, as written
                self._add(alias, target)
            for place in m.get("places") or ():
                forms = inflect(place["name"], place.get("decl"))
                forms.update(place.get("aliases") or ())
                for f in forms:
                    self._add(f, target, ambiguous=bool(place.get("ambiguous")))

    def _add(self, surface: str, target: str, ambiguous: bool = False) -> None:
        key = tuple(fold(w) for w, _, _ in tokens(surface))
        if not key:
            return
        if ambiguous and _has_diacritics(surface):
            self._exact.setdefault(tuple(w.lower() for w, _, _ in tokens(surface)), target)
        table = self._ambiguous if ambiguous else self._index
        # The first writer wins: state cities and novads names are listed before towns in the data file.
        table.setdefault(key, target)
        self._max_len = max(self._max_len, len(key))

    def find(self, text: str) -> list[PlaceMatch]:
        """All non-overlapping mentions, longest match first ("Jelgavas novadā" beats "Jelgavas")."""
        toks = tokens(text)
        folded = [fold(t) for t, _, _ in toks]
        lowered = [unicodedata.normalize("NFC", t).lower() for t, _, _ in toks]
        out: list[PlaceMatch] = []
        i = 0
        while i < len(toks):
            hit = None
            for n in range(min(self._max_len, len(toks) - i), 0, -1):
                key = tuple(folded[i : i + n])
                target = self._index.get(key) or self._exact.get(tuple(lowered[i : i + n]))
                if target is None and key in self._ambiguous and i + n < len(toks) and folded[i + n] in _QUALIFIERS:
                    target = self._ambiguous[key]
                if target is not None:
                    hit = (n, target)
                    break
            if hit:
                n, target = hit
                start, end = toks[i][1], toks[i + n - 1][2]
                out.append(PlaceMatch(start, end, text[start:end], target))
                i += n
            else:
                i += 1
        return out

    def resolve(self, text: str) -> str | None:
        """The municipality the text names, or None when it names none or several different ones."""
        found = {m.municipality for m in self.find(text)}
        return found.pop() if len(found) == 1 else None


def load_gazetteer(path) -> list[dict]:
    """Read the municipalities data file (YAML)."""
    import yaml

    with open(path, encoding="utf-8") as fh:
        return yaml.load(fh, yaml.CSafeLoader)


def names(municipalities: Sequence[Mapping]) -> list[str]:
    """Canonical names of the active municipalities."""
    return [m["name"] for m in municipalities if not m.get("merged_into")]
