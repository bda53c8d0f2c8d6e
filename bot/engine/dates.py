"""Dates and times as reps type them, in Chinese or English, relative to their local `now`.

Pure functions: `now` is passed in, so "tomorrow" is testable and time zones are explicit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo

from bot.errors import UserError

WEEKDAYS = {
    "mon": 0, "monday": 0, "tue": 1, "tues": 1, "tuesday": 1, "wed": 2, "wednesday": 2,
    "thu": 3, "thur": 3, "thurs": 3, "thursday": 3, "fri": 4, "friday": 4,
    "sat": 5, "saturday": 5, "sun": 6, "sunday": 6,
}  # fmt: skip
CN_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "日": 7, "天": 7, "七": 7}
CN_NUMBERS = {
    "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8,
    "九": 9, "十": 10, "十一": 11, "十二": 12,
}  # fmt: skip


@dataclass(frozen=True)
class When:
    """A day, and a time of day if one was given."""

    day: date
    at: time | None = None


def parse_when(text: str, today: date) -> When:
    """Parse '明天 15:00', 'next wed 3pm', '12月3日', '2026-12-03', 'in 3 days', '后天下午2点'."""
    cleaned = text.strip().lower()
    if not cleaned:
        raise UserError("errors/bad_date")
    at, rest = _extract_time(cleaned)
    rest = rest.strip(" ,，.。")
    if not rest:
        if at is None:
            raise UserError("errors/bad_date")
        return When(today, at)
    day = _parse_day(rest, today)
    if day is None:
        raise UserError("errors/bad_date")
    return When(day, at)


def parse_time(text: str) -> time:
    """A time of day alone: '14:30', '下午3点', '3pm', '10点半'."""
    at, rest = _extract_time(text.strip().lower())
    if at is None or rest.strip(" ,，.。"):
        raise UserError("errors/bad_time")
    return at


def _parse_day(text: str, today: date) -> date | None:
    relative = {
        "today": 0, "今天": 0, "今日": 0, "tomorrow": 1, "tmr": 1, "明天": 1, "明日": 1,
        "day after tomorrow": 2, "后天": 2, "大后天": 3,
    }  # fmt: skip
    if text in relative:
        return today + timedelta(days=relative[text])
    if found := re.fullmatch(r"in (\d{1,3}) days?", text) or re.fullmatch(
        r"(\d{1,3}) ?天后", text
    ):
        return today + timedelta(days=int(found.group(1)))
    if found := re.fullmatch(r"in (\d{1,2}) weeks?", text) or re.fullmatch(
        r"(\d{1,2}) ?周后", text
    ):
        return today + timedelta(weeks=int(found.group(1)))
    if text in {"next week", "下周", "下星期"}:
        return today + timedelta(days=7)
    weekday = _parse_weekday(text, today)
    if weekday is not None:
        return weekday
    return _parse_calendar_date(text, today)


def _parse_weekday(text: str, today: date) -> date | None:
    english = re.fullmatch(r"(next |this )?([a-z]+)", text)
    if english and english.group(2) in WEEKDAYS:
        return _upcoming(today, WEEKDAYS[english.group(2)], next_week=english.group(1) == "next ")
    chinese = re.fullmatch(r"(下|这|本)?(?:个)?(?:周|星期|礼拜)([一二三四五六日天七])", text)
    if chinese:
        target = CN_DIGITS[chinese.group(2)] - 1
        return _upcoming(today, target, next_week=chinese.group(1) == "下")
    return None


def _upcoming(today: date, weekday: int, *, next_week: bool) -> date:
    """The coming `weekday` after today; 'next' means the one in the following calendar week."""
    if next_week:
        monday_next = today + timedelta(days=7 - today.weekday())
        return monday_next + timedelta(days=weekday)
    ahead = (weekday - today.weekday()) % 7
    return today + timedelta(days=ahead or 7)


def _parse_calendar_date(text: str, today: date) -> date | None:
    """Full dates are taken as typed; partial ones mean the coming occurrence.

    Coaching dates are planned visits and next steps, so '3/1' typed in May is next year's and
    '3号' typed on the 24th is next month's.
    """
    patterns = (
        r"(?P<y>\d{4})[-/.年](?P<m>\d{1,2})[-/.月](?P<d>\d{1,2})[日号]?",
        r"(?P<m>\d{1,2})[-/.月](?P<d>\d{1,2})[日号]?",
        r"(?P<d>\d{1,2})[日号]",
    )
    for pattern in patterns:
        found = re.fullmatch(pattern, text)
        if not found:
            continue
        parts = found.groupdict()
        day_of_month = int(parts["d"])
        if parts.get("y"):
            return _safe_date(int(parts["y"]), int(parts["m"]), day_of_month)
        if parts.get("m"):
            month = int(parts["m"])
            this_year = _safe_date(today.year, month, day_of_month)
            if this_year is not None and this_year >= today:
                return this_year
            return _safe_date(today.year + 1, month, day_of_month)
        this_month = _safe_date(today.year, today.month, day_of_month)
        if this_month is not None and this_month >= today:
            return this_month
        next_month = today.month % 12 + 1
        return _safe_date(today.year + (next_month == 1), next_month, day_of_month)
    return None


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


_TIME_PATTERNS = (
    re.compile(r"(?P<h>\d{1,2}):(?P<m>\d{2})\s*(?P<ampm>am|pm|a\.m\.|p\.m\.)?"),
    re.compile(r"(?P<h>\d{1,2})\s*(?P<ampm>am|pm|a\.m\.|p\.m\.)"),
    re.compile(
        r"(?P<period>上午|早上|中午|下午|晚上|傍晚)?\s*(?P<h>\d{1,2}|[零一二两三四五六七八九十]+)"
        r"\s*[点點时](?:(?P<half>半)|(?P<m>\d{1,2})分?)?"
    ),
)


def _extract_time(text: str) -> tuple[time | None, str]:
    for pattern in _TIME_PATTERNS:
        found = pattern.search(text)
        if not found:
            continue
        parts = found.groupdict()
        hour_text = parts["h"]
        hour = int(hour_text) if hour_text.isdecimal() else CN_NUMBERS.get(hour_text, -1)
        minute = 30 if parts.get("half") else int(parts.get("m") or 0)
        ampm = (parts.get("ampm") or "").replace(".", "")
        period = parts.get("period") or ""
        if (ampm == "pm" or period in {"下午", "晚上", "傍晚"}) and hour < 12:
            hour += 12
        if ampm == "am" and hour == 12:
            hour = 0
        if period == "中午" and hour < 6:
            hour += 12
        if not (0 <= hour <= 23 and 0 <= minute <= 59):
            raise UserError("errors/bad_time")
        rest = (text[: found.start()] + " " + text[found.end() :]).strip()
        return time(hour, minute), rest
    return None, text


def answer_datetime(answer: dict[str, str | None], zone: tzinfo, default: time) -> datetime:
    """A saved date answer ({"day": ISO date, "time": "HH:MM" or None}) as an aware datetime."""
    day = date.fromisoformat(str(answer["day"]))
    hour = answer.get("time")
    at = time.fromisoformat(hour) if hour else default
    return datetime.combine(day, at, tzinfo=zone)
