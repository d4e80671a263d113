"""The other needs a long message names: each clause's need, from sentence-level examples (lvnorm/clauses/).

"Iznācu vakar. Nav kur gulēt, un pase arī beigusies." asks for a bed, and names a passport too. The classifier of
whole messages (config.yml) gives the main topic; this reads the message clause by clause ("Iznācu vakar", "Nav kur
gulēt", "pase arī beigusies") and says which other needs it states, so the answer can offer them as buttons.

The examples are single sentences and clauses as they stand inside a story, most of them labelled `none` (who
writes, what happened, where the person is now): a sentence out of a story is not a question, and a classifier
learnt from whole questions takes it for one. The model is multinomial naive Bayes on the same words the NLU sees
(folded, stemmed, with the slang's plain meaning from lvnorm/lexicon.yml): it learns in milliseconds from reviewable
data, and needs no library.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from lvnorm.lexicon import meanings
from lvnorm.text import sentences, stem, tokens, words

DATA = Path(__file__).with_name("clauses")
OTHER_NEEDS = "other_needs"  # the key in Rasa's parse data, read by actions/other_needs.py
NONE = "none"
# A clause's probability of its need before it is offered: chosen on the writers' dev messages
# (tests/nlu/other_needs_dev.yml), each voice scored by a model learnt without it.
THRESHOLD = 0.8
MAX_OFFERS = 2  # buttons under one answer: more than two is a menu, not an offer
SMOOTHING = 0.5

# Inside a sentence, a new clause starts at a comma or at "and / as well as / but" (Latvian, Russian, and Russian in
# Latin letters).
_CLAUSE = re.compile(r",|\s(?:un|k[aā] ar[iī]|bet|а также|a takzhe|и|а|но|i)\s", re.IGNORECASE)


def clauses(text: str) -> list[str]:
    """The sentences of a message, each cut at commas and conjunctions; empty pieces dropped."""
    out = []
    for sentence in sentences(text):
        out += [c.strip() for c in _CLAUSE.split(sentence) if tokens(c)]
    return out


def features(text: str) -> list[str]:
    """Stems of the words, of the slang's plain meanings, and of each pair of neighbouring words."""
    found = words(text)
    stems = [stem(w) for w in found]
    return stems + [stem(w) for w in meanings(found)] + [f"{a}_{b}" for a, b in zip(stems, stems[1:])]


@dataclass(frozen=True)
class NeedModel:
    """Log priors and log likelihoods per label, and the log likelihood of a word a label has not seen."""

    priors: dict[str, float]
    likelihoods: dict[str, dict[str, float]]
    unseen: dict[str, float]

    @classmethod
    def train(cls, examples: list[tuple[str, str]]) -> NeedModel:
        """Multinomial naive Bayes over (text, label) pairs."""
        counts: dict[str, Counter[str]] = {}
        for text, label in examples:
            counts.setdefault(label, Counter()).update(features(text))
        vocabulary = {f for c in counts.values() for f in c}
        total = len(examples)
        per_label = Counter(label for _, label in examples)
        priors = {label: math.log(n / total) for label, n in per_label.items()}
        likelihoods, unseen = {}, {}
        for label, c in counts.items():
            denominator = math.log(sum(c.values()) + SMOOTHING * len(vocabulary))
            likelihoods[label] = {f: math.log(n + SMOOTHING) - denominator for f, n in c.items()}
            unseen[label] = math.log(SMOOTHING) - denominator
        return cls(priors, likelihoods, unseen)

    def known(self, feats: list[str]) -> list[str]:
        """The features some label has seen (the others say nothing about any label)."""
        return [f for f in feats if any(f in table for table in self.likelihoods.values())]

    def probabilities(self, text: str) -> dict[str, float]:
        """P(label | clause); empty when the clause has no word the examples know."""
        feats = self.known(features(text))
        if not feats:
            return {}
        scores = {label: prior + sum(self.likelihoods[label].get(f, self.unseen[label]) for f in feats)
                  for label, prior in self.priors.items()}
        top = max(scores.values())
        exp = {label: math.exp(s - top) for label, s in scores.items()}
        total = sum(exp.values())
        return {label: e / total for label, e in exp.items()}

    def need(self, clause: str) -> tuple[str, float]:
        """The likeliest label of one clause, with its probability (`none`, 1.0 when nothing is known)."""
        p = self.probabilities(clause)
        if not p:
            return NONE, 1.0
        label = max(p, key=lambda k: p[k])
        return label, p[label]

    def others(self, text: str, main: str | None, threshold: float = THRESHOLD) -> list[str]:
        """The needs other than `main` that clauses of a message of two clauses or more state, in order."""
        found: dict[str, None] = {}
        parts = clauses(text)
        if len(parts) < 2:
            return []
        for clause in parts:
            label, p = self.need(clause)
            if label not in (NONE, main) and p >= threshold:
                found[label] = None
        return list(found)[:MAX_OFFERS]


def examples(directory: Path = DATA) -> list[tuple[str, str]]:
    """(sentence, label) from every data file: `label: [sentences]`."""
    out = []
    for path in sorted(directory.glob("*.yml")):
        for label, items in yaml.load(path.read_text(encoding="utf-8"), yaml.CSafeLoader).items():
            out += [(str(t), label) for t in items or []]
    return out


@lru_cache(maxsize=1)
def model() -> NeedModel:
    """Learnt from lvnorm/clauses/ the first time it is needed (a few milliseconds)."""
    return NeedModel.train(examples())
