"""Exports hold every record and read back in the tools people use."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from datetime import timedelta
from html.parser import HTMLParser
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlmodel import Session, func, select

from bot.cli import main
from bot.domain import Role
from bot.export import records
from bot.storage.models import (
    Account,
    Contact,
    Debrief,
    FlowSession,
    SpinItem,
    Team,
    TranscriptLine,
    User,
    Visit,
)
from tests.conftest import START
from tests.engine.chat import Chat, add_user, play
from tests.engine.scripts import SCRIPTS


@pytest.fixture
def recorded(rep_en: Chat, database, team_id, make_engine_for, sqlite_url, monkeypatch):
    prep, debrief = SCRIPTS["en"]
    play(rep_en, prep + debrief)
    manager = Chat(
        make_engine_for(),
        add_user(database, team_id, name="Max", language="en", role=Role.MANAGER),
    )
    play(
        manager,
        [
            ("cmd", "review"),
            ("say", "alice"),
            ("tap", "Huadong"),
            ("tap", "Comment"),
            ("say", "Ask a need-payoff question next time"),
        ],
    )
    monkeypatch.setenv("SALESCOACH_DATABASE_URL", sqlite_url)
    monkeypatch.setenv("SALESCOACH_DEFAULT_LANGUAGE", "en")
    return database


def export(tmp_path: Path, *args: str) -> bytes:
    out = tmp_path / "out"
    assert main(["export", *args, "--out", str(out)]) == 0
    return out.read_bytes()


def test_the_json_export_holds_every_field_and_the_transcripts(recorded, tmp_path) -> None:
    document = json.loads(export(tmp_path, "--format", "json"))
    assert (document["format"], document["version"]) == ("salescoach.records", 1)
    [visit] = document["visits"]
    assert visit["account"]["name"] == "Huadong Heavy Truck"
    assert visit["rep"]["name"] == "alice" and visit["team"] == "East"
    assert visit["planned_at"] == "2026-11-25T07:00:00+00:00"
    assert visit["debrief"]["outcome"] == "advance"
    assert visit["debrief"]["next_step_due"] == "2026-12-02"
    assert visit["objective"]["best"] == "Agrees to a site visit next week"
    assert [p["name"] for p in visit["attendees"]] == [
        "Wang Gong",
        "Zhao Zong",
        "Liu Jingli",
        "Chen Shifu",
    ]
    assert visit["attendees"][0]["debrief"]["stance"] == "coach"
    answered = [item for item in visit["spin_items"] if item["answer"]]
    assert answered[0]["answer"] == "Grow <b>30%</b> & cut fuel cost *_[now]_*"
    assert visit["score"]["points"] == 10 and visit["score"]["maximum"] == 12
    assert (
        visit["flags"] == ["no_need_payoff", "blockers_active"]
        or "no_need_payoff" in visit["flags"]
    )
    assert visit["comments"][0]["text"] == "Ask a need-payoff question next time"
    with Session(recorded) as session:
        lines = session.exec(
            select(func.count())
            .select_from(TranscriptLine)
            .join(FlowSession, FlowSession.id == TranscriptLine.session_id)
            .where(FlowSession.visit_id == visit["visit_id"])
        ).one()
        items = session.exec(select(func.count()).select_from(SpinItem)).one()
    assert sum(len(t["lines"]) for t in visit["transcripts"]) == lines > 100
    assert [t["flow"] for t in visit["transcripts"]] == ["prep", "debrief"]
    assert len(visit["spin_items"]) == items


def test_json_round_trips_to_the_same_records(recorded, tmp_path, playbooks) -> None:
    document = json.loads(export(tmp_path, "--format", "json"))
    with Session(recorded) as session:
        direct = records(session=session, playbooks=playbooks)
    assert document["visits"] == json.loads(json.dumps(direct, ensure_ascii=False))


def test_the_csv_export_opens_as_one_row_per_visit(recorded, tmp_path) -> None:
    rows = list(csv.DictReader(io.StringIO(export(tmp_path, "--format", "csv").decode("utf-8"))))
    [row] = rows
    assert row["account"] == "Huadong Heavy Truck" and row["outcome"] == "advance"
    assert (row["questions_asked"], row["implication_asked"], row["score"]) == ("3", "1", "10")
    assert row["next_step"] == "Site visit to the Wuxi plant" and row["comments"] == "1"
    assert row["corrections"] == "", "nothing corrected"


def test_the_xlsx_export_opens_in_a_spreadsheet_reader(recorded, tmp_path) -> None:
    book = load_workbook(io.BytesIO(export(tmp_path, "--format", "xlsx")))
    assert book.sheetnames == ["visits", "questions", "attendees"]
    header, row = list(book["visits"].values)
    record = dict(zip(header, row, strict=True))
    assert record["account"] == "Huadong Heavy Truck" and record["score"] == 10
    with Session(recorded) as session:
        questions = session.exec(select(func.count()).select_from(SpinItem)).one()
    assert len(list(book["questions"].values)) == 1 + questions
    assert len(list(book["attendees"].values)) == 1 + 4


class _Page(HTMLParser):
    VOID = frozenset({"meta", "br", "link", "img", "hr", "input"})

    def __init__(self) -> None:
        super().__init__()
        self.open: list[str] = []
        self.tags: set[str] = set()
        self.sections = 0
        self.text: list[str] = []
        self.errors: list[str] = []

    def handle_starttag(self, tag, attrs) -> None:
        self.sections += tag == "section"
        self.tags.add(tag)
        if tag not in self.VOID:
            self.open.append(tag)

    def handle_endtag(self, tag) -> None:
        if not self.open or self.open.pop() != tag:
            self.errors.append(tag)

    def handle_data(self, data) -> None:
        self.text.append(data)


def test_the_html_report_is_well_formed_with_one_section_per_visit(recorded, tmp_path) -> None:
    html = export(tmp_path, "--format", "html").decode("utf-8")
    page = _Page()
    page.feed(html)
    assert page.errors == [] and page.open == []
    assert page.sections == 1
    text = "".join(page.text)
    assert "Huadong Heavy Truck" in text and "Score: 10/12" in text
    assert "Grow <b>30%</b> & cut fuel cost" in text, "user text shown, not interpreted"
    assert "<b>30%</b>" not in html.replace("&lt;b&gt;30%&lt;/b&gt;", "")
    assert "Ask a need-payoff question next time" in text
    assert "@media print" in html


def test_filters_narrow_the_export(recorded, tmp_path) -> None:
    def count(*args: str) -> int:
        return len(json.loads(export(tmp_path, "--format", "json", *args))["visits"])

    assert count("--rep", "alice") == 1
    assert count("--rep", "bob") == 0
    assert count("--team", "West") == 0
    assert count("--since", "2026-11-25") == 1
    assert count("--since", "2026-11-26") == 0
    assert main(["export", "--since", "yesterday"]) == 2


def test_a_reps_scoped_export_never_holds_another_reps_records(
    recorded, playbooks, team_id
) -> None:
    bob_id = add_user(recorded, team_id, name="bob", language="en")
    with Session(recorded) as session:
        bob = session.get(User, bob_id)
        alice = session.exec(select(User).where(User.handle == "alice")).one()
        manager = session.exec(select(User).where(User.handle == "Max")).one()
        assert records(session=session, playbooks=playbooks, viewer=bob) == []
        assert len(records(session=session, playbooks=playbooks, viewer=alice)) == 1
        assert len(records(session=session, playbooks=playbooks, viewer=manager)) == 1


def test_a_manager_gets_the_export_as_a_file_in_the_chat(recorded, make_engine_for) -> None:
    with Session(recorded) as session:
        manager_id = session.exec(select(User).where(User.handle == "Max")).one().id
    manager = Chat(make_engine_for(), manager_id)
    manager.command("export")
    manager.tap("Excel")
    [attachment] = [a for reply in manager.last for a in reply.attachments]
    assert attachment.filename.startswith("salescoach-") and attachment.filename.endswith(".xlsx")
    book = load_workbook(io.BytesIO(attachment.content))
    assert len(list(book["visits"].values)) == 2
    assert "1 visit exported" in manager.text


def test_a_rep_cannot_export(recorded, rep_en) -> None:
    rep_en.command("export")
    assert "/export is for managers" in rep_en.text
    assert not [a for reply in rep_en.last for a in reply.attachments]


# What a rep, a customer or a Telegram profile can put in a cell, each OWASP trigger.
HOSTILE_CONTACT = "\rWang Gong"
HOSTILE_ROW = {
    "rep": "=cmd|' /C calc'!A0",
    "account": '=HYPERLINK("http://x","click")',
    "team": "@East",
    "objective_best": "+1 site visit next week",
    "objective_minimum": "\tSends us the selection criteria",
    "next_step": "-5 units on trial",
    "attendees": f"{HOSTILE_CONTACT}; Zhao Zong; Liu Jingli; Chen Shifu",
}
HOSTILE_ANSWERS = ("=1+1", "+1+1", "-5 units", "@SUM(A1:A2)", "\tindented", "\rreturned")
HOSTILE_TITLE = "<script>alert(1)</script>"


@pytest.fixture
def hostile(recorded):
    """The recorded visit, its names and answers replaced by text that looks like formulas."""
    with Session(recorded) as session:
        rep = session.exec(select(User).where(User.handle == "alice")).one()
        rep.display_name = HOSTILE_ROW["rep"]
        session.exec(select(Account)).one().name = HOSTILE_ROW["account"]
        session.exec(select(Team)).one().name = HOSTILE_ROW["team"]
        visit = session.exec(select(Visit)).one()
        visit.objective_best = HOSTILE_ROW["objective_best"]
        visit.objective_minimum = HOSTILE_ROW["objective_minimum"]
        session.exec(select(Debrief)).one().next_step = HOSTILE_ROW["next_step"]
        wang = session.exec(select(Contact).where(Contact.name == "Wang Gong")).one()
        wang.name, wang.title = HOSTILE_CONTACT, HOSTILE_TITLE
        items = session.exec(select(SpinItem).order_by(SpinItem.position)).all()
        for item, answer in zip(items, HOSTILE_ANSWERS, strict=False):
            item.answer = answer
        session.commit()
    return recorded


def assert_csv_is_inert(data: bytes) -> None:
    """Every hostile text is there behind a leading quote; numbers are untouched."""
    [row] = list(csv.DictReader(io.StringIO(data.decode("utf-8"))))
    assert {column: row[column] for column in HOSTILE_ROW} == {
        column: f"'{value}" for column, value in HOSTILE_ROW.items()
    }
    assert (row["score"], row["score_maximum"], row["comments"]) == ("10", "12", "1")
    assert row["outcome"] == "advance", "text that does not start like a formula is as typed"


def assert_xlsx_is_inert(data: bytes) -> None:
    """No formula cell anywhere; every hostile text reads back as a string, as typed."""
    book = load_workbook(io.BytesIO(data))
    cells = [cell for sheet in book for row in sheet.iter_rows() for cell in row]
    assert [cell.coordinate for cell in cells if cell.data_type == "f"] == []
    texts = {cell.value: cell for cell in cells if isinstance(cell.value, str)}
    visits_row = [value for column, value in HOSTILE_ROW.items() if column != "attendees"]
    for value in [*visits_row, *HOSTILE_ANSWERS, HOSTILE_CONTACT]:
        typed = value.replace("\r", "\n")  # XML reads a carriage return as a line feed
        assert typed in texts, value
        assert texts[typed].data_type == "s" and texts[typed].quotePrefix, value
    assert texts[HOSTILE_TITLE].data_type == "s"
    header, row = list(book["visits"].values)
    assert dict(zip(header, row, strict=True))["score"] == 10, "a number stays a number"


def test_csv_cells_that_start_like_a_formula_are_neutralised(hostile, tmp_path) -> None:
    assert_csv_is_inert(export(tmp_path, "--format", "csv"))


def test_xlsx_has_no_formula_cells_and_keeps_hostile_values_readable(hostile, tmp_path) -> None:
    assert_xlsx_is_inert(export(tmp_path, "--format", "xlsx"))


def test_the_json_export_keeps_hostile_values_verbatim(hostile, tmp_path) -> None:
    [visit] = json.loads(export(tmp_path, "--format", "json"))["visits"]
    assert (visit["rep"]["name"], visit["account"]["name"]) == (
        HOSTILE_ROW["rep"],
        HOSTILE_ROW["account"],
    )
    answers = [item["answer"] for item in visit["spin_items"]][: len(HOSTILE_ANSWERS)]
    assert answers == list(HOSTILE_ANSWERS)


def test_the_html_report_shows_hostile_values_as_inert_text(hostile, tmp_path) -> None:
    html = export(tmp_path, "--format", "html").decode("utf-8")
    page = _Page()
    page.feed(html)
    assert page.errors == [] and page.open == []
    assert "script" not in page.tags and "a" not in page.tags
    text = "".join(page.text)
    assert HOSTILE_TITLE in text and HOSTILE_ROW["account"] in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_the_console_script_exports_inert_csv_and_xlsx(hostile, sqlite_url, tmp_path) -> None:
    script = Path(sys.executable).with_name("salescoach")
    environment = {
        **os.environ,
        "SALESCOACH_DATABASE_URL": sqlite_url,
        "SALESCOACH_DEFAULT_LANGUAGE": "en",
    }
    for kind, check in (("csv", assert_csv_is_inert), ("xlsx", assert_xlsx_is_inert)):
        out = tmp_path / f"records.{kind}"
        result = subprocess.run(
            [str(script), "export", "--format", kind, "--out", str(out)],
            capture_output=True,
            text=True,
            env=environment,
            check=False,
        )
        assert result.returncode == 0, result.stderr
        check(out.read_bytes())


def test_a_managers_export_in_the_chat_is_inert_too(hostile, make_engine_for) -> None:
    with Session(hostile) as session:
        manager_id = session.exec(select(User).where(User.handle == "Max")).one().id
    for label, check in (("CSV", assert_csv_is_inert), ("Excel", assert_xlsx_is_inert)):
        manager = Chat(make_engine_for(), manager_id)
        manager.command("export")
        manager.tap(label)
        [attachment] = [a for reply in manager.last for a in reply.attachments]
        check(attachment.content)


def test_an_answer_with_a_control_character_still_exports_to_xlsx(recorded, tmp_path) -> None:
    """XML cannot hold \\x07 and the like: it becomes U+FFFD instead of failing the export."""
    with Session(recorded) as session:
        item = session.exec(select(SpinItem).order_by(SpinItem.position)).first()
        item.answer = "beep\x07 and \x00null"
        session.commit()
    book = load_workbook(io.BytesIO(export(tmp_path, "--format", "xlsx")))
    texts = {cell.value for sheet in book for row in sheet.iter_rows() for cell in row}
    assert "beep\ufffd and \ufffdnull" in texts


def test_the_json_export_carries_the_accounts_sales_stage_move_with_its_milestone(
    recorded, tmp_path
) -> None:
    [visit] = json.loads(export(tmp_path, "--format", "json"))["visits"]
    assert visit["account"]["sales_stage"] == "bidding"
    sales = [move for move in visit["stage_changes"] if move["subject"] == "sales"]
    assert [(m["contact_id"], m["from_stage"], m["to_stage"], m["evidence"]) for m in sales] == [
        (
            None,
            "proposal",
            "bidding",
            "A compliant bid is submitted, or direct negotiation is opened.",
        )
    ]


def test_the_managers_record_names_the_sales_stage_move(recorded, make_engine_for) -> None:
    with Session(recorded) as session:
        max_id = session.exec(select(User.id).where(User.handle == "Max")).one()
    manager = Chat(make_engine_for(), max_id)
    play(manager, [("cmd", "review"), ("say", "alice"), ("tap", "Huadong")])
    assert "📈 Sales stage: Proposal → Bidding (A compliant bid is submitted" in manager.text


TYPED_CORRECTION = '=HYPERLINK("http://x.example","<b>budget</b>")'
CORRECTIONS_CELL = (
    "outcome: advance → continuation (alice, 2026-11-25 01:30 UTC); "
    "objective_met: best → neither (alice, 2026-11-25 01:30 UTC); "
    f"summary: Good meeting 😀 → {TYPED_CORRECTION} (alice, 2026-11-25 01:30 UTC)"
)


@pytest.fixture
def corrected(recorded, rep_en: Chat, clock):
    """The recorded visit corrected a day later: a continuation, and a summary typed like a
    formula."""
    clock.now = START + timedelta(days=1)
    play(
        rep_en,
        [
            ("cmd", "correct"),
            ("tap", "Huadong"),
            ("tap", "Outcome"),
            ("tap", "Continuation"),
            ("tap", "Summary"),
            ("say", TYPED_CORRECTION),
            ("tap", "Save"),
        ],
    )
    assert "Corrected: Huadong Heavy Truck" in rep_en.text
    return recorded


def test_the_csv_export_marks_each_correction_with_who_and_when(corrected, tmp_path) -> None:
    [row] = list(csv.DictReader(io.StringIO(export(tmp_path, "--format", "csv").decode("utf-8"))))
    assert (row["outcome"], row["objective_met"]) == ("continuation", "neither"), "as now"
    assert row["corrections"] == CORRECTIONS_CELL, "a typed formula inside stays inert text"


def test_the_xlsx_export_marks_each_correction_in_a_text_cell(corrected, tmp_path) -> None:
    book = load_workbook(io.BytesIO(export(tmp_path, "--format", "xlsx")))
    header, row = book["visits"].iter_rows(max_row=2)
    cell = dict(zip((c.value for c in header), row, strict=True))["corrections"]
    assert (cell.value, cell.data_type) == (CORRECTIONS_CELL, "s")


def test_the_html_report_marks_each_correction_under_the_debrief(corrected, tmp_path) -> None:
    html = export(tmp_path, "--format", "html").decode("utf-8")
    page = _Page()
    page.feed(html)
    assert page.errors == [] and page.open == []
    text = "".join(page.text)
    outcome = text.index("Outcome: Continuation · not what was planned")
    lines = [line for line in text[outcome:].splitlines() if line.startswith("✏️")]
    assert lines == [
        "✏️ Outcome: Advance → Continuation (corrected by alice, 2026-11-25 01:30 UTC)",
        "✏️ Against the plan: 🎯 the best planned → not what was planned"
        " (corrected by alice, 2026-11-25 01:30 UTC)",
        f"✏️ Summary: Good meeting 😀 → {TYPED_CORRECTION} (corrected by alice,"
        " 2026-11-25 01:30 UTC)",
    ]
    assert "<b>budget</b>" not in html, "typed markup shown, not interpreted"


def test_an_uncorrected_visit_has_no_correction_marks(recorded, tmp_path) -> None:
    html = export(tmp_path, "--format", "html").decode("utf-8")
    assert "corrected by" not in html and '<p class="muted">✏️' not in html
