"""Default dependencies of the actions, created on first use (never at import time)."""

from __future__ import annotations

from functools import cache

from knowledge.repository import KnowledgeRepository, SqlKnowledgeRepository


@cache
def default_repository() -> KnowledgeRepository:
    """The knowledge base configured by KNOWLEDGE_DB_URL."""
    return SqlKnowledgeRepository()
