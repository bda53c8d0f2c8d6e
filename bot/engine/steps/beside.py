"""Text typed at a step of buttons that is none of its buttons: an answer kept beside it.

At "which planned questions did you ask?" a typed line is a question asked beyond the plan;
at "did anything change about the people?" a typed name is someone met for the first time.
One screen then answers what took two, each with its own Skip. What is typed is parsed,
shown as a button that takes it back, and written under its own answer key when the step is
answered, so the steps and savers that read that key need not know where it was typed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bot.engine import codes
from bot.engine.context import Ctx
from bot.engine.steps.base import Choice, View
from bot.text import cut

BUTTON_CHARS = 48  # a typed entry's button shows its start: a phone's button is one line


@dataclass(frozen=True)
class Beside:
    """Typed entries kept under answer `key`.

    `parse(text, ctx, so_far)` gives the whole new list (it may refuse with a UserError,
    e.g. too many); `shown` is how an entry reads on its button.
    """

    key: str
    parse: Callable[[str, Ctx, list[Any]], list[Any]]
    shown: Callable[[Any], str] = str

    def entries(self, view: View) -> list[Any]:
        """What was typed so far (kept in the answers as it is typed, so Back, a restart or
        an older flow state that had its own step for it loses nothing)."""
        if "typed" not in view.ui:
            view.ui["typed"] = list(view.ctx.here(self.key) or [])
        typed: list[Any] = view.ui["typed"]
        return typed

    def add(self, view: View, text: str) -> None:
        self._keep(view, self.parse(text, view.ctx, list(self.entries(view))))

    def _keep(self, view: View, entries: list[Any]) -> None:
        view.ui["typed"] = entries
        view.ctx.answers[view.ctx.prefix + self.key] = list(entries)

    def buttons(self, view: View) -> list[Choice]:
        """One button per entry; a tap takes it back."""
        return [
            Choice("✅ " + shortened(self.shown(entry)), codes.indexed(codes.TYPED, index))
            for index, entry in enumerate(self.entries(view))
        ]

    def take_back(self, view: View, code: str) -> bool:
        """A tap on an entry's button removes it; False if the code is no entry of ours."""
        entries = self.entries(view)
        index = codes.index_of(code, codes.TYPED, len(entries))
        if index is None:
            return False
        self._keep(view, entries[:index] + entries[index + 1 :])
        return True

    def answers(self, view: View) -> dict[str, Any]:
        """What the step's answer writes beside its own value."""
        return {self.key: list(self.entries(view))}


def shortened(text: str) -> str:
    """Typed text on a button: one line, its start."""
    line = " ".join(text.split())
    return cut(line, BUTTON_CHARS)
