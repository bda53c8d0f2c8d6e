"""Info and Show: text to read, and the end of a flow."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bot.engine import codes
from bot.engine.context import Ctx
from bot.engine.pages import split_pages
from bot.engine.steps.base import (
    Answer,
    Choice,
    Given,
    Link,
    Outcome,
    Rows,
    Stale,
    Step,
    Tapped,
    View,
)


@dataclass(frozen=True, kw_only=True)
class Info(Step):
    """Coaching to read; any tap on Continue or any text continues."""

    def choices(self, view: View) -> Rows:
        return [(Choice(view.label("continue"), codes.CONTINUE),)]

    def accept(self, given: Given, view: View) -> Outcome:
        if isinstance(given, Tapped) and given.code != codes.CONTINUE:
            return Stale()
        return Answer(True)


@dataclass(frozen=True)
class Paged:
    """A result too long for one screen: page `answers["page"]` (1 at first) is shown, with
    "More" starting `flow` on `argument(context)` and the next page's number."""

    flow: str
    argument: Callable[[dict[str, Any]], str]
    first: int = 30
    rest: int = 20
    blocks: bool = False  # keep lines between blank lines together (see split_pages)


def page_argument(argument: str) -> tuple[str, int | None]:
    """A paged flow's argument and the page a "More" button asks for (`result_page` writes
    `<argument>:<page>`): `42:2` is ("42", 2), `42` is ("42", 1), `42:x` is ("42", None)."""
    given, _, page = argument.partition(":")
    if not page:
        return given, 1
    return given, int(page) if page.isdecimal() else None


@dataclass(frozen=True, kw_only=True)
class Show(Step):
    """The end of a flow: `on_done` saves, then the template shows the result.

    What `on_done` returns (a saved record's figures, a report) is added to the template's
    context, after the getter's, so nothing has to be parked in the flow state to be shown.
    The engine finishes the flow as soon as it reaches a Show, so it never accepts input;
    `links` may offer buttons that start another flow (a saved debrief's "Correct"), given
    what the template shows.
    """

    on_done: Callable[[Ctx], dict[str, Any] | None] | None = None
    paged: Paged | None = None

    @property
    def ends_flow(self) -> bool:
        return True

    def done(self, ctx: Ctx) -> dict[str, Any] | None:
        return self.on_done(ctx) if self.on_done is not None else None

    def result_page(self, ctx: Ctx, text: str, context: dict[str, Any]) -> tuple[str, list[Link]]:
        offered = list(self.links(ctx, context)) if self.links is not None else []
        if self.paged is None:
            return text, offered
        pages = split_pages(
            text, first=self.paged.first, rest=self.paged.rest, blocks=self.paged.blocks
        )
        number = min(max(int(ctx.get("page") or 1), 1), len(pages))
        if number == len(pages):
            return pages[number - 1], offered
        more = ctx.texts.label("more_page", ctx.language, page=number + 1, pages=len(pages))
        argument = f"{self.paged.argument(context)}:{number + 1}"
        return pages[number - 1], [Link(more, self.paged.flow, argument), *offered]

    def accept(self, given: Given, view: View) -> Outcome:
        return Stale()
