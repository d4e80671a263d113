"""Who a message is written for: the person (None, or "person" when the message says so), a relative or friend ("son",
"sister", ...), or a worker's client ("client"). The words are reviewable data in requester.yml; this module only
matches them."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from lvnorm.text import fold, matches_at, phrase, tokens

DATA = Path(__file__).with_name("requester.yml")
WORKER = "client"
RELATIVE = "relative"  # a relative whose relation the message does not say
PERSON = "person"  # the writer says the message is about their own release: no relation heads the answer
FIRST_PERSON = frozenset({"esmu", "я", "ya", "ih", "их", "neesmu"})


@dataclass(frozen=True)
class Requester:
    """A relation the message names, where it was found, and how the answer addresses it."""

    relation: str  # "son", ..., or "client"
    start: int
    end: int

    @property
    def kind(self) -> str:
        """'relative' or 'worker'."""
        return role_of(self.relation)


@lru_cache(maxsize=1)
def _data() -> dict:
    raw = yaml.load(DATA.read_text(encoding="utf-8"), yaml.CSafeLoader)
    relations = {name: (frozenset(fold(w) for w in r["words"]), bool(r.get("alone"))) for name, r in
                 raw["relations"].items()}
    return {
        "possessives": frozenset(fold(w) for w in raw["possessives"]),
        "writer_is": frozenset(fold(w) for w in raw["writer_is"]),
        "writes": frozenset(fold(w) for w in raw["writes"]),
        "prepositions": frozenset(fold(w) for w in raw["prepositions"]),
        "hosts": frozenset(fold(w) for w in raw["hosts"]),
        "at": frozenset(fold(w) for w in raw["at"]),
        "staying": frozenset(fold(w) for w in raw["staying"]),
        "hosting": frozenset(fold(w) for w in raw["hosting"]),
        "third_person": frozenset(fold(w) for w in raw["third_person"]),
        "relations": relations,
        "counterparts": {n: frozenset(c) for n, c in raw["counterparts"].items()},
        "worker": [phrase(w) for w in raw["worker"]["words"]],
        "person": [phrase(w) for w in raw["person"]],
        "address": {**{n: (r["lv"], r["ru"]) for n, r in raw["relations"].items()},
                    WORKER: (raw["worker"]["lv"], raw["worker"]["ru"])},
        "who": {n: tuple(pair) for n, pair in raw["who"].items()},
    }


def find(text: str) -> Requester | None:
    """The first worker phrase, else the first relation that counts, else the writer's own role ("esmu mamma"), else
    the person themselves when they say they were released ("iznācu"), else None (see requester.yml)."""
    data = _data()
    spans = tokens(text)
    words = [fold(t) for t, _, _ in spans]
    for i in range(len(words)):
        if FIRST_PERSON & set(words[max(0, i - 2) : i]):  # "esmu probācijas klients", "я не их клиент": the person writing
            continue
        for worker in data["worker"]:
            if matches_at(worker, words, i):
                return Requester(WORKER, spans[i][1], spans[min(i + len(worker) - 1, len(spans) - 1)][2])
    third = any(w in data["third_person"] for w in words)
    relations = data["relations"]
    # "esmu mamma", and "esmu Jāņa māsa", "я его мать" with one word between, in the same clause (not "esmu ar
    # brāli", not "Я мать. Сыну"): the writer's own role. The person is then the writer's counterpart ("esmu mamma.
    # Dēlam pase pazuda" -> son), and any other relation named is someone else ("esmu māsa, mans vīrs negrib").
    def writer_before(i: int) -> bool:
        return i > 0 and (words[i - 1] in data["writer_is"] or i > 1 and words[i - 2] in data["writer_is"]
                          and words[i - 1] not in data["prepositions"]
                          and not set(text[spans[i - 2][2] : spans[i][1]]) & set(".,;:!?\n"))

    def writing(i: int) -> bool:  # "сестра пишу"
        return i + 1 < len(words) and words[i + 1] in data["writes"]

    role = next(((i, name) for i, w in enumerate(words) for name, (forms, _) in relations.items()
                 if w in forms and (writer_before(i) or writing(i))), None)
    allowed = data["counterparts"].get(role[1], frozenset(relations)) if role else frozenset(relations)
    own = None if role else next(((i, len(p)) for i in range(len(words)) for p in data["person"]
                                  if matches_at(p, words, i)), None)
    def hosts(i: int) -> bool:  # "pie brāļa", "жить у брата", "брат ... пускает пожить": where the writer stays
        before, two_before = (words[i - 1] if i > 0 else ""), (words[i - 2] if i > 1 else "")
        return (before in data["hosts"] or before in data["at"] and two_before in data["staying"]
                or bool(data["hosting"].intersection(words[i + 1 : i + 4])))

    for i, w in enumerate(words):
        for name, (forms, alone) in relations.items():
            if w not in forms or name not in allowed or (role and i == role[0]) or hosts(i):
                continue
            owned = i > 0 and words[i - 1] in data["possessives"]
            opens = i == 0 or text[spans[i - 1][2] : spans[i][1]].strip(" ,")[-1:] in (".", "!", "?", "\n")
            # "iznācu vakar ... gribu atrast meitu, viņai 15": the writer's own release outweighs a relation named
            # without "mans"; "mans brālis arī sēdēja, bet es iznācu" is still about the brother
            if owned or (alone and (third or opens) and own is None):
                return Requester(name, spans[i][1], spans[i][2])
    if role is not None:
        return Requester(RELATIVE, spans[role[0]][1], spans[role[0]][2])
    if own is not None:
        i, length = own
        return Requester(PERSON, spans[i][1], spans[min(i + length - 1, len(spans) - 1)][2])
    return None


def names_someone(words: list[str]) -> bool:
    """Do these folded words name someone other than the writer: a relation word or a third-person word?"""
    data = _data()
    return any(w in data["third_person"] or any(w in forms for forms, _ in data["relations"].values()) for w in words)


def role_of(relation: str | None) -> str:
    """Who writes, as the survey counts it: 'person' (for themselves), 'relative' or 'worker'."""
    if relation is None or relation == PERSON:
        return PERSON
    return "worker" if relation == WORKER else "relative"


def who(relation: str | None, language: str) -> str | None:
    """The person written about, named for a summary ("dēls", "клиент"), or None for the writer themselves."""
    pair = _data()["who"].get(relation) if relation is not None else None  # none for PERSON
    return None if pair is None else pair[1 if language == "ru" else 0]


def address(relation: str | None, language: str) -> str | None:
    """How an answer names the person it is for ("Jūsu dēlam"), or None for the writer themselves."""
    if relation is None:
        return None
    pair = _data()["address"].get(relation)  # none for PERSON
    return None if pair is None else pair[1 if language == "ru" else 0]
