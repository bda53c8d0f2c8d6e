"""Confirm: yes or no, tapped or typed in either language (the typed words are in the catalogs)."""

from __future__ import annotations

from dataclasses import dataclass

from bot.engine import codes
from bot.engine.matching import match, normalise
from bot.engine.steps.base import Answer, Choice, Given, Outcome, Rows, Stale, Step, Tapped, View
from bot.errors import UserError


@dataclass(frozen=True, kw_only=True)
class Confirm(Step):
    """Yes or no."""

    def choices(self, view: View) -> Rows:
        return [(Choice(view.label("yes"), codes.YES), Choice(view.label("no"), codes.NO))]

    def number_picks(self, text: str, view: View) -> bool:
        return True

    def accept(self, given: Given, view: View) -> Outcome:
        if isinstance(given, Tapped):
            if given.code in (codes.YES, codes.NO):
                return Answer(given.code == codes.YES)
            return Stale()
        said = normalise(given.text)
        for value, key in ((True, "yes"), (False, "no")):
            words = {*view.labels_everywhere(key), *view.words_everywhere(key)}
            if said in {normalise(word) for word in words}:
                return Answer(value)
        found = match(given.text, [view.label("yes"), view.label("no")])
        if found.chosen is None:
            raise UserError("errors/yes_or_no")
        return Answer(found.chosen == 0)
