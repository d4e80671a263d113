"""The Rasa domain as one dict: Rasa reads the domain/ directory whole, and the tests and benchmarks read it the same
way (responses merged across the files)."""

from __future__ import annotations

from pathlib import Path

import yaml

DOMAIN = Path(__file__).resolve().parent.parent / "domain"


def domain() -> dict:
    """Every file of domain/ merged: the responses of all of them, the other keys from whichever has them."""
    merged: dict = {"responses": {}}
    for path in sorted(DOMAIN.glob("*.yml")):
        part = yaml.load(path.read_text(encoding="utf-8"), yaml.CSafeLoader) or {}
        merged["responses"].update(part.pop("responses", {}) or {})
        merged.update(part)
    return merged
