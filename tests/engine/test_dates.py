"""Dates and times as reps type them, in both languages, relative to their own today."""

from __future__ import annotations

from datetime import date, time

import pytest

from bot.engine.dates import When, parse_time, parse_when
from bot.errors import UserError

TUESDAY = date(2026, 11, 24)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("today", When(TUESDAY)),
        ("今天", When(TUESDAY)),
        ("tomorrow", When(date(2026, 11, 25))),
        ("明天", When(date(2026, 11, 25))),
        ("后天", When(date(2026, 11, 26))),
        ("in 3 days", When(date(2026, 11, 27))),
        ("3天后", When(date(2026, 11, 27))),
        ("next week", When(date(2026, 12, 1))),
        ("wed", When(date(2026, 11, 25))),
        ("Tuesday", When(date(2026, 12, 1))),
        ("周三", When(date(2026, 11, 25))),
        ("星期日", When(date(2026, 11, 29))),
        ("下周一", When(date(2026, 11, 30))),
        ("next wed", When(date(2026, 12, 2))),
        ("2026-12-03", When(date(2026, 12, 3))),
        ("2026/12/3", When(date(2026, 12, 3))),
        ("12/3", When(date(2026, 12, 3))),
        ("12月3日", When(date(2026, 12, 3))),
        ("3号", When(date(2026, 12, 3))),
        ("24号", When(TUESDAY)),
        ("11/2", When(date(2027, 11, 2))),
        ("明天 15:00", When(date(2026, 11, 25), time(15, 0))),
        ("tomorrow 3pm", When(date(2026, 11, 25), time(15, 0))),
        ("后天下午2点", When(date(2026, 11, 26), time(14, 0))),
        ("下周一 10点半", When(date(2026, 11, 30), time(10, 30))),
        ("wed 10:15am", When(date(2026, 11, 25), time(10, 15))),
        ("12月3日 晚上8点", When(date(2026, 12, 3), time(20, 0))),
        ("16:00", When(TUESDAY, time(16, 0))),
    ],
)
def test_typed_dates_are_read_relative_to_the_reps_today(typed: str, expected: When) -> None:
    assert parse_when(typed, TUESDAY) == expected


@pytest.mark.parametrize("typed", ["", "soon", "2/30", "13/45", "下下下周", "25:00", "😀"])
def test_unreadable_dates_raise_a_user_error(typed: str) -> None:
    with pytest.raises(UserError) as raised:
        parse_when(typed, TUESDAY)
    assert raised.value.template in ("errors/bad_date", "errors/bad_time")


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("14:30", time(14, 30)),
        ("3pm", time(15, 0)),
        ("下午3点", time(15, 0)),
        ("10点半", time(10, 30)),
        ("12am", time(0, 0)),
        ("中午12点", time(12, 0)),
    ],
)
def test_times_of_day(typed: str, expected: time) -> None:
    assert parse_time(typed) == expected


def test_a_time_with_extra_words_is_refused() -> None:
    with pytest.raises(UserError):
        parse_time("3pm maybe")
