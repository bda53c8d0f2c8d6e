"""Chat with the coach in a terminal: numbered choices, typed text, slash commands.

A number picks the button with that number in the last reply; anything else is sent as typed
text, so fuzzy matching works as it does in Telegram.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TextIO

from bot.engine.events import Command, Event, Tap, Text
from bot.engine.output import Button, Reply
from bot.engine.runner import Engine
from bot.text import plain

QUIT = {"/quit", "/exit"}
log = logging.getLogger(__name__)


class TerminalChat:
    """One user's conversation over a pair of text streams."""

    def __init__(
        self, engine: Engine, *, user_id: int, output: TextIO, files: Path | None = None
    ) -> None:
        self.engine = engine
        self.user_id = user_id
        self.output = output
        self.files = files or Path.cwd()
        self.buttons: list[Button] = []
        self.another_line = ""  # set while the question on screen takes several lines

    def run(self, lines: Iterable[str]) -> None:
        """Show where the user is, then answer each line until end of input or /quit."""
        self.show(self.engine.resume(user_id=self.user_id))
        typed = iter(lines)
        for line in typed:
            text = line.rstrip("\r\n")
            if text.strip().lower() in QUIT:
                break
            event = self.event(text)
            several = self.another_line and text.strip() and not self.engine.nav_word(text)
            if isinstance(event, Text) and several:
                event = Text(self.more_lines(text, typed))
            try:
                replies = self.engine.handle(user_id=self.user_id, event=event)
            except Exception:
                log.exception("terminal: handling failed for user %s", self.user_id)
                replies = [self.engine.apology(user_id=self.user_id)]
            self.show(replies)

    def more_lines(self, first: str, typed: Iterator[str]) -> str:
        """Enter sends here, so a several-line answer is read up to an empty line."""
        collected = [first]
        while True:
            print(self.another_line, file=self.output)
            self.output.flush()
            line = next(typed, "").rstrip("\r\n")
            if not line.strip():
                return "\n".join(collected)
            collected.append(line)

    def event(self, text: str) -> Event:
        """A number for a shown button, a /command, or text."""
        stripped = text.strip()
        if stripped.isdecimal() and 1 <= int(stripped) <= len(self.buttons):
            return Tap(self.buttons[int(stripped) - 1].value)
        if stripped.startswith("/") and len(stripped) > 1:
            name, _, argument = stripped[1:].partition(" ")
            return Command(name, argument)
        return Text(text)

    def show(self, replies: list[Reply]) -> None:
        """Print replies as plain text with numbered choices."""
        for reply in replies:
            self.buttons = reply.all_buttons() if reply.buttons else self.buttons
            self.another_line = reply.another_line
            print(plain(reply.text), file=self.output)
            for attachment in reply.attachments:
                path = self.files / Path(attachment.filename).name
                path.write_bytes(attachment.content)
                print(f"  📎 {path}", file=self.output)
            number = 0
            for row in reply.buttons:
                cells = []
                for button in row:
                    number += 1
                    cells.append(f"[{number}] {button.label}")
                print("  " + "   ".join(cells), file=self.output)
            print(file=self.output)
        self.output.flush()
