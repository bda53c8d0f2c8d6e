"""Where a user is in a flow: the layout of its steps, the current one, the next, the one back.

Pure bookkeeping over the saved answers and history; no database. Laying out runs the item
queries of every `Each` (through the flow's functions), so a layout is kept until an answer,
a navigation or a flow start changes it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bot.engine.context import Ctx, Item
from bot.engine.flow import Each, Flow
from bot.engine.steps.base import Step
from bot.storage.models import STEP_KEY_LENGTH


@dataclass(frozen=True)
class Instance:
    """A step at a place in the flow: top level, or inside one item of an `Each` group."""

    key: str
    step: Step
    item: Item | None = None

    @property
    def prefix(self) -> str:
        """The key prefix of answers in the same item."""
        return self.key[: -len(self.step.id)] if self.item else ""


class Cursor:
    """The flow laid out for the current answers, and moves over it.

    `data` is the flow state's JSON (`answers`, `history`); `ctx_for` gives the functions of
    the flow the context of one step.
    """

    def __init__(
        self, flow: Flow, data: dict[str, Any], ctx_for: Callable[[Instance | None], Ctx]
    ) -> None:
        self.flow = flow
        self.data = data
        self.ctx_for = ctx_for
        self._layout: list[Instance] | None = None

    @property
    def answers(self) -> dict[str, Any]:
        answers: dict[str, Any] = self.data.setdefault("answers", {})
        return answers

    @property
    def history(self) -> list[str]:
        history: list[str] = self.data.setdefault("history", [])
        return history

    def invalidate(self) -> None:
        """Answers changed: an `Each` may have grown or shrunk."""
        self._layout = None

    def layout(self) -> list[Instance]:
        if self._layout is None:
            self._layout = self._lay_out()
        return self._layout

    def _lay_out(self) -> list[Instance]:
        laid_out: list[Instance] = []
        for entry in self.flow.steps:
            if isinstance(entry, Each):
                for item in entry.items(self.ctx_for(None)):
                    for step in entry.steps:
                        laid_out.append(Instance(f"{entry.id}/{item.key}/{step.id}", step, item))
            else:
                laid_out.append(Instance(entry.id, entry))
        for instance in laid_out:
            if len(instance.key) > STEP_KEY_LENGTH:  # item keys are ids, never typed text
                raise ValueError(f"step key over {STEP_KEY_LENGTH} characters: {instance.key!r}")
        return laid_out

    def applies(self, instance: Instance) -> bool:
        predicate = instance.step.when
        return predicate is None or bool(predicate(self.ctx_for(instance)))

    def at(self, key: str) -> Instance | None:
        """The step saved as current; if the layout changed under it (an edited list), the
        first unanswered step that applies."""
        laid_out = self.layout()
        for instance in laid_out:
            if instance.key == key:
                return instance
        return next(
            (
                instance
                for instance in laid_out
                if instance.key not in self.answers and self.applies(instance)
            ),
            None,
        )

    def first(self) -> Instance | None:
        """Where a flow starts."""
        return self._first_applying(self.layout())

    def after(self, instance: Instance) -> Instance | None:
        """Where to go once `instance` is answered: its `next`, or the following step."""
        laid_out = self.layout()
        target = instance.step.next_step(self.ctx_for(instance))
        if target is not None:
            return self._first_applying(laid_out[self._index(target, laid_out) :])
        keys = [entry.key for entry in laid_out]
        if instance.key in keys:
            return self._first_applying(laid_out[keys.index(instance.key) + 1 :])
        return self._resumed(laid_out[self._place(instance, laid_out) :])

    def progress(self, instance: Instance) -> tuple[int, int]:
        """Screen k of n: the steps that apply with the answers so far (a result shown at the
        end is no screen to answer). Later answers can add or drop steps, so n may change."""
        shown = [
            entry.key
            for entry in self.layout()
            if not entry.step.ends_flow and (entry.key == instance.key or self.applies(entry))
        ]
        position = shown.index(instance.key) + 1 if instance.key in shown else len(shown)
        return position, len(shown)

    def answered(self, key: str) -> None:
        """Note an answer for Back. A step answered again (a loop came round to it) cuts the
        history back to its first answer, so Back goes where the user came from, once."""
        history = self.history
        if key in history:
            del history[history.index(key) :]
        history.append(key)

    def back(self) -> Instance | None:
        """The latest answered step that still applies, taken off the history."""
        laid_out = {instance.key: instance for instance in self.layout()}
        history = self.history
        while history:
            previous = laid_out.get(history.pop())
            if previous is not None and self.applies(previous):
                return previous
        return None

    def _place(self, instance: Instance, laid_out: list[Instance]) -> int:
        """Where `instance`'s top-level step (its group, for an item) is laid out now, for a
        step gone from the layout: the flow goes on from there, never from the top."""
        order = [entry.id for entry in self.flow.steps]
        top = instance.key.split("/", 1)[0]
        place = order.index(top) if top in order else 0
        return next(
            (
                index
                for index, entry in enumerate(laid_out)
                if order.index(entry.key.split("/", 1)[0]) >= place
            ),
            len(laid_out),
        )

    def _resumed(self, instances: list[Instance]) -> Instance | None:
        """The first applying step not answered yet (answers outlive a layout change), else the
        first applying one (a loop comes round to answered steps)."""
        unanswered = [entry for entry in instances if entry.key not in self.answers]
        return self._first_applying(unanswered) or self._first_applying(instances)

    def _first_applying(self, instances: list[Instance]) -> Instance | None:
        return next((instance for instance in instances if self.applies(instance)), None)

    def _index(self, target: str, laid_out: list[Instance]) -> int:
        """Where step `target` (a top-level id, or the first step of an `Each`) begins."""
        for index, instance in enumerate(laid_out):
            if instance.key == target or instance.key.startswith(target + "/"):
                return index
        raise ValueError(f"flow {self.flow.id}: no step {target!r} to go to")
