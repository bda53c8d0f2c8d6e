"""Exports of call records: JSON (the stable format), CSV, XLSX and a printable HTML report.

JSON format `salescoach.records` version 1 (documented in the README) holds every field of
every record, transcripts and comments included, with stored ids rather than labels, so it
reads back the same whatever the language. Other formats are views of the same records.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlmodel import Session, col, select

from bot.coaching.record import facts_of
from bot.coaching.rules import feedback
from bot.coaching.score import score
from bot.playbooks.loader import Playbooks
from bot.settings import Language
from bot.storage import scopes
from bot.storage.models import (
    Account,
    CoachingComment,
    Contact,
    Debrief,
    FlowSession,
    SpinItem,
    StageChange,
    StakeholderSnapshot,
    Team,
    TranscriptLine,
    User,
    Visit,
)
from bot.text import Texts

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

FORMAT = "salescoach.records"
VERSION = 1
CSV_COLUMNS = (
    "visit_id", "team", "rep", "account", "planned_at", "status", "outcome",
    "objective_best", "objective_minimum", "questions_planned", "questions_asked",
    "situation_asked", "problem_asked", "implication_asked", "need_payoff_asked",
    "attendees", "score", "score_maximum", "flags", "next_step", "next_step_due", "comments",
)  # fmt: skip
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")  # OWASP's CSV injection list


def _when(value: datetime | date | None) -> str | None:
    return value.isoformat() if value is not None else None


def records(
    *,
    session: Session,
    playbooks: Playbooks,
    viewer: User | None = None,
    team: str | None = None,
    rep: str | None = None,
    since: datetime | None = None,
) -> list[dict[str, Any]]:
    """Every visit matching the filters (and the viewer's scope, when there is a viewer)."""
    query = (
        select(Visit, Account, User, Team)
        .join(Account, col(Account.id) == Visit.account_id)
        .join(User, col(User.id) == Visit.rep_id)
        .join(Team, col(Team.id) == Visit.team_id)
    )
    if viewer is not None:
        query = scopes.scope_visits(query, viewer=viewer)
    if team:
        query = query.where(Team.name == team)
    if rep:
        query = query.where(col(User.display_name) == rep)
    if since:
        query = query.where(col(Visit.planned_at) >= since)
    rows = session.exec(query.order_by(col(Visit.planned_at), col(Visit.id))).all()
    return [_record(session, playbooks, *row) for row in rows]


def record_of(
    *, session: Session, playbooks: Playbooks, visit: Visit, transcripts: bool = True
) -> dict[str, Any]:
    """One visit as an export record; `/review` shows the same record with labels."""
    account = session.get(Account, visit.account_id)
    rep = session.get(User, visit.rep_id)
    assert account is not None and rep is not None
    team = session.get(Team, visit.team_id)
    assert team is not None
    return _record(session, playbooks, visit, account, rep, team, transcripts=transcripts)


def _record(
    session: Session,
    playbooks: Playbooks,
    visit: Visit,
    account: Account,
    rep: User,
    team: Team,
    *,
    transcripts: bool = True,
) -> dict[str, Any]:
    debrief = session.exec(select(Debrief).where(Debrief.visit_id == visit.id)).first()
    facts = facts_of(session=session, visit=visit, debrief=debrief) if debrief else None
    card = score(playbooks.scorecard, facts) if facts else None
    people: dict[int, dict[str, Any]] = {}
    for snapshot in session.exec(
        select(StakeholderSnapshot)
        .where(StakeholderSnapshot.visit_id == visit.id)
        .order_by(col(StakeholderSnapshot.id))
    ).all():
        contact = session.get(Contact, snapshot.contact_id)
        entry = people.setdefault(
            snapshot.contact_id,
            {
                "contact_id": snapshot.contact_id,
                "name": contact.name if contact else None,
                "title": contact.title if contact else None,
                "prep": None,
                "debrief": None,
            },
        )
        entry[snapshot.phase.value] = {
            "buying_role": snapshot.buying_role,
            "stance": snapshot.stance,
            "influence": snapshot.influence,
            "relationship_stage": snapshot.relationship_stage,
            "attended": snapshot.attended,
        }
    sessions = (
        session.exec(
            select(FlowSession)
            .where(FlowSession.visit_id == visit.id)
            .order_by(col(FlowSession.id))
        ).all()
        if transcripts
        else []
    )
    return {
        "visit_id": visit.id,
        "team": team.name,
        "rep": {"id": rep.id, "name": rep.display_name},
        "account": {
            "id": account.id,
            "name": account.name,
            "tier": account.tier,
            "lifecycle_stage": account.lifecycle_stage,
            "sales_stage": account.sales_stage,
        },
        "planned_at": _when(visit.planned_at),
        "status": visit.status.value,
        "objective": {"best": visit.objective_best, "minimum": visit.objective_minimum},
        "attendees": list(people.values()),
        "spin_items": [
            {
                "position": item.position,
                "type": item.spin_type.value,
                "question": item.question,
                "bank_question_id": item.bank_question_id,
                "planned": item.planned,
                "asked": item.asked,
                "answer": item.answer,
                "contact_id": item.contact_id,
            }
            for item in session.exec(
                select(SpinItem)
                .where(SpinItem.visit_id == visit.id)
                .order_by(col(SpinItem.position))
            ).all()
        ],
        "debrief": (
            {
                "outcome": debrief.outcome.value,
                "summary": debrief.summary,
                "implied_needs": debrief.implied_needs,
                "explicit_needs": debrief.explicit_needs,
                "next_step": debrief.next_step,
                "next_step_due": _when(debrief.next_step_due),
                "created_at": _when(debrief.created_at),
            }
            if debrief
            else None
        ),
        "stage_changes": [
            {
                "subject": change.subject.value,
                "contact_id": change.contact_id,
                "from_stage": change.from_stage,
                "to_stage": change.to_stage,
                "evidence": change.evidence,
                "changed_at": _when(change.changed_at),
            }
            for change in session.exec(
                select(StageChange)
                .where(StageChange.visit_id == visit.id)
                .order_by(col(StageChange.id))
            ).all()
        ],
        "score": (
            {
                "points": card.points,
                "maximum": card.maximum,
                "items": [{"id": item.id, "met": met} for item, met in card.lines],
            }
            if card
            else None
        ),
        "flags": [rule.id for rule in feedback(playbooks.coaching, facts) if rule.kind == "gap"]
        if facts
        else [],
        "comments": [
            {
                "author": author.display_name,
                "text": comment.text,
                "created_at": _when(comment.created_at),
            }
            for comment, author in session.exec(
                select(CoachingComment, User)
                .join(User, col(User.id) == CoachingComment.author_id)
                .where(CoachingComment.visit_id == visit.id)
                .order_by(col(CoachingComment.created_at), col(CoachingComment.id))
            ).all()
        ],
        "transcripts": [
            {
                "flow": flow_session.flow,
                "status": flow_session.status.value,
                "started_at": _when(flow_session.started_at),
                "lines": [
                    {
                        "seq": line.seq,
                        "speaker": line.speaker.value,
                        "text": line.text,
                        "at": _when(line.created_at),
                    }
                    for line in session.exec(
                        select(TranscriptLine)
                        .where(TranscriptLine.session_id == flow_session.id)
                        .order_by(col(TranscriptLine.seq))
                    ).all()
                ],
            }
            for flow_session in sessions
        ],
    }


def to_json(visits: Sequence[dict[str, Any]], *, exported_at: datetime) -> str:
    """The stable format: a header and the records, UTF-8, ids not labels."""
    document = {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": exported_at.isoformat(),
        "visits": list(visits),
    }
    return json.dumps(document, ensure_ascii=False, indent=2)


def _row(record: dict[str, Any]) -> dict[str, Any]:
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
    }


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
    _append(questions, ["visit_id", "position", "type", "question", "planned", "asked", "answer"])
    people = book.create_sheet("attendees")
    _append(
        people,
        [
            "visit_id",
            "name",
            "title",
            "role_before",
            "stance_before",
            "role_after",
            "stance_after",
            "attended",
        ],
    )
    for record in visits:
        for item in record["spin_items"]:
            _append(
                questions,
                [
                    record["visit_id"],
                    item["position"],
                    item["type"],
                    item["question"],
                    item["planned"],
                    item["asked"],
                    item["answer"],
                ],
            )
        for person in record["attendees"]:
            before, after = person["prep"] or {}, person["debrief"] or {}
            _append(
                people,
                [
                    record["visit_id"],
                    person["name"],
                    person["title"],
                    before.get("buying_role"),
                    before.get("stance"),
                    after.get("buying_role"),
                    after.get("stance"),
                    after.get("attended"),
                ],
            )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def to_html(
    visits: Sequence[dict[str, Any]],
    *,
    texts: Texts,
    language: Language,
    playbooks: Playbooks,
    exported_at: datetime,
) -> str:
    """A printable report, one visit per section, rendered with Jinja2."""
    labels = {
        "types": {guide.id.value: guide.name.get(language) for guide in playbooks.spin.types},
        "roles": {role.id: role.name.get(language) for role in playbooks.decision_unit.roles},
        "stances": {s.id: s.name.get(language) for s in playbooks.decision_unit.stances},
        "items": {item.id: item.label.get(language) for item in playbooks.scorecard.items},
        "flags": {rule.id: rule.title.get(language) for rule in playbooks.coaching.rules},
        "outcomes": {
            o: texts.label(f"outcome_{o}", language)
            for o in ("advance", "continuation", "order", "no_sale")
        },
    }
    return texts.render(
        "export/report",
        language,
        visits=visits,
        labels=labels,
        exported_at=exported_at.strftime("%Y-%m-%d %H:%M UTC"),
    )


def render(
    visits: Sequence[dict[str, Any]],
    kind: str,
    *,
    texts: Texts,
    language: Language,
    playbooks: Playbooks,
    exported_at: datetime,
) -> bytes:
    """The file for `kind` (json, csv, xlsx or html), as bytes ready to write or send."""
    content: str | bytes
    if kind == "csv":
        content = to_csv(visits)
    elif kind == "xlsx":
        content = to_xlsx(visits)
    elif kind == "html":
        content = to_html(
            visits, texts=texts, language=language, playbooks=playbooks, exported_at=exported_at
        )
    else:
        content = to_json(visits, exported_at=exported_at)
    return content.encode("utf-8") if isinstance(content, str) else content
