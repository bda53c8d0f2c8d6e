"""ChooseEach: several one-tap questions on one screen, each answer a tap, none required.

A new person's title, role, stance, influence and stage, or a new account's tier and two
stages, took one screen (and one Skip) each. On one screen, the rep taps what they know and
Done for the rest; the last answer given finishes the screen, so answering everything costs no
more inputs than before. One question may be typed (`text`: a job title): typed text that is
not a whole option label answers it. Each answer is written under its own key (as
`Answer.beside`), so what reads those answers does not know they were asked together.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bot.engine import codes
from bot.engine.context import Ctx, Option, Options, Predicate
from bot.engine.matching import match, match_exactly
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
from bot.engine.steps.beside import shortened
from bot.errors import UserError

FIELD = "f"  # ChooseEach: question and option, one index (question * WIDTH + option)
WIDTH = 100  # no question offers this many options
TYPED_BACK = codes.indexed(codes.TYPED, 0)  # take back what was typed


@dataclass(frozen=True)
class Question:
    """One question of the screen: its answer key, its options, when it is asked."""

    id: str
    options: Options
    when: Predicate | None = None
    columns: int = 2


@dataclass(frozen=True)
class TextQuestion:
    """The one question of the screen answered by typing; `parse` may refuse the text."""

    id: str
    parse: Callable[[str, Ctx], Any]
    when: Predicate | None = None


@dataclass(frozen=True, kw_only=True)
class ChooseEach(Step):
    """Tap an option per question (again to clear it), then Done; the answer lists the keys.

    The step applies when any of its questions does.
    """

    questions: tuple[Question, ...]
    text: TextQuestion | None = None

    def __post_init__(self) -> None:
        if self.when is None:
            object.__setattr__(self, "when", self.any_asked)

    def any_asked(self, ctx: Ctx) -> bool:
        whens = [question.when for question in self.questions]
        if self.text is not None:
            whens.append(self.text.when)
        return any(when is None or when(ctx) for when in whens)

    def asked(self, view: View) -> list[Question]:
        return [q for q in self.questions if q.when is None or q.when(view.ctx)]

    def typed_asked(self, view: View) -> TextQuestion | None:
        text = self.text
        return text if text and (text.when is None or text.when(view.ctx)) else None

    def keys(self, view: View) -> list[str]:
        typed = self.typed_asked(view)
        return [*([typed.id] if typed else []), *(q.id for q in self.asked(view))]

    def values(self, view: View) -> dict[str, Any]:
        """The answers so far: from the screen state, else the answers saved before."""
        if "values" not in view.ui:
            view.ui["values"] = {key: view.ctx.here(key) for key in self.keys(view)}
        values: dict[str, Any] = view.ui["values"]
        return values

    def screen(self, view: View) -> dict[str, Any]:
        """Each question asked, with its answer so far as shown (None: not given)."""
        values = self.values(view)
        fields = {
            q.id: _label(view.options(q.options), values.get(q.id)) for q in self.asked(view)
        }
        typed = self.typed_asked(view)
        if typed is not None:
            fields = {typed.id: values.get(typed.id), **fields}
        return {"fields": fields}

    def choices(self, view: View) -> Rows:
        values = self.values(view)
        listed: Rows = []
        for number, question in enumerate(self.questions):
            if question not in self.asked(view):
                continue
            offered = [
                Choice(
                    ("✅ " if values.get(question.id) == option.id else "") + option.label,
                    codes.indexed(FIELD, number * WIDTH + at),
                )
                for at, option in enumerate(view.options(question.options))
            ]
            listed += rows(offered, question.columns)
        typed = self.typed_asked(view)
        if typed is not None and values.get(typed.id) is not None:  # a tap takes it back
            listed.append((Choice("✅ " + shortened(str(values[typed.id])), TYPED_BACK),))
        listed.append((Choice(view.label("done"), codes.DONE),))
        return listed

    def number_picks(self, text: str, view: View) -> bool:
        return True

    def accept(self, given: Given, view: View) -> Outcome:
        values = self.values(view)
        if isinstance(given, Tapped):
            if given.code == codes.DONE:
                return self.finish(view)
            typed = self.typed_asked(view)
            if given.code == TYPED_BACK and typed is not None and values.get(typed.id):
                values[typed.id] = None
                view.ctx.answers[view.ctx.prefix + typed.id] = None
                return Redraw(edit=True)
            if not self.tap(view, values, given.code):
                return Stale()
        elif self.typed_done(given.text, view):
            return self.finish(view)
        else:
            self.type(view, values, given.text)
        for key, value in values.items():  # kept as given: Back or a restart loses nothing
            view.ctx.answers[view.ctx.prefix + key] = value
        if all(values.get(key) is not None for key in self.keys(view)):
            return self.finish(view)
        return Redraw(edit=isinstance(given, Tapped))

    def typed_done(self, text: str, view: View) -> bool:
        """'Done' typed; where a title is typed too, only exactly, so a Don is not Done."""
        labels = view.labels_everywhere("done")
        if self.typed_asked(view) is None:
            return match(text, labels).chosen is not None
        return match_exactly(text, [*labels, "done"]) is not None

    def tap(self, view: View, values: dict[str, Any], code: str) -> bool:
        """Set (or clear, tapped again) one question's answer; False if not a button drawn."""
        index = codes.index_of(code, FIELD, len(self.questions) * WIDTH)
        if index is None:
            return False
        question = self.questions[index // WIDTH]
        options = view.options(question.options)
        if question not in self.asked(view) or index % WIDTH >= len(options):
            return False
        chosen = options[index % WIDTH].id
        values[question.id] = None if values.get(question.id) == chosen else chosen
        return True

    def type(self, view: View, values: dict[str, Any], text: str) -> None:
        """A typed label ("high", "技术评估者") answers the question it belongs to; with a
        typed question, only a whole label does, and any other text answers that one."""
        offered = [
            (question.id, option)
            for question in self.asked(view)
            for option in view.options(question.options)
        ]
        labels = [option.label for _, option in offered]
        typed = self.typed_asked(view)
        if typed is not None:
            exact = match_exactly(text, labels)
            if exact is None:
                values[typed.id] = typed.parse(text, view.ctx)
                return
            chosen: int | None = exact
        else:
            chosen = match(text, labels).chosen
        if chosen is None:
            raise UserError("errors/not_understood")
        key, option = offered[chosen]
        values[key] = option.id

    def finish(self, view: View) -> Answer:
        values = self.values(view)
        keys = self.keys(view)
        return Answer({"asked": keys}, beside={key: values.get(key) for key in keys})


def _label(options: list[Option], option_id: str | None) -> str | None:
    return next((option.label for option in options if option.id == option_id), None)
