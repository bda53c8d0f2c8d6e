"""Ask: free text through a parser, with suggested answers as buttons."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bot.engine import codes
from bot.engine.context import Ctx, Options
from bot.engine.steps.base import (
    Answer,
    Choice,
    Given,
    Outcome,
    Rows,
    Stale,
    Step,
    Tapped,
    View,
    rows,
)
from bot.errors import UserError

FREE_TEXT_LIMIT = 4000


def free_text(text: str, ctx: Ctx) -> str:
    """Any non-empty text up to the limit, stored as typed."""
    cleaned = text.strip()
    if not cleaned:
        raise UserError("errors/empty")
    if len(cleaned) > FREE_TEXT_LIMIT:
        raise UserError("errors/too_long", limit=FREE_TEXT_LIMIT, length=len(cleaned))
    return cleaned


def first_line_and_rest(text: str, ctx: Ctx) -> tuple[str, str | None]:
    """Two answers in one message: the first line, and the other lines joined (or None)."""
    lines = [line.strip() for line in free_text(text, ctx).splitlines() if line.strip()]
    return lines[0], " ".join(lines[1:]) or None


@dataclass(frozen=True, kw_only=True)
class Ask(Step):
    """Free text through a parser; `suggestions` are buttons that answer with their label.

    `lines` says the answer may be several lines (one question each): a channel where Enter
    sends, such as the terminal, offers another line before sending.
    """

    parse: Callable[[str, Ctx], Any] = free_text
    suggestions: Options | None = None
    lines: bool = False
    columns: int = 2  # suggestions to a row (one, for whole questions)

    @property
    def several_lines(self) -> bool:
        return self.lines

    def choices(self, view: View) -> Rows:
        if self.suggestions is None:
            return []
        suggested = view.options(self.suggestions)
        return rows(
            [
                Choice(option.label, codes.indexed(codes.SUGGESTION, index))
                for index, option in enumerate(suggested)
            ],
            self.columns,
        )

    def accept(self, given: Given, view: View) -> Outcome:
        if isinstance(given, Tapped):
            suggested = view.options(self.suggestions) if self.suggestions else []
            index = codes.index_of(given.code, codes.SUGGESTION, len(suggested))
            if index is None:
                return Stale()
            return Answer(self.parse(suggested[index].label, view.ctx))
        return Answer(self.parse(given.text, view.ctx))
