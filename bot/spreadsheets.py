"""Call records as spreadsheets: CSV and XLSX, safe to open in Excel, LibreOffice or Sheets.

These are the formats where what a rep or a customer typed could run: a spreadsheet evaluates
a cell that starts like a formula. So the row layout and the neutralising live together here,
apart from the stable JSON and the printable report, and every cell goes through them.
openpyxl is imported only inside `to_xlsx`, so only a process that writes a workbook loads it.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

CSV_COLUMNS = (
    "visit_id", "team", "rep", "account", "planned_at", "status", "outcome",
    "objective_best", "objective_minimum", "objective_met", "questions_planned", "questions_asked",
    "situation_asked", "problem_asked", "implication_asked", "need_payoff_asked",
    "attendees", "score", "score_maximum", "flags", "next_step", "next_step_due", "comments",
    "corrections",
)  # fmt: skip
QUESTION_COLUMNS = (
    "visit_id", "position", "type", "typed_by", "read_type", "question", "planned", "asked",
    "answer",
)  # fmt: skip
ATTENDEE_COLUMNS = (
    "visit_id", "name", "title", "role_before", "stance_before", "role_after", "stance_after",
    "attended",
)  # fmt: skip
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")  # OWASP's CSV injection list


def _row(record: dict[str, Any]) -> dict[str, Any]:
    """A visit's figures, one value per column of CSV_COLUMNS, for filtering and summing."""
    items = record["spin_items"]
    asked = [item for item in items if item["asked"]]
    debrief = record["debrief"] or {}
    return {
        "visit_id": record["visit_id"],
        "team": record["team"],
        "rep": record["rep"]["name"],
        "account": record["account"]["name"],
        "planned_at": record["planned_at"],
        "status": record["status"],
        "outcome": debrief.get("outcome"),
        "objective_best": record["objective"]["best"],
        "objective_minimum": record["objective"]["minimum"],
        "objective_met": debrief.get("objective_met"),
        "questions_planned": sum(1 for item in items if item["planned"]),
        "questions_asked": len(asked),
        **{
            f"{kind}_asked": sum(1 for item in asked if item["type"] == kind)
            for kind in ("situation", "problem", "implication", "need_payoff")
        },
        "attendees": "; ".join(person["name"] or "" for person in record["attendees"]),
        "score": (record["score"] or {}).get("points"),
        "score_maximum": (record["score"] or {}).get("maximum"),
        "flags": " ".join(record["flags"]),
        "next_step": debrief.get("next_step"),
        "next_step_due": debrief.get("next_step_due"),
        "comments": len(record["comments"]),
        "corrections": corrections_text(debrief.get("corrections") or []) or None,
    }


def corrections_text(corrections: Sequence[dict[str, Any]]) -> str:
    """The debrief's corrections in one cell, oldest first, as ids and words were stored:
    'outcome: advance → continuation (alice, 2026-11-25 01:30 UTC); …'; empty if none."""
    return "; ".join(
        f"{c['field']}: {c['from'] or '—'} → {c['to'] or '—'}"
        f" ({c['corrected_by']['name']}, {minute_utc(c['corrected_at'])})"
        for c in corrections
    )


def minute_utc(moment: str) -> str:
    """An ISO-8601 time from a record as a person reads it, to the minute, in UTC as said."""
    return datetime.fromisoformat(moment).astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


def _question_rows(record: dict[str, Any]) -> list[list[object]]:
    """A visit's questions, one row each in QUESTION_COLUMNS."""
    return [
        [
            record["visit_id"],
            item["position"],
            item["type"],
            item["typed_by"],
            item["read_type"],
            item["question"],
            item["planned"],
            item["asked"],
            item["answer"],
        ]
        for item in record["spin_items"]
    ]


def _attendee_rows(record: dict[str, Any]) -> list[list[object]]:
    """A visit's people, one row each in ATTENDEE_COLUMNS: role and stance before and after."""
    rows: list[list[object]] = []
    for person in record["attendees"]:
        before, after = person["prep"] or {}, person["debrief"] or {}
        rows.append(
            [
                record["visit_id"],
                person["name"],
                person["title"],
                before.get("buying_role"),
                before.get("stance"),
                after.get("buying_role"),
                after.get("stance"),
                after.get("attended"),
            ]
        )
    return rows


def _formula_like(value: object) -> bool:
    """Text a spreadsheet would run as a formula: what a rep or a customer typed can be hostile."""
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def _csv_cell(value: object) -> object:
    """A leading quote makes formula-like text inert (OWASP); numbers stay numbers."""
    return f"'{value}" if _formula_like(value) else value


def _append(sheet: Worksheet, values: Sequence[object]) -> None:
    """Append a row in which every text is a string cell, never a formula or an error value.

    The text is kept as typed, without the CSV's quote, because a string cell is never
    evaluated; formula-like text also gets Excel's quote prefix, so editing the cell keeps it
    text. (XML reads a carriage return back as a line feed, as in any XLSX.) Control characters
    XML cannot hold (a stray \x07 in an answer) become U+FFFD, not a crash.
    """
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE  # loaded already by `to_xlsx`

    sheet.append(
        [ILLEGAL_CHARACTERS_RE.sub("\ufffd", v) if isinstance(v, str) else v for v in values]
    )
    row = sheet.max_row
    for column, value in enumerate(values, start=1):
        if isinstance(value, str):
            cell = sheet.cell(row=row, column=column)
            cell.data_type = "s"
            if _formula_like(value):
                cell.quotePrefix = True


def to_csv(visits: Sequence[dict[str, Any]]) -> str:
    """One row per visit, the figures a spreadsheet user filters and sums.

    Text starting like a formula (`= + - @`, tab, CR) gets a leading `'`, so a spreadsheet
    shows it instead of running it; numbers are written unchanged.
    """
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS)
    writer.writeheader()
    for record in visits:
        writer.writerow({column: _csv_cell(value) for column, value in _row(record).items()})
    return buffer.getvalue()


def to_xlsx(visits: Sequence[dict[str, Any]]) -> bytes:
    """A workbook: visits, then questions, then attendees, one sheet each.

    Every text is a string cell holding what was typed, never a formula (see `_append`).
    openpyxl is imported here, so only a process that writes a workbook loads it.
    """
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "visits"
    _append(sheet, CSV_COLUMNS)
    for record in visits:
        row = _row(record)
        _append(sheet, [row[column] for column in CSV_COLUMNS])
    questions = book.create_sheet("questions")
    _append(questions, QUESTION_COLUMNS)
    people = book.create_sheet("attendees")
    _append(people, ATTENDEE_COLUMNS)
    for record in visits:
        for values in _question_rows(record):
            _append(questions, values)
        for values in _attendee_rows(record):
            _append(people, values)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
