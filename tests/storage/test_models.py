"""The data model stores what the product needs and gives it back unchanged, on both databases."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest
import sqlalchemy as sa
from sqlmodel import Session, SQLModel, select

from bot.domain import (
    DebriefField,
    FlowStatus,
    ObjectiveMet,
    Outcome,
    ReminderKind,
    Role,
    SnapshotPhase,
    Speaker,
    SpinType,
    StageSubject,
    VisitStatus,
)
from bot.storage.db import make_engine
from bot.storage.models import (
    Account,
    AccountCompetitor,
    AccountCriterion,
    AccountPlanEntry,
    CoachingComment,
    CodeAttempt,
    Contact,
    DailyRun,
    Debrief,
    DebriefCorrection,
    DebriefRisk,
    FlowSession,
    FlowState,
    Invitation,
    OutboxMessage,
    ProcessedEvent,
    Reminder,
    SpinItem,
    StageChange,
    StakeholderSnapshot,
    Team,
    TranscriptLine,
    User,
    Visit,
    VisitProblem,
)

BEIJING = timezone(timedelta(hours=8))
PLANNED = datetime(2026, 11, 24, 10, 30, tzinfo=BEIJING)
TRICKY_TEXT = "王总 <b>说</b> *_[价格]_* 😀 & 'quotes' \"double\""


@pytest.fixture
def engine(db_url: str) -> sa.Engine:
    engine = make_engine(db_url)
    yield engine
    engine.dispose()


def build_call_record(session: Session) -> dict[str, SQLModel]:
    """One of everything, linked the way a prepared and debriefed visit links them."""
    team = Team(name="华东大客户部")
    session.add(team)
    session.flush()
    manager = User(
        telegram_id=9_000_000_001,
        display_name="Li Na",
        language="en",
        role=Role.MANAGER,
        team_id=team.id,
    )
    rep = User(
        telegram_id=8_123_456_789,
        display_name="张伟",
        language="zh",
        timezone="Asia/Shanghai",
        role=Role.REP,
        team_id=team.id,
        handle="zhangwei",
    )
    session.add_all([manager, rep])
    session.flush()
    invitation = Invitation(
        code_hash="9" * 64,
        team_id=team.id,
        role=Role.REP,
        created_by_id=manager.id,
        expires_at=PLANNED + timedelta(days=7),
        used_by_id=rep.id,
        used_at=PLANNED,
    )
    account = Account(
        team_id=team.id,
        name="上海重卡集团",
        tier="core",
        lifecycle_stage="stable",
        sales_stage="proposal",
        owner_id=rep.id,
        notes=TRICKY_TEXT,
    )
    session.add_all([invitation, account])
    session.flush()
    contact = Contact(
        account_id=account.id,
        name="王总工",
        title="技术部总工程师",
        buying_role="technical_evaluator",
        stance="neutral",
        influence="high",
        relationship_stage="familiar",
        personal_wins="想在集团内做出标杆项目",
        notes="x" * 10_000,
    )
    session.add(contact)
    session.flush()
    visit = Visit(
        account_id=account.id,
        rep_id=rep.id,
        team_id=rep.team_id,
        planned_at=PLANNED,
        objective_best="王总工同意安排样板工程参观",
        objective_minimum="拿到技术选型标准文件",
        status=VisitStatus.DONE,
    )
    session.add(visit)
    session.flush()
    debrief = Debrief(
        visit_id=visit.id,
        rep_id=visit.rep_id,
        team_id=visit.team_id,
        outcome=Outcome.ADVANCE,
        objective_met=ObjectiveMet.MINIMUM,
        summary="参观定在下周三",
        implied_needs="油耗偏高",
        explicit_needs="需要吨公里油耗低于0.7元",
        next_step="安排样板工程参观",
        next_step_due=date(2026, 12, 2),
    )
    item = SpinItem(
        visit_id=visit.id,
        position=2,
        spin_type=SpinType.IMPLICATION,
        question="停机一次影响多少订单？",
        bank_question_id="i_downtime_orders",
        planned=True,
        asked=True,
        answer=TRICKY_TEXT,
        contact_id=contact.id,
    )
    snapshot = StakeholderSnapshot(
        visit_id=visit.id,
        contact_id=contact.id,
        phase=SnapshotPhase.DEBRIEF,
        attended=True,
        buying_role="technical_evaluator",
        stance="supporter",
        influence="high",
        relationship_stage="personal_trust",
    )
    change = StageChange(
        subject=StageSubject.CONTACT,
        account_id=account.id,
        contact_id=contact.id,
        visit_id=visit.id,
        from_stage="familiar",
        to_stage="personal_trust",
        evidence="主动告诉我们竞争对手的报价",
        changed_by_id=rep.id,
        changed_at=PLANNED,
    )
    flow_session = FlowSession(
        user_id=rep.id,
        flow="debrief",
        visit_id=visit.id,
        status=FlowStatus.DONE,
        started_at=PLANNED,
        finished_at=PLANNED + timedelta(minutes=6),
    )
    session.add_all([debrief, item, snapshot, change, flow_session])
    session.flush()
    line = TranscriptLine(
        session_id=flow_session.id,
        seq=1,
        speaker=Speaker.USER,
        text=TRICKY_TEXT * 300,
        created_at=PLANNED,
    )
    state = FlowState(
        user_id=rep.id,
        session_id=flow_session.id,
        flow="prep",
        step="objective",
        data={"account_id": account.id, "attendees": [contact.id], "note": "王总 😀"},
        version=7,
        updated_at=PLANNED,
    )
    comment = CoachingComment(
        visit_id=visit.id,
        author_id=manager.id,
        text="暗示问题问得好，下次试试需求效益问题。",
    )
    reminder = Reminder(
        user_id=rep.id,
        kind=ReminderKind.NEXT_STEP,
        due_at=PLANNED + timedelta(days=8),
        visit_id=visit.id,
        payload={"next_step": "安排样板工程参观"},
    )
    processed = ProcessedEvent(user_id=rep.id, event_id="telegram:912345678")
    attempt = CodeAttempt(telegram_id=9_000_000_002, attempted_at=PLANNED)
    queued = OutboxMessage(
        user_id=rep.id,
        address={"chat_id": 912345678, "edit_message_id": None},
        replies=[{"text": "<b>已保存</b> ✔", "buttons": [[["完成", "3.d"]]], "edit": False}],
        created_at=PLANNED,
        claimed_by="host:1",
        claimed_at=PLANNED,
    )
    correction = DebriefCorrection(
        debrief_id=debrief.id,
        field=DebriefField.EXPLICIT_NEEDS,
        old_value=None,
        new_value=TRICKY_TEXT,
        corrected_by_id=rep.id,
        corrected_at=PLANNED + timedelta(days=1),
    )
    problem = VisitProblem(visit_id=visit.id, position=0, text=TRICKY_TEXT)
    ran = DailyRun(job="nudges", day=date(2026, 12, 4), ran_at=PLANNED)
    plan = AccountPlanEntry(
        account_id=account.id, view_id="risks", text=TRICKY_TEXT, updated_by_id=rep.id
    )
    rival = AccountCompetitor(account_id=account.id, name="三一重工 <b>&</b>")
    criterion = AccountCriterion(account_id=account.id, criterion_id="delivery", visit_id=visit.id)
    risk = DebriefRisk(debrief_id=debrief.id, risk_id="contact_turnover")
    session.add_all([line, state, comment, reminder, processed, attempt, queued, correction])
    session.add_all([problem, ran, plan, rival, criterion, risk])
    session.commit()
    return {
        type(row).__name__: row
        for row in (
            team,
            manager,
            invitation,
            account,
            contact,
            visit,
            debrief,
            item,
            snapshot,
            change,
            flow_session,
            line,
            state,
            comment,
            reminder,
            processed,
            attempt,
            queued,
            correction,
            problem,
            ran,
            plan,
            rival,
            criterion,
            risk,
        )
    }


def test_every_model_round_trips_field_by_field(engine: sa.Engine) -> None:
    with Session(engine, expire_on_commit=False) as session:
        written = {name: row.model_dump() for name, row in build_call_record(session).items()}
    assert set(written) == {table.__name__ for table in _all_tables()}
    with Session(engine) as session:
        for name, values in written.items():
            table = next(table for table in _all_tables() if table.__name__ == name)
            key = tuple(values[column.name] for column in table.__table__.primary_key.columns)
            read = session.get(table, key[0] if len(key) == 1 else key)
            assert read is not None, name
            assert read.model_dump() == values, name


def test_timestamps_come_back_as_the_same_instant_in_utc(engine: sa.Engine) -> None:
    with Session(engine) as session:
        visit_id = build_call_record(session)["Visit"].id
    with Session(engine) as session:
        visit = session.get(Visit, visit_id)
        assert visit.planned_at == PLANNED
        assert visit.planned_at.tzinfo is not None
        assert visit.planned_at.utcoffset() == timedelta(0)
        assert visit.planned_at.hour == 2
        assert visit.created_at.utcoffset() == timedelta(0)


def test_a_naive_datetime_is_refused_rather_than_guessed(engine: sa.Engine) -> None:
    with Session(engine) as session:
        team = Team(name="t", created_at=datetime(2026, 1, 1, 9, 0))
        session.add(team)
        with pytest.raises(sa.exc.StatementError, match="naive datetime"):
            session.commit()


def test_enum_columns_hold_readable_ids_and_refuse_unknown_ones(engine: sa.Engine) -> None:
    with Session(engine) as session:
        build_call_record(session)
    with engine.connect() as connection:
        roles = connection.execute(sa.text("SELECT role FROM users ORDER BY id")).scalars().all()
        outcome = connection.execute(sa.text("SELECT outcome, objective_met FROM debriefs")).one()
    assert roles == ["manager", "rep"]
    assert tuple(outcome) == ("advance", "minimum")
    with Session(engine) as session:
        team_id = session.exec(select(Team.id)).one()
        session.add(User(display_name="x", role="boss", team_id=team_id))  # type: ignore[arg-type]
        with pytest.raises(sa.exc.StatementError):
            session.commit()


def test_account_names_are_unique_within_a_team_but_may_repeat_across_teams(
    engine: sa.Engine,
) -> None:
    with Session(engine) as session:
        east, west = Team(name="East"), Team(name="West")
        session.add_all([east, west])
        session.flush()
        session.add_all(
            [Account(team_id=east.id, name="ACME"), Account(team_id=west.id, name="ACME")]
        )
        session.commit()
        session.add(Account(team_id=east.id, name="ACME"))
        with pytest.raises(sa.exc.IntegrityError):
            session.commit()


def test_a_telegram_account_belongs_to_one_user_only(engine: sa.Engine) -> None:
    with Session(engine) as session:
        team = Team(name="T")
        session.add(team)
        session.flush()
        session.add(User(telegram_id=42, display_name="a", team_id=team.id))
        session.commit()
        session.add(User(telegram_id=42, display_name="b", team_id=team.id))
        with pytest.raises(sa.exc.IntegrityError):
            session.commit()


def test_a_user_has_at_most_one_flow_in_progress(engine: sa.Engine) -> None:
    with Session(engine) as session:
        rep_id = build_call_record(session)["FlowState"].user_id
        session.add(FlowState(user_id=rep_id, flow="debrief", step="outcome"))
        with pytest.raises(sa.exc.IntegrityError):
            session.commit()


def test_references_to_missing_rows_are_refused(engine: sa.Engine) -> None:
    with Session(engine) as session:
        session.add(Contact(account_id=999_999, name="nobody's contact"))
        with pytest.raises(sa.exc.IntegrityError):
            session.commit()


def test_transcript_lines_keep_their_order_within_a_session(engine: sa.Engine) -> None:
    with Session(engine) as session:
        session_id = build_call_record(session)["FlowSession"].id
        session.add(TranscriptLine(session_id=session_id, seq=1, speaker=Speaker.BOT, text="dup"))
        with pytest.raises(sa.exc.IntegrityError):
            session.commit()


@pytest.mark.parametrize(
    ("table", "columns"),
    [
        ("users", ["team_id"]),
        ("accounts", ["team_id"]),
        ("accounts", ["owner_id"]),
        ("contacts", ["account_id"]),
        ("visits", ["rep_id", "planned_at"]),
        ("visits", ["account_id", "planned_at"]),
        ("visits", ["status", "planned_at"]),
        ("spin_items", ["visit_id"]),
        ("stakeholder_snapshots", ["visit_id"]),
        ("stage_changes", ["account_id", "changed_at"]),
        ("flow_sessions", ["user_id", "started_at"]),
        ("coaching_comments", ["visit_id", "created_at"]),
        ("reminders", ["fired_at", "due_at"]),
        ("debriefs", ["next_step_due"]),
    ],
)
def test_what_managers_query_is_indexed(engine: sa.Engine, table: str, columns: list[str]) -> None:
    inspector = sa.inspect(engine)
    indexed = [index["column_names"] for index in inspector.get_indexes(table)]
    indexed += [
        constraint["column_names"] for constraint in inspector.get_unique_constraints(table)
    ]
    assert any(names[: len(columns)] == columns for names in indexed), indexed


def test_a_reps_visit_list_is_served_by_an_index_on_sqlite(sqlite_url: str) -> None:
    engine = make_engine(sqlite_url)
    with engine.connect() as connection:
        plan = connection.execute(
            sa.text(
                "EXPLAIN QUERY PLAN SELECT * FROM visits WHERE rep_id = 1 "
                "AND planned_at >= '2026-01-01' ORDER BY planned_at DESC"
            )
        ).all()
    engine.dispose()
    assert "ix_visits_rep_planned" in " ".join(str(row) for row in plan)


def _all_tables() -> list[type[SQLModel]]:
    return [
        Team,
        User,
        Invitation,
        Account,
        Contact,
        Visit,
        Debrief,
        SpinItem,
        StakeholderSnapshot,
        StageChange,
        FlowSession,
        TranscriptLine,
        FlowState,
        CoachingComment,
        Reminder,
        ProcessedEvent,
        CodeAttempt,
        OutboxMessage,
        DebriefCorrection,
        VisitProblem,
        DailyRun,
        AccountPlanEntry,
        AccountCompetitor,
        AccountCriterion,
        DebriefRisk,
    ]


def test_every_table_in_the_metadata_is_covered_by_the_round_trip() -> None:
    assert {table.__tablename__ for table in _all_tables()} == set(SQLModel.metadata.tables)


def test_utc_is_what_the_clock_default_produces(engine: sa.Engine) -> None:
    with Session(engine) as session:
        team = Team(name="clock")
        session.add(team)
        session.commit()
        assert team.created_at.tzinfo == UTC
