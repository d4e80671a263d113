"""Terminal chat: the same front door as Telegram, for local use and tests."""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path
from typing import TextIO

from bot.frontdoor import FrontDoor
from bot.rasa_client import Reply
from bot.texts import text

USER = "terminal-user"


def render(replies: list[Reply], door: FrontDoor, sender: str, files: list[Path] | None = None) -> tuple[str, dict[str, str]]:
    """Replies as plain text; buttons become numbered choices (number -> button token). A document is written to the
    state folder and its path shown; `files` collects the paths, deleted by /dzest and when the chat ends."""
    lines: list[str] = []
    choices: dict[str, str] = {}
    for reply in replies:
        if reply.document is not None:
            path = Path(os.environ.get("STATE_DIR", ".state")) / reply.document.filename
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(reply.document.content)
            if files is not None:
                files.append(path)
            lines.append(f"[{reply.document.filename}: {path}]")
            continue
        lines.append(reply.text)
        for button in reply.buttons:
            n = str(len(choices) + 1)
            choices[n] = door.button_token(sender, button.payload)
            lines.append(f"  [{n}] {button.title}")
    return "\n".join(lines), choices


class TerminalMessenger:
    """Later messages (a volunteer's reply) for the one person at this terminal; there are no volunteers here."""

    def __init__(self, out: TextIO):
        self._out = out

    async def send(self, chat_ref: str, replies: list[Reply], sender: str | None = None) -> bool:
        if chat_ref != USER:
            return False
        self._out.write("\n".join(r.text for r in replies if r.document is None) + "\n")
        self._out.flush()
        return True


def _remove(files: list[Path]) -> None:
    for path in files:
        path.unlink(missing_ok=True)
    files.clear()


async def chat(door: FrontDoor, inp: TextIO = sys.stdin, out: TextIO = sys.stdout) -> None:
    """Read lines until EOF; a number picks a button of the last answer; /commands are the bot's own."""
    from bot.commands import lookup

    sender = door.sender("terminal", USER)
    choices: dict[str, str] = {}
    files: list[Path] = []
    out.write(text("terminal_start") + "\n")
    out.flush()
    loop = asyncio.get_running_loop()
    try:
        while True:
            out.write("> ")
            out.flush()
            line = await loop.run_in_executor(None, inp.readline)
            if not line:
                break
            line = line.strip()
            if not line:
                continue
            if line in choices:
                replies = await door.handle_button("terminal", USER, choices[line])
            elif line.startswith("/"):
                replies = await door.handle_command("terminal", USER, line)
                command = lookup(line)
                if command is not None and command.action == "forget":
                    _remove(files)  # the plan PDFs this chat wrote go with everything else
            else:
                replies = await door.handle_text("terminal", USER, line)
            shown, choices = render(replies, door, sender, files)
            out.write(shown + "\n")
            out.flush()
    finally:
        _remove(files)
