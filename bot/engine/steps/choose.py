"""Choose: pick one option by tapping, by its number, or by typing its label."""

from __future__ import annotations

from dataclasses import dataclass

from bot.engine import codes
from bot.engine.context import Options
from bot.engine.matching import Match, match, match_name
from bot.engine.steps.base import (
    Answer,
    Choice,
    Given,
    Outcome,
    Redraw,
    Rows,
    Stale,
    Step,
    Tapped,
    View,
    rows,
)
from bot.errors import UserError


@dataclass(frozen=True, kw_only=True)
class Choose(Step):
    """Pick one option; typed text is matched against the labels (names: the names rule).

    After a "did you mean", only the close options are shown until the step is answered.
    """

    options: Options
    columns: int = 2

    def choices(self, view: View) -> Rows:
        options = view.options(self.options)
        only = view.ui.get("only")
        shown = [
            Choice(option.label, codes.indexed(codes.OPTION, index))
            for index, option in enumerate(options)
            if only is None or option.id in only
        ]
        return rows(shown, self.columns)

    def listed(self, view: View) -> list[str]:
        return [option.id for option in view.options(self.options)]

    def number_picks(self, text: str, view: View) -> bool:
        return True

    def accept(self, given: Given, view: View) -> Outcome:
        options = view.options(self.options)
        if isinstance(given, Tapped):
            index = codes.index_of(given.code, codes.OPTION, view.drawn_count(options))
            tapped = view.drawn(index, options) if index is not None else None
            return Stale() if tapped is None else Answer(tapped.id)
        if any(option.name for option in options):  # options that are people: names rule
            named = match_name(given.text, [option.typed_as for option in options])
            found = Match(named.equal, named.close)
        else:
            found = match(given.text, [option.label for option in options])
        if found.chosen is not None:
            return Answer(options[found.chosen].id)
        if found.candidates:
            view.ui["only"] = [options[index].id for index in found.candidates]
            return Redraw(UserError("errors/did_you_mean"))
        view.ui.pop("only", None)
        return Redraw(UserError("errors/not_understood"))
