"""The two things every store of person data does to its rows: count them, and delete them (or, for a dry run of the
retention job, only count what would go). Each store says which rows; this says how."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, delete, func, select

from knowledge.db import affected, session_scope


def count(url: str | None, model: Any, condition: ColumnElement[bool]) -> int:
    """Rows of `model` that meet `condition`."""
    with session_scope(url) as s:
        return s.scalar(select(func.count()).select_from(model).where(condition)) or 0


def remove(url: str | None, model: Any, condition: ColumnElement[bool], dry_run: bool = False) -> int:
    """Delete the rows that meet `condition` (a dry run counts them instead); the number of rows."""
    if dry_run:
        return count(url, model, condition)
    with session_scope(url) as s:
        return affected(s.execute(delete(model).where(condition)))
