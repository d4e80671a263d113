"""The one table of commands: the Telegram menu, /palidziba and the command dispatch all read it."""

from __future__ import annotations

from dataclasses import dataclass

from cards.render import topic_titles


@dataclass(frozen=True)
class Command:
    """A command: its Latvian name, Russian aliases (Telegram allows only a-z, 0-9 and _), what it does, and its line
    in the menu, Latvian and Russian; a command that opens a topic is called what the topic is called everywhere."""

    name: str
    aliases: tuple[str, ...]
    lv: str
    ru: str
    action: str
    topic: str | None = None

    def __post_init__(self) -> None:
        if (self.topic is None) != bool(self.lv and self.ru):
            raise ValueError(f"/{self.name}: either its own Latvian and Russian line, or a topic's title")

    def title(self, language: str) -> str:
        if self.topic is not None:
            return topic_titles(language)[self.topic]
        return self.ru if language == "ru" else self.lv


COMMANDS: tuple[Command, ...] = (
    Command("start", ("sakt", "nachat"), "Sākt no sākuma", "Начать сначала", "start"),
    Command("palidziba", ("help", "pomosch"), "Ko es protu", "Что я умею", "help"),
    Command("valoda", ("language", "yazyk"), "Valoda: latviešu vai krievu", "Язык: латышский или русский", "language"),
    Command("saraksts", ("checklist", "spisok"), "", "", "checklist", topic="request_checklist"),
    Command("cilveks", ("human", "chelovek"), "", "", "human", topic="request_human"),
    Command("beigt", ("end", "zakonchit"), "Beigt sarunu ar cilvēku", "Закончить разговор с человеком", "end_handoff"),
    Command("mani_dati", ("mydata", "moi_dannye"), "Ko es par jums glabāju", "Что я о вас храню", "my_data"),
    Command("dzest", ("delete", "udalit"), "Dzēst visus manus datus", "Удалить все мои данные", "forget"),
)

BY_NAME: dict[str, Command] = {n: c for c in COMMANDS for n in (c.name, *c.aliases)}


def command_word(text: str) -> str:
    """'/Dzest@celvedis_bot args' -> 'dzest': the command's name as typed, without the bot's name."""
    word = text.strip().split()[0] if text.strip() else ""
    return word.lstrip("/").split("@")[0].lower()


def lookup(text: str) -> Command | None:
    """'/Dzest@celvedis_bot args' -> the forget command; unknown -> None."""
    return BY_NAME.get(command_word(text))


def help_text(language: str = "lv") -> str:
    """The command list as the person sees it."""
    head = "Komandas:" if language != "ru" else "Команды:"
    return "\n".join([head] + [f"/{c.name} – {c.title(language)}" for c in COMMANDS])
