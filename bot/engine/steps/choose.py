"""Choose: pick one option by tapping, by its number, or by typing its label.

With `beside`, other typed text is kept as an answer of its own (names met, see `Beside`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.engine import codes
from bot.engine.context import Options
from bot.engine.matching import Match, match, match_exactly, match_name
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
from bot.engine.steps.beside import Beside
from bot.errors import UserError

PAGE = "page"  # the screen state's key for the page of options being read


@dataclass(frozen=True, kw_only=True)
class Choose(Step):
    """Pick one option; typed text is matched against the labels (names: the names rule).

    After a "did you mean", only the close options are shown until the step is answered. With
    `beside`, text close to a button ("no change") is neither taken for it nor kept: one tap
    says which it was.
    """

    options: Options
    columns: int = 2
    beside: Beside | None = None
    page_size: int | None = None  # a long list (15 next steps) in pages, "More ▸" between

    def choices(self, view: View) -> Rows:
        options = view.options(self.options)
        only = view.ui.get("only")
        shown = [
            Choice(option.label, codes.indexed(codes.OPTION, index))
            for index, option in enumerate(options)
            if only is None or option.id in only
        ]
        shown, more = self._page(shown, view)
        typed = rows(self.beside.buttons(view), 1) if self.beside else []
        unsure = view.ui.get("unsure")
        if unsure is not None:  # typed text close to a button: that button, or the text
            typed.append((Choice(view.label("add_typed", text=unsure), codes.NEW),))
        return rows(shown, self.columns) + more + typed

    def _page(self, shown: list[Choice], view: View) -> tuple[list[Choice], Rows]:
        """The buttons of the page being read, and "More ▸ 2/3" (after the last page, the
        first again): every option one or two taps away, and the screen stays short."""
        size = self.page_size
        if size is None or len(shown) <= size:
            return shown, []
        pages = -(-len(shown) // size)
        page = int(view.ui.get(PAGE, 0)) % pages
        after = (page + 1) % pages + 1
        more = (Choice(view.label("more_page", page=after, pages=pages), codes.MORE),)
        return shown[page * size : (page + 1) * size], [more]

    def screen(self, view: View) -> dict[str, Any]:
        return {"typed": self.beside.entries(view)} if self.beside else {}

    def answered(self, option_id: str, view: View) -> Answer:
        return Answer(option_id, beside=self.beside.answers(view) if self.beside else {})

    def listed(self, view: View) -> list[str]:
        return [option.id for option in view.options(self.options)]

    def number_picks(self, text: str, view: View) -> bool:
        return True

    def accept(self, given: Given, view: View) -> Outcome:
        options = view.options(self.options)
        if isinstance(given, Tapped):
            if given.code == codes.MORE and self.page_size is not None:
                view.ui[PAGE] = int(view.ui.get(PAGE, 0)) + 1
                return Redraw(edit=True)
            if self.beside and given.code.startswith(codes.TYPED):
                return Redraw(edit=True) if self.beside.take_back(view, given.code) else Stale()
            if self.beside and given.code == codes.NEW and "unsure" in view.ui:
                self.beside.add(view, view.ui.pop("unsure"))
                return Redraw(edit=True)
            index = codes.index_of(given.code, codes.OPTION, view.drawn_count(options))
            tapped = view.drawn(index, options) if index is not None else None
            return Stale() if tapped is None else self.answered(tapped.id, view)
        if self.beside is not None:  # typed text is content of its own unless a whole label
            labels = [option.label for option in options]
            chosen = match_exactly(given.text, labels)
            if chosen is not None:
                return self.answered(options[chosen].id, view)
            view.ui.pop("only", None)
            view.ui.pop("unsure", None)
            close = match(given.text, labels)
            if close.chosen is not None or close.candidates:  # "no change": the button?
                view.ui["unsure"] = " ".join(given.text.split())
                return Redraw(UserError("errors/button_or_typed", text=view.ui["unsure"]))
            self.beside.add(view, given.text)
            return Redraw()
        if any(option.name for option in options):  # options that are people: names rule
            named = match_name(given.text, [option.typed_as for option in options])
            found = Match(named.equal, named.close)
        else:
            found = match(given.text, [option.label for option in options])
        if found.chosen is not None:
            return self.answered(options[found.chosen].id, view)
        if found.candidates:
            view.ui["only"] = [options[index].id for index in found.candidates]
            return Redraw(UserError("errors/did_you_mean"))
        view.ui.pop("only", None)
        return Redraw(UserError("errors/not_understood"))
