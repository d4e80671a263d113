"""What a person was shown, asked by name: the tests say which message was given (a domain response, a card label;
the front door's own texts are bot.texts.TEXTS) and the wording lives only where it is written, so that a change of
wording fails no test."""

from __future__ import annotations

import re
from functools import cache

from cards.render import templates
from harness.rasa_domain import domain


def _variation(name: str, slots: dict[str, str | None]) -> dict:
    """The variation Rasa gives for a domain response with these slots (language "lv" and the others at their initial
    values unless given): the one whose conditions all hold, else the one without a condition, as Rasa chooses
    between conditional variations."""
    slots = {**_initial(), "language": "lv", **slots}
    variations = _responses()[name]
    chosen = [v for v in variations if v.get("condition")
              and all(slots.get(c["name"]) == c["value"] for c in v["condition"])]
    chosen = chosen or [v for v in variations if not v.get("condition")]
    if len(chosen) != 1:
        raise LookupError(f"{name} with {slots}: {len(chosen)} variations, expected one")
    return chosen[0]


@cache
def _initial() -> dict[str, str | None]:
    """The slots' initial values, as a new conversation starts with them."""
    return {name: slot.get("initial_value") for name, slot in domain()["slots"].items()}


@cache
def _responses() -> dict:
    """The domain's responses, read once (the tests ask for many)."""
    return domain()["responses"]


def response(name: str, **slots: str | None) -> str:
    """The text of a domain response as Rasa gives it for these slots."""
    return _variation(name, slots)["text"]


def buttons(name: str, **slots: str | None) -> list[str]:
    """The titles of its buttons, in order."""
    return [b["title"] for b in _variation(name, slots).get("buttons", [])]


def label(key: str, language: str = "lv") -> str:
    """A card label of cards/templates.yml."""
    return templates(language)[key]


def appears(template: str, screen: str, **blanks: object) -> bool:
    """True when every fixed part of `template` (the text around its {blanks}, without the spaces at its ends) is on
    the screen, in order; the blanks given are filled in first, the others may hold anything."""
    for name, value in blanks.items():
        template = template.replace("{" + name + "}", str(value))
    at = 0
    for part in filter(None, (p.strip() for p in re.split(r"\{[a-z_]+\}", template))):
        at = screen.find(part, at)
        if at < 0:
            return False
        at += len(part)
    return True
