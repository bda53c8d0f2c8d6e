"""What every step kind shares: when it is asked, and the contract the engine runs it by.

A kind draws its choices (`choices`) and accepts input (`accept`), seeing the world through a
`View`; it answers with an `Answer` (move on), a `Redraw` (same step again, perhaps with a
word on what went wrong) or `Stale` (a button from an earlier screen). It may also raise
`UserError`, which the engine shows above the redrawn step. Navigation (back, skip, cancel),
versions and saving are the engine's business, never a kind's.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import KW_ONLY, dataclass, field
from typing import Any

from bot.engine.context import Ctx, Getter, Option, Options, Predicate
from bot.errors import UserError
from bot.settings import Language
from bot.text import LANGUAGES, Texts

NAME_LIMIT = 200
PINNED = "drawn"  # the screen state's key for the option ids the buttons were drawn for


@dataclass(frozen=True)
class Typed:
    """Text the user typed at this step."""

    text: str


@dataclass(frozen=True)
class Tapped:
    """A button of this step, by its code (the version is already checked)."""

    code: str


Given = Typed | Tapped


@dataclass(frozen=True)
class Answer:
    """The step is answered with `value` (JSON); the flow moves on.

    `beside` holds answers given at this step for other keys of the same item (text typed at
    a step of buttons, see `Beside`), written with it.
    """

    value: Any
    beside: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Redraw:
    """Show the step again; `edit` replaces the previous message where the channel can."""

    error: UserError | None = None
    edit: bool = False


@dataclass(frozen=True)
class Stale:
    """The tap belongs to another screen: say so and show the current one."""


Outcome = Answer | Redraw | Stale


@dataclass(frozen=True)
class Choice:
    """A button a step offers, before the engine tags it with the state's version."""

    label: str
    code: str


Rows = list[tuple[Choice, ...]]


@dataclass(frozen=True)
class Link:
    """A button under a finished flow's result: it starts `flow` with `argument`."""

    label: str
    flow: str
    argument: str = ""


@dataclass
class View:
    """One step at its place in the flow, during one event.

    `ui` is the step's own screen state (a "did you mean" subset, ticks not yet confirmed),
    saved with the flow and dropped once the step is answered. Options are queried once per
    event, however often the step draws or reads them.
    """

    ctx: Ctx
    ui: dict[str, Any]
    previous: Any
    texts: Texts
    _options: dict[int, list[Option]] = field(default_factory=dict)

    @property
    def language(self) -> Language:
        return self.ctx.language

    def label(self, key: str, **context: Any) -> str:
        """A label in the user's language."""
        return self.texts.label(key, self.language, **context)

    def labels_everywhere(self, key: str) -> list[str]:
        """A label in every language: typed words are understood whatever the setting."""
        return [self.texts.label(key, language) for language in LANGUAGES]

    def words_everywhere(self, key: str) -> list[str]:
        """Typed words for `key` (beyond its label) in every language, from the catalogs."""
        return [word for language in LANGUAGES for word in self.texts.words(key, language)]

    def drawn(self, index: int, options: Sequence[Option]) -> Option | None:
        """The option the `index`-th button stood for when it was drawn, if still offered.

        The list may have changed since (another rep added a visit or a person), so a tap is
        read against the ids pinned when the buttons were drawn, never against positions now.
        """
        pinned = self.ui.get(PINNED)
        if pinned is None:
            return options[index] if 0 <= index < len(options) else None
        if not 0 <= index < len(pinned):
            return None
        return next((option for option in options if option.id == pinned[index]), None)

    def drawn_count(self, options: Sequence[Option]) -> int:
        """How many indexed buttons the drawn screen had."""
        pinned = self.ui.get(PINNED)
        return len(options) if pinned is None else len(pinned)

    def options(self, source: Options) -> list[Option]:
        """The options `source` gives, computed once per event."""
        key = id(source)
        if key not in self._options:
            self._options[key] = list(source(self.ctx))
        return self._options[key]


@dataclass(frozen=True)
class Step:
    """Common to all steps: when to ask it, whether it may be skipped, what its text needs.

    `next` names the step to go to once this one is answered (a loop back to a menu of
    actions); without it the flow goes on to the following step.
    """

    id: str
    _: KW_ONLY
    optional: bool | Predicate = False
    when: Predicate | None = None
    getter: Getter | None = None
    next: str | Callable[[Ctx], str | None] | None = None
    # buttons that open another flow, given what the step's text shows: under a question, an
    # aside (a long thread's earlier comments) that leaves the question where it is
    links: Callable[[Ctx, dict[str, Any]], Sequence[Link]] | None = None

    def is_optional(self, ctx: Ctx) -> bool:
        """Optional may depend on earlier answers (a next step is needed only for an advance)."""
        return self.optional(ctx) if callable(self.optional) else self.optional

    def next_step(self, ctx: Ctx) -> str | None:
        """Where to go after an answer, when not simply on."""
        return self.next(ctx) if callable(self.next) else self.next

    @property
    def ends_flow(self) -> bool:
        """Whether reaching this step finishes the flow (it shows a result, asks nothing)."""
        return False

    def done(self, ctx: Ctx) -> dict[str, Any] | None:
        """At a step that ends the flow: save, and say what the result's text should show."""
        return None

    def result_page(self, ctx: Ctx, text: str, context: dict[str, Any]) -> tuple[str, list[Link]]:
        """At a step that ends the flow: the part of the rendered result to show, and links
        under it (the next page of a long result)."""
        return text, []

    @property
    def takes_names(self) -> bool:
        """Whether typed text here is a person's or an account's name (never fuzzy-taken)."""
        return False

    @property
    def several_lines(self) -> bool:
        """Whether the answer may be several lines (the terminal offers another line)."""
        return False

    def choices(self, view: View) -> Rows:
        """The step's own buttons; navigation is added by the engine."""
        return []

    def screen(self, view: View) -> dict[str, Any]:
        """What the step's template sees of its screen state (labels not yet confirmed)."""
        return {}

    def listed(self, view: View) -> list[str] | None:
        """The option ids the indexed buttons stand for, pinned by the engine when it draws
        them (see `View.drawn`); None for a step whose buttons are not a list of options."""
        return None

    def number_picks(self, text: str, view: View) -> bool:
        """Whether a typed number picks a shown button (the terminal numbers them)."""
        return False

    def accept(self, given: Given, view: View) -> Outcome:
        """Typed text or a tap, applied to this step."""
        raise NotImplementedError


def rows(choices: Sequence[Choice], columns: int) -> Rows:
    """`choices` laid out `columns` to a row."""
    return [tuple(choices[start : start + columns]) for start in range(0, len(choices), columns)]


def one_line(text: str, limit: int = NAME_LIMIT) -> str:
    """Short text such as a name or a title: whitespace collapsed, not empty, not too long."""
    line = " ".join(text.split())
    if not line:
        raise UserError("errors/empty")
    if len(line) > limit:
        raise UserError("errors/too_long", limit=limit, length=len(line))
    return line


def typed_name(text: str) -> str:
    """A person's or an account's name: one line, with at least one letter or digit."""
    name = " ".join(text.split())
    if name and not any(char.isalnum() for char in name):
        raise UserError("errors/not_a_name")
    return one_line(name)
