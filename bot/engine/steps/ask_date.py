"""AskDate: a day by button (today, tomorrow, in N days) or typed, with an optional time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from bot.engine import codes
from bot.engine.dates import parse_when
from bot.engine.steps.base import (
    Answer,
    Choice,
    Given,
    Outcome,
    Rows,
    Stale,
    Step,
    Tapped,
    View,
    rows,
)


@dataclass(frozen=True, kw_only=True)
class AskDate(Step):
    """A day (buttons for today, tomorrow, in N days) or a typed date, with an optional time."""

    offsets: tuple[int, ...] = (0, 1, 2, 3, 7)

    def choices(self, view: View) -> Rows:
        return rows(
            [
                Choice(_day_label(view, offset), codes.indexed(codes.DAY, offset))
                for offset in self.offsets
            ],
            3,
        )

    def accept(self, given: Given, view: View) -> Outcome:
        today = view.ctx.today
        if isinstance(given, Tapped):
            offsets = {codes.indexed(codes.DAY, offset): offset for offset in self.offsets}
            if given.code not in offsets:
                return Stale()
            day = today + timedelta(days=offsets[given.code])
            return Answer({"day": day.isoformat(), "time": None})
        when = parse_when(given.text, today)
        at = when.at.strftime("%H:%M") if when.at else None
        return Answer({"day": when.day.isoformat(), "time": at})


def _day_label(view: View, offset: int) -> str:
    if offset in (0, 1):
        return view.label("today" if offset == 0 else "tomorrow")
    day = view.ctx.today + timedelta(days=offset)
    return view.label("in_days", days=offset, date=f"{day.month}/{day.day}")
