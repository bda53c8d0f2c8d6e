"""Info and Show: text to read, and the end of a flow."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from bot.engine import codes
from bot.engine.context import Ctx, Option
from bot.engine.steps.base import Answer, Choice, Given, Outcome, Rows, Stale, Step, Tapped, View


@dataclass(frozen=True, kw_only=True)
class Info(Step):
    """Coaching to read; any tap on Continue or any text continues."""

    def choices(self, view: View) -> Rows:
        return [(Choice(view.label("continue"), codes.CONTINUE),)]

    def accept(self, given: Given, view: View) -> Outcome:
        if isinstance(given, Tapped) and given.code != codes.CONTINUE:
            return Stale()
        return Answer(True)


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
    links: Callable[[Ctx, dict[str, Any]], Sequence[Option]] | None = None

    @property
    def ends_flow(self) -> bool:
        return True

    def done(self, ctx: Ctx) -> dict[str, Any] | None:
        return self.on_done(ctx) if self.on_done is not None else None

    def menu_links(self, ctx: Ctx, shown: dict[str, Any]) -> Sequence[Option]:
        links = self.links(ctx, shown) if self.links is not None else []
        for link in links:
            if not codes.is_menu(link.id):
                raise ValueError(f"step {self.id}: link {link.id!r} is not a menu code")
        return links

    def accept(self, given: Given, view: View) -> Outcome:
        return Stale()
