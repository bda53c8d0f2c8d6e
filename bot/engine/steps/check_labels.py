"""CheckLabels: each of several items carries a label the coach proposed; the rep checks them.

A proposed label is shown as read, and one tap on another label changes it; an item without a
proposal (the coach was not sure) is asked. The labels live in the step's screen state until
Continue, so a repeated tap (same version) is refused rather than applied twice. With a single
item, the tap that labels it answers the step at once: there is nothing left to check.
An item counts as changed by the rep only while its label differs from the proposal.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from bot.engine import codes
from bot.engine.context import Ctx, Item, Options
from bot.engine.matching import match
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
class CheckLabels(Step):
    """Check proposed labels: `proposed` gives each item's label id, or None to ask it.

    The answer is `{"labels": {item key: label id}, "changed": [item keys the rep set]}`.
    """

    items: Callable[[Ctx], Sequence[Item]]
    labels: Options
    proposed: Callable[[Ctx], Mapping[str, str | None]]
    columns: int = 3

    def state(self, view: View) -> dict[str, Any]:
        """The labels so far: from the screen state, the saved answer, or the proposals."""
        if "labels" not in view.ui:
            keys = [item.key for item in self.items(view.ctx)]
            previous = view.previous if isinstance(view.previous, dict) else {}
            before = previous.get("labels", {})
            proposed = self.proposed(view.ctx)
            # An item keeps its earlier label only if it is the same item (its key says so):
            # rewritten items start from the proposals again.
            view.ui["labels"] = {key: before.get(key, proposed.get(key)) for key in keys}
            changed = previous.get("changed", [])
            view.ui["changed"] = [key for key in changed if key in keys]
        return view.ui

    def screen(self, view: View) -> dict[str, Any]:
        """Each item, numbered, with its label's name (None: still asked) and who set it."""
        state = self.state(view)
        names = {option.id: option.label for option in view.options(self.labels)}
        return {
            "checked": [
                {
                    **item.context,
                    "number": number,
                    "label": names.get(state["labels"].get(item.key) or ""),
                    "by_rep": item.key in state["changed"],
                }
                for number, item in enumerate(self.items(view.ctx), start=1)
            ],
            "unsure": sum(1 for label in state["labels"].values() if label is None),
        }

    def choices(self, view: View) -> Rows:
        state = self.state(view)
        options = view.options(self.labels)
        items = self.items(view.ctx)
        listed: Rows = []
        for number, item in enumerate(items):
            current = state["labels"].get(item.key)
            mark = f"{number + 1} " if len(items) > 1 else ""
            offered = [
                Choice(mark + option.label, codes.indexed(codes.LABEL, number * len(options) + at))
                for at, option in enumerate(options)
                if option.id != current
            ]
            listed += rows(offered, self.columns if current is not None else 2)
        if all(label is not None for label in state["labels"].values()):
            listed.append((Choice(view.label("continue"), codes.CONTINUE),))
        return listed

    def number_picks(self, text: str, view: View) -> bool:
        return True

    def accept(self, given: Given, view: View) -> Outcome:
        state = self.state(view)
        if isinstance(given, Tapped):
            if given.code == codes.CONTINUE:
                return self.finish(state)
            if not self.set_label(view, state, given.code):
                return Stale()
            if len(state["labels"]) == 1:  # one item, now labelled: nothing left to check
                return self.finish(state)
            return Redraw(edit=True)
        if match(given.text, view.labels_everywhere("continue")).chosen is not None:
            return self.finish(state)
        options = view.options(self.labels)
        if len(state["labels"]) == 1:  # one item: its label may simply be typed
            found = match(given.text, [option.label for option in options])
            if found.chosen is not None:
                self.apply(view, state, next(iter(state["labels"])), options[found.chosen].id)
                return self.finish(state)
        raise UserError("errors/tap_a_label")

    def finish(self, state: dict[str, Any]) -> Outcome:
        """Continue: every item must have its label by now."""
        unsure = sum(1 for label in state["labels"].values() if label is None)
        if unsure:
            raise UserError("errors/label_each", count=unsure)
        return Answer({"labels": dict(state["labels"]), "changed": list(state["changed"])})

    def set_label(self, view: View, state: dict[str, Any], code: str) -> bool:
        """A tap on an item's label; False when the code is not one this screen drew."""
        options = view.options(self.labels)
        keys = [item.key for item in self.items(view.ctx)]  # drawn order, not the dict's
        index = codes.index_of(code, codes.LABEL, len(keys) * len(options))
        if index is None or not options:
            return False
        key, option = keys[index // len(options)], options[index % len(options)]
        if state["labels"].get(key) == option.id:
            return False  # the label it has is never drawn as a button: a forged tap
        self.apply(view, state, key, option.id)
        return True

    def apply(self, view: View, state: dict[str, Any], key: str, label: str) -> None:
        """Set an item's label; it is the rep's own only where it differs from the proposal."""
        state["labels"][key] = label
        if label == self.proposed(view.ctx).get(key):
            state["changed"] = [changed for changed in state["changed"] if changed != key]
        elif key not in state["changed"]:
            state["changed"].append(key)
