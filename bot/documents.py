"""Documents Rasa asks the front door to send (the plan's PDF): rendered here from the stored plan, once per plan
version, so no file ever passes through Rasa's tracker."""

from __future__ import annotations

import logging
from collections import OrderedDict
from functools import cached_property

from bot.rasa_client import Document
from cards.checklist import plan_pdf
from cards.render import templates
from knowledge.repository import SqlKnowledgeRepository
from personal import checklist

log = logging.getLogger(__name__)


class PlanDocuments:
    """The checklist PDF of one person, cached by (person, plan version, language) for this process only."""

    MAX_CACHED = 200

    def __init__(self, knowledge_url: str | None):
        self._url = knowledge_url
        self._cache: OrderedDict[tuple[str, str, str], bytes] = OrderedDict()

    @cached_property
    def _repo(self) -> SqlKnowledgeRepository:
        return SqlKnowledgeRepository(self._url)

    def render(self, sender: str, kind: str, language: str) -> Document | None:
        """The document, or None when the person has no plan (or it cannot be rendered now)."""
        situation = checklist.load(self._url, sender)
        if situation is None:
            return None
        key = (sender, checklist.version(situation), language)
        if key not in self._cache:
            self._cache[key] = plan_pdf(situation, self._repo, language)
            while len(self._cache) > self.MAX_CACHED:
                self._cache.popitem(last=False)
        self._cache.move_to_end(key)
        return Document(templates(language)["pdf_filename"], self._cache[key])

    def forget(self, sender: str) -> int:
        """Drop every rendered file of this person."""
        keys = [k for k in self._cache if k[0] == sender]
        for k in keys:
            del self._cache[k]
        return len(keys)
