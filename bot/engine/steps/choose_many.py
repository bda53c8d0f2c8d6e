"""ChooseMany: tick several options, then Done; with names, typed new people are added.

The ticks live in the step's screen state until Done, so a tap is one toggle and a repeated
tap (same version) is refused rather than untoggling. Several numbers in one message
(`1 3 4`, `1,3`) tick several at once; with `beside`, other typed text is kept as an answer
of its own (questions asked beyond the plan, see `Beside`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bot.engine import codes
from bot.engine.context import Ctx, Options
from bot.engine.matching import fold, match, match_exactly, match_name
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
    typed_name,
)
from bot.engine.steps.beside import Beside
from bot.errors import UserError

COMPACT_COLUMNS = 4  # number buttons to a row


@dataclass(frozen=True, kw_only=True)
class ChooseMany(Step):
    """Toggle options, then Done.

    With `allow_add` the options are names: a typed name equal to one ticks it, and any other
    is added only after a tap that confirms it (beside the close names it may have meant) —
    unless there is nobody to mean, no name on file at all: then it is added at once.
    """

    options: Options
    preselect: Callable[[Ctx], list[str]] | None = None
    allow_add: bool = False
    min_selected: int = 0
    beside: Beside | None = None
    compact: bool = False  # long labels: listed in the text, numbered; buttons show numbers

    @property
    def takes_names(self) -> bool:
        return self.allow_add

    def selection(self, view: View) -> dict[str, Any]:
        """The ticks so far: from the screen state, the saved answer, or the preselection."""
        if "selected" not in view.ui:
            previous = view.previous
            if isinstance(previous, dict):
                view.ui["selected"] = list(previous["selected"])
                view.ui["added"] = list(previous["added"])
            else:
                chosen = self.preselect(view.ctx) if self.preselect else []
                view.ui["selected"] = list(chosen)
                view.ui["added"] = []
        return view.ui

    def choices(self, view: View) -> Rows:
        options = view.options(self.options)
        chosen = self.selection(view)
        listed: Rows = []
        offer = chosen.get("offer")
        if offer is not None:
            by_id = {option.id: option for option in options}
            offered = [
                Choice("👤 " + by_id[option_id].label, codes.indexed(codes.PERSON, index))
                for index, option_id in enumerate(offer["close"])
                if option_id in by_id
            ]
            offered.append(Choice(view.label("add_person", name=offer["name"]), codes.NEW))
            listed += rows(offered, 1)
        ticks = [
            Choice(
                ("✅ " if option.id in chosen["selected"] else "▫️ ")
                + (str(index + 1) if self.compact else option.label),
                codes.indexed(codes.TICK, index),
            )
            for index, option in enumerate(options)
        ]
        if self.compact:
            listed += rows(ticks, COMPACT_COLUMNS)
            ticks = []
        added = [
            Choice("✅ " + name, codes.indexed(codes.ADDED, index))
            for index, name in enumerate(chosen["added"])
        ]
        typed = self.beside.buttons(view) if self.beside else []
        listed += rows(ticks + added + typed, 1)
        listed.append((Choice(view.label("done"), codes.DONE),))
        return listed

    def screen(self, view: View) -> dict[str, Any]:
        """Typed entries beside the ticks; with `compact`, the options as numbered lines."""
        shown: dict[str, Any] = {"typed": self.beside.entries(view)} if self.beside else {}
        if self.compact:
            selected = self.selection(view)["selected"]
            shown["listed"] = [
                {"number": index + 1, "id": option.id, "label": option.label,
                 "ticked": option.id in selected}
                for index, option in enumerate(view.options(self.options))
            ]  # fmt: skip
        return shown

    def listed(self, view: View) -> list[str]:
        return [option.id for option in view.options(self.options)]

    def number_picks(self, text: str, view: View) -> bool:
        if not self.allow_add:
            return True
        names = [option.typed_as for option in view.options(self.options)]
        return match_name(text, names).equal is None

    def accept(self, given: Given, view: View) -> Outcome:
        chosen = self.selection(view)
        if isinstance(given, Tapped):
            done = given.code == codes.DONE
        else:
            done = self.is_done(given.text, view)
        if done:
            return self.finished(view, chosen)
        if isinstance(given, Tapped):
            if not self.tick(view, chosen, given.code):
                return Stale()
            chosen.pop("offer", None)
            return Redraw(edit=True)
        numbers = several_numbers(given.text)
        if numbers:
            return self.tick_numbers(view, chosen, numbers)
        if self.allow_add:
            return self.type_name(view, chosen, given.text)
        options = view.options(self.options)
        if self.beside is not None:  # typed text is content of its own unless a whole label
            exact = match_exactly(given.text, [option.label for option in options])
            if exact is None:
                self.beside.add(view, given.text)
            else:
                _toggle(chosen, options[exact].id)
            return Redraw()
        found = match(given.text, [option.label for option in options])
        if found.chosen is not None:
            _toggle(chosen, options[found.chosen].id)
        elif found.candidates:
            raise UserError("errors/did_you_mean_many")
        else:
            raise UserError("errors/not_understood")
        return Redraw()

    def finished(self, view: View, chosen: dict[str, Any]) -> Answer:
        if len(chosen["selected"]) + len(chosen["added"]) < self.min_selected:
            raise UserError("errors/choose_more", minimum=self.min_selected)
        value = {"selected": chosen["selected"], "added": chosen["added"]}
        return Answer(value, beside=self.beside.answers(view) if self.beside else {})

    def tick_numbers(self, view: View, chosen: dict[str, Any], numbers: list[int]) -> Outcome:
        """`1 3 4`: each number is the button it names, as if tapped in turn (Done last)."""
        shown = [choice.code for row in self.choices(view) for choice in row]
        wrong = next((number for number in numbers if not 1 <= number <= len(shown)), None)
        if wrong is not None:
            raise UserError(
                "errors/no_choice", number=wrong, count=len(shown), names=self.takes_names
            )
        picked = [shown[number - 1] for number in dict.fromkeys(numbers)]
        for code in sorted(picked, key=lambda code: code == codes.DONE):
            if code == codes.DONE:
                return self.finished(view, chosen)
            if not self.tick(view, chosen, code):
                return Stale()
        chosen.pop("offer", None)
        return Redraw()

    def is_done(self, text: str, view: View) -> bool:
        """Typed 'done': where names are typed too, only exactly, so a Don is not Done."""
        labels = view.labels_everywhere("done")
        if not self.allow_add:
            return match(text, labels).chosen is not None
        return fold(text) in {fold(label) for label in labels} | {"done"}

    def tick(self, view: View, chosen: dict[str, Any], code: str) -> bool:
        """A tap: tick, untick a typed name, or settle an offered name; False if not ours."""
        options = view.options(self.options)
        offer = chosen.get("offer")
        if code == codes.NEW and offer is not None:
            if offer["name"] not in chosen["added"]:
                chosen["added"].append(offer["name"])
            return True
        if code.startswith(codes.PERSON) and offer is not None:
            index = codes.index_of(code, codes.PERSON, len(offer["close"]))
            if index is None or offer["close"][index] not in {option.id for option in options}:
                return False
            if offer["close"][index] not in chosen["selected"]:
                chosen["selected"].append(offer["close"][index])
            return True
        if self.beside is not None and code.startswith(codes.TYPED):
            return self.beside.take_back(view, code)
        if code.startswith(codes.ADDED):
            index = codes.index_of(code, codes.ADDED, len(chosen["added"]))
            if index is None:
                return False
            chosen["added"].pop(index)
            return True
        index = codes.index_of(code, codes.TICK, view.drawn_count(options))
        ticked = view.drawn(index, options) if index is not None else None
        if ticked is None:
            return False
        _toggle(chosen, ticked.id)
        return True

    def type_name(self, view: View, chosen: dict[str, Any], text: str) -> Outcome:
        """A typed name ticks the person it equals; anything else waits for a confirming tap."""
        name = typed_name(text)
        options = view.options(self.options)
        found = match_name(name, [option.typed_as for option in options])
        same_name = [option for option in options if fold(option.typed_as) == fold(name)]
        if found.equal is None and not same_name:  # a whole label typed, "Sun Li · Director"
            found = match_name(name, [option.label for option in options])
        chosen.pop("offer", None)
        if found.equal is not None:
            _toggle(chosen, options[found.equal].id)
            return Redraw()
        if any(fold(added) == fold(name) for added in chosen["added"]):
            return Redraw()
        if not options:  # nobody on file to take it for: added at once, shown ticked
            chosen["added"].append(name)
            return Redraw()
        close = [options[index].id for index in found.close]
        chosen["offer"] = {"name": name, "close": close}
        template = "errors/name_close" if close else "errors/name_new"
        return Redraw(UserError(template, name=name))


def several_numbers(text: str) -> list[int]:
    """'1 3 4', '1,3', '1、3' or '１ ３': the numbers, when the text is nothing but two or more;
    a single number is a button the router already picks."""
    parts = re.split(r"[\s,，、;；]+", unicodedata.normalize("NFKC", text).strip())
    if len(parts) < 2 or not all(part.isdecimal() for part in parts):
        return []
    return [int(part) for part in parts]


def _toggle(chosen: dict[str, Any], option_id: str) -> None:
    if option_id in chosen["selected"]:
        chosen["selected"].remove(option_id)
    else:
        chosen["selected"].append(option_id)
