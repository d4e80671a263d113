"""The one table of commands: the Telegram menu, /palidziba and the command dispatch all read it."""

from __future__ import annotations

from dataclasses import dataclass

from bot.texts import text
from cards.render import topic_titles


@dataclass(frozen=True)
class Command:
    """A command: its Latvian name, Russian aliases (Telegram allows only a-z, 0-9 and _), what it does, and the topic
    it opens, if any. Its line in the menu is `cmd_<name>` in bot/texts.yml, or what the topic is called everywhere."""

    name: str
    aliases: tuple[str, ...]
    action: str
    topic: str | None = None

    def title(self, language: str) -> str:
        return topic_titles(language)[self.topic] if self.topic is not None else text(f"cmd_{self.name}", language)


COMMANDS: tuple[Command, ...] = (
    Command("start", ("sakt", "nachat"), "start"),
    Command("palidziba", ("help", "pomosch"), "help"),
    Command("valoda", ("language", "yazyk"), "language"),
    Command("saraksts", ("checklist", "spisok"), "checklist", topic="request_checklist"),
    Command("cilveks", ("human", "chelovek"), "handoff", topic="request_handoff"),
    Command("beigt", ("end", "zakonchit"), "end_handoff"),
    Command("mani_dati", ("mydata", "moi_dannye"), "my_data"),
    Command("dzest", ("delete", "udalit"), "forget"),
)

BY_NAME: dict[str, Command] = {n: c for c in COMMANDS for n in (c.name, *c.aliases)}


def command_word(raw: str) -> str:
    """'/Dzest@celvedis_bot args' -> 'dzest': the command's name as typed, without the bot's name."""
    word = raw.strip().split()[0] if raw.strip() else ""
    return word.lstrip("/").split("@")[0].lower()


def lookup(raw: str) -> Command | None:
    """'/Dzest@celvedis_bot args' -> the forget command; unknown -> None."""
    return BY_NAME.get(command_word(raw))


def help_text(language: str = "lv") -> str:
    """The command list as the person sees it."""
    return "\n".join([text("commands_head", language)] + [f"/{c.name} – {c.title(language)}" for c in COMMANDS])
