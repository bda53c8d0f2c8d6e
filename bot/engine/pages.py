"""A long result (a call plan) cut into pages that fit a phone's screen.

A phone shows about 45 columns; a Chinese character takes two. Pages are cut between lines,
never inside one with markup, so each line's markup stays whole (a long line of plain words
goes on over pages), and never just after a section's heading;
later pages repeat the first line (the title) with their number, so a page read on its own
still says what it is.
"""

from __future__ import annotations

import html
import math
import re
import unicodedata

from bot.text import plain

PHONE_COLUMNS = 45
_MARKUP = re.compile(r"<[a-z/]")  # a tag: a line with one is never cut
# a line that is only a section's title (bold, or an italic group), perhaps with a count
_HEADING = re.compile(r"^<([bi])>[^<]*</\1>(\s?[(（][^()（）<]*[)）])?$")


def screen_lines(text: str, columns: int = PHONE_COLUMNS) -> int:
    """How many lines `text` (Telegram HTML) takes on a screen `columns` wide."""
    return sum(_wrapped(line, columns) for line in plain(text).split("\n"))


def _width(char: str) -> int:
    return 2 if unicodedata.east_asian_width(char) in "WF" else 1


def _wrapped(line: str, columns: int) -> int:
    return max(1, math.ceil(sum(_width(char) for char in line) / columns))


def cut_to_columns(text: str, columns: int) -> str:
    """`text` in at most `columns` screen columns; one that was cut ends in "…"."""
    used = 0
    for index, char in enumerate(text):
        used += _width(char)
        if used > columns:
            return text[: max(index - 1, 0)] + "…"
    return text


def cut_to_lines(text: str, lines: int, columns: int = PHONE_COLUMNS) -> str:
    """Plain `text` in at most `lines` screen lines; one that was cut ends in "…"."""
    rows = screen_rows(text, columns)
    if len(rows) <= lines:
        return text
    return join_rows(rows[:lines])[:-1] + "…"


def screen_rows(text: str, columns: int = PHONE_COLUMNS) -> list[tuple[str, bool]]:
    """Plain `text` as the rows a screen `columns` wide shows, each with whether it starts a
    line of its own (so rows can be joined back: a new line, or straight on)."""
    rows: list[tuple[str, bool]] = []
    for line in text.split("\n"):
        row, used, starts = "", 0, True
        for char in line:
            if used + _width(char) > columns:
                rows.append((row, starts))
                row, used, starts = "", 0, False
            row += char
            used += _width(char)
        rows.append((row, starts))
    return rows


def join_rows(rows: list[tuple[str, bool]]) -> str:
    """The text of `rows` from `screen_rows`, its lines where they were."""
    text = ""
    for index, (row, starts) in enumerate(rows):
        text += ("\n" if starts and index else "") + row
    return text


def split_pages(
    text: str, *, first: int, rest: int, columns: int = PHONE_COLUMNS, blocks: bool = False
) -> list[str]:
    """`text` as pages of at most `first` lines, then `rest`. Pages are cut between lines; a
    line of plain words longer than a page (a pasted summary) goes on over the next pages,
    marked "…" where it goes on, so nothing is cut off. A longer line with markup is never
    cut: it stays where it is. With `blocks`, lines between blank lines (one rep's figures)
    stay on one page where they fit one."""
    lines = text.rstrip("\n").split("\n")
    title = lines[0]
    units: list[list[str]] = [[line] for line in lines]
    if blocks:
        units = [[title]]
        for line in lines[1:]:
            if line.strip() and units[-1][-1].strip() and len(units) > 1:
                units[-1].append(line)
            else:
                units.append([line])
        units = [  # a block longer than a page goes line by line
            part
            for unit in units
            for part in (
                [unit]
                if sum(_wrapped(plain(line), columns) for line in unit) <= rest
                else [[line] for line in unit]
            )
        ]
    pages: list[list[str]] = [[]]
    used, budget = 0, first

    def turn_page(heading: list[str]) -> None:
        nonlocal used, budget
        pages.append([title, *heading])  # a heading goes with what it heads
        numbered = f"{title} · 00/00"  # as wide as the title will be, once it has its number
        used = sum(_wrapped(plain(line), columns) for line in [numbered, *heading])
        budget = rest

    queue = list(reversed(units))
    while queue:
        unit = queue.pop()
        size = sum(_wrapped(plain(line), columns) for line in unit)
        if len(unit) > 1 and used + size > budget and not "".join(pages[-1][1:]).strip():
            queue.extend(reversed([[line] for line in unit]))  # a page is never left empty
            continue
        if size > rest and len(unit) == 1 and pages[-1] and not _MARKUP.search(unit[0]):
            left, continued = html.unescape(unit[0]), False
            while left:  # plain words longer than a page: they go on over the next pages
                if used >= budget:
                    turn_page([])
                shown = ("…" if continued else "") + left
                rows = screen_rows(shown, columns)
                piece = join_rows(rows[: budget - used])
                pages[-1].append(html.escape(piece, quote=False))
                used += min(len(rows), budget - used)
                left, continued = shown[len(piece) :], True
            continue
        if pages[-1] and used + size > budget and size <= budget:
            heading = [pages[-1].pop()] if len(unit) == 1 and _HEADING.match(pages[-1][-1]) else []
            turn_page(heading)
        if not pages[-1][1:] and not "".join(unit).strip() and len(pages) > 1:
            continue  # a blank line is not carried to the top of a page
        pages[-1].extend(unit)
        used += size
    if len(pages) > 1:
        count = len(pages)
        for number, page in enumerate(pages[1:], start=2):
            page[0] = f"{title} · {number}/{count}"
    return ["\n".join(page) for page in pages]
