"""When the /prep visit is: a day, a time if the day had none, and what a time already gone means.

A time already gone is asked about once: the visit happened (it is saved to debrief now, with
no reminder) or it was a slip (a time still to come is asked for instead).
"""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from bot.engine.context import Ctx, Option
from bot.engine.dates import answer_datetime, parse_time, parse_when
from bot.errors import UserError

DEFAULT_VISIT_TIME = "09:00"
NINE = time(9)


def no_time_given(ctx: Ctx) -> bool:
    """The day was typed without a time ('tomorrow'), so the time is asked next."""
    day = ctx.get("visit_day") or {}
    return not day.get("time")


def time_suggestions(ctx: Ctx) -> list[Option]:
    """Common meeting times as buttons."""
    return [Option(value, value) for value in ("09:00", "10:00", "14:00", "16:00")]


def parse_visit_time(text: str, ctx: Ctx) -> str:
    """'14:30', '下午3点', '3pm' as HH:MM."""
    return parse_time(text).strftime("%H:%M")


def _typed_when(ctx: Ctx) -> dict[str, str] | None:
    """The day and time as first given: the day's own time, else the time asked after it."""
    day = ctx.get("visit_day")
    if not day:
        return None
    return {
        "day": day["day"],
        "time": day.get("time") or ctx.get("visit_time") or DEFAULT_VISIT_TIME,
    }


def _at(when: dict[str, str], ctx: Ctx) -> datetime:
    return answer_datetime(dict(when), ctx.zone, default=NINE)


def planned_at(ctx: Ctx) -> datetime | None:
    """When the visit is planned: the corrected time if one was asked for, else day and time."""
    when = ctx.get("visit_again") or _typed_when(ctx)
    return _at(when, ctx) if when else None


def in_the_past(ctx: Ctx) -> bool:
    """Asked once, after day and time: a time already gone is a visit to debrief, or a typo."""
    when = _typed_when(ctx)
    return when is not None and _at(when, ctx) <= ctx.now


def passed_context(ctx: Ctx) -> dict[str, Any]:
    """The time given, as the rep gave it, for 'did it happen?'."""
    when = _typed_when(ctx) or {"day": "", "time": ""}
    return {"when": f"{when['day']} {when['time']}"}


def happened(ctx: Ctx) -> bool:
    """The time is gone and the rep says the visit took place."""
    return in_the_past(ctx) and ctx.get("already_happened") is True


def did_not_happen(ctx: Ctx) -> bool:
    """The time is gone and the visit is still to come: a slip, so a new time is asked for."""
    return in_the_past(ctx) and ctx.get("already_happened") is False


def parse_future_when(text: str, ctx: Ctx) -> dict[str, str]:
    """A day and time still to come ('tomorrow 10:00', '周五下午3点'); the past is refused."""
    when = parse_when(text, ctx.today)
    hour = when.at.strftime("%H:%M") if when.at else DEFAULT_VISIT_TIME
    answer = {"day": when.day.isoformat(), "time": hour}
    if _at(answer, ctx) <= ctx.now:
        raise UserError("errors/time_passed")
    return answer
