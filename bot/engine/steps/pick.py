"""Pick: one from a long list (accounts, reps) by typing its name; may create a new one."""

from __future__ import annotations

from dataclasses import dataclass

from bot.engine import codes
from bot.engine.context import Options
from bot.engine.matching import match_name
from bot.engine.steps.base import (
    PINNED,
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
    typed_name,
)
from bot.errors import UserError


@dataclass(frozen=True, kw_only=True)
class Pick(Step):
    """Pick from a long list by typing part of a name; offers to create what is not there.

    Only a name equal to one on the list is taken; close ones are shown as buttons beside
    "create", so a typed new name never silently becomes another.
    """

    candidates: Options
    create: bool = True
    shown: int = 6

    @property
    def takes_names(self) -> bool:
        return True

    def choices(self, view: View) -> Rows:
        candidates = {option.id: option for option in view.options(self.candidates)}
        listed: Rows = [
            (Choice(candidates[option_id].label, codes.indexed(codes.OPTION, index)),)
            for index, option_id in enumerate(self.listed(view))
        ]
        if self.create and view.ui.get("new"):
            listed.append((Choice(view.label("create", name=view.ui["new"]), codes.NEW),))
        return listed

    def listed(self, view: View) -> list[str]:
        candidates = view.options(self.candidates)
        shown = view.ui.get("shown") or [option.id for option in candidates[: self.shown]]
        known = {option.id for option in candidates}
        return [option_id for option_id in shown if option_id in known]

    def number_picks(self, text: str, view: View) -> bool:
        names = [option.typed_as for option in view.options(self.candidates)]
        return match_name(text, names).equal is None  # "360" may be an account's name

    def accept(self, given: Given, view: View) -> Outcome:
        candidates = view.options(self.candidates)
        if isinstance(given, Tapped):
            if given.code == codes.NEW and self.create and view.ui.get("new"):
                return Answer({"new": view.ui["new"]})
            known = {option.id for option in candidates}
            shown = view.ui.get(PINNED) or self.listed(view)
            index = codes.index_of(given.code, codes.OPTION, len(shown))
            if index is None or shown[index] not in known:
                return Stale()
            return Answer({"id": shown[index]})
        name = typed_name(given.text)
        found = match_name(name, [option.typed_as for option in candidates])
        if found.equal is not None:
            return Answer({"id": candidates[found.equal].id})
        close = [candidates[index].id for index in found.close]
        view.ui.clear()
        view.ui.update(shown=close, new=name if self.create else None)  # drawn anew below
        error = "errors/did_you_mean" if close else "errors/no_match"
        return Redraw(UserError(error, name=name))
