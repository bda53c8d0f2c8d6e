"""Schema changes go through migrations, and the migrations match the models exactly."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from alembic import command
from sqlmodel import Session, SQLModel

from bot import access, records
from bot.coaching.record import facts_of
from bot.domain import ObjectiveMet, Outcome, TypedBy
from bot.errors import UserError
from bot.settings import load_settings
from bot.startup import prepare
from bot.storage import db
from bot.storage.drafts import CorrectionDraft
from bot.storage.models import Debrief, Invitation, SpinItem, User, Visit


def _tables(url: str) -> set[str]:
    engine = db.make_engine(url)
    try:
        return set(sa.inspect(engine).get_table_names()) - {"alembic_version"}
    finally:
        engine.dispose()


def test_upgrade_builds_every_table_in_an_empty_database(empty_db_url: str) -> None:
    assert db.current_revision(empty_db_url) is None
    db.upgrade(empty_db_url)
    assert db.current_revision(empty_db_url) == db.head_revision()
    assert _tables(empty_db_url) == set(SQLModel.metadata.tables)


def test_models_and_migrations_have_not_drifted_apart(db_url: str) -> None:
    """`alembic check` raises if autogenerate would produce any operation."""
    command.check(db.alembic_config(db_url))


def test_every_migration_downgrades_to_empty_and_upgrades_again(db_url: str) -> None:
    db.downgrade(db_url, "base")
    assert db.current_revision(db_url) is None
    assert _tables(db_url) == set()
    db.upgrade(db_url)
    assert db.current_revision(db_url) == db.head_revision()


def test_upgrading_twice_changes_nothing(db_url: str) -> None:
    db.upgrade(db_url)
    assert db.current_revision(db_url) == db.head_revision()


def test_the_embedded_sqlite_database_is_created_and_upgraded_on_start(
    sqlite_empty_url: str,
) -> None:
    settings = load_settings(database_url=sqlite_empty_url)
    prepare(settings)
    assert db.current_revision(sqlite_empty_url) == db.head_revision()


def test_postgresql_is_left_to_db_upgrade_so_workers_never_race_to_migrate(
    pg_empty_url: str,
) -> None:
    settings = load_settings(database_url=pg_empty_url)
    prepare(settings)
    assert db.current_revision(pg_empty_url) is None


def test_a_sqlite_path_in_a_new_directory_is_created(tmp_path) -> None:
    url = f"sqlite:///{tmp_path / 'data' / 'deep' / 'coach.db'}"
    db.upgrade(url)
    assert (tmp_path / "data" / "deep" / "coach.db").is_file()


# Team East, its rep Amy (7), her account ACME (3) and a visit there (5): rows an old schema had.
AMY_AT_ACME = (
    "INSERT INTO teams (id, name, created_at) VALUES (1, 'East', '2026-11-01')",
    "INSERT INTO users (id, display_name, language, role, team_id, is_active, created_at)"
    " VALUES (7, 'Amy', 'en', 'rep', 1, true, '2026-11-01')",
    "INSERT INTO accounts (id, team_id, name, created_at, updated_at)"
    " VALUES (3, 1, 'ACME', '2026-11-01', '2026-11-01')",
    "INSERT INTO visits (id, account_id, rep_id, status, created_at, updated_at)"
    " VALUES (5, 3, 7, 'done', '2026-11-02', '2026-11-02')",
)


def _at_revision(url: str, revision: str, *statements: str) -> None:
    """Migrate an empty database to `revision` and write rows as that schema had them."""
    db.upgrade(url, revision)
    engine = db.make_engine(url)
    try:
        with engine.begin() as connection:
            for statement in statements:
                connection.execute(sa.text(statement))
    finally:
        engine.dispose()


def test_debriefs_written_before_0005_take_their_visits_rep_and_read_their_facts_live(
    empty_db_url: str, playbooks
) -> None:
    _at_revision(
        empty_db_url,
        "0004",
        *AMY_AT_ACME,
        "INSERT INTO debriefs (id, visit_id, outcome, created_at)"
        " VALUES (9, 5, 'continuation', '2026-11-02')",
    )
    db.upgrade(empty_db_url)
    engine = db.make_engine(empty_db_url)
    try:
        with Session(engine) as session:
            debrief = session.get(Debrief, 9)
            visit = session.get(Visit, 5)
            assert debrief.rep_id == 7 and debrief.facts is None
            facts = facts_of(session=session, visit=visit, debrief=debrief)
            assert facts.outcome == "continuation" and facts.continuations_in_row == 1
    finally:
        engine.dispose()


def test_visits_and_debriefs_made_before_0006_belong_to_their_reps_team_and_old_codes_still_work(
    empty_db_url: str,
) -> None:
    _at_revision(
        empty_db_url,
        "0005",
        *AMY_AT_ACME,
        "INSERT INTO teams (id, name, created_at) VALUES (2, 'West', '2026-11-01')",
        "INSERT INTO users (id, display_name, language, role, team_id, is_active, created_at)"
        " VALUES (8, 'Wu', 'en', 'rep', 2, true, '2026-11-01')",
        "INSERT INTO accounts (id, team_id, name, created_at, updated_at)"
        " VALUES (4, 2, 'Globex', '2026-11-01', '2026-11-01')",
        "INSERT INTO visits (id, account_id, rep_id, status, created_at, updated_at)"
        " VALUES (6, 4, 8, 'planned', '2026-11-02', '2026-11-02')",
        "INSERT INTO debriefs (id, visit_id, rep_id, outcome, created_at)"
        " VALUES (9, 5, 7, 'advance', '2026-11-02')",
        "INSERT INTO invitations (id, code, team_id, role, created_at)"
        " VALUES (1, 'OldUnusedCode', 1, 'rep', '2026-11-01')",
        "INSERT INTO invitations (id, code, team_id, role, created_at, used_by_id, used_at)"
        " VALUES (2, 'OldUsedCode', 1, 'rep', '2026-11-01', 7, '2026-11-01')",
    )
    db.upgrade(empty_db_url)
    engine = db.make_engine(empty_db_url)
    try:
        with Session(engine) as session:
            assert (session.get(Visit, 5).team_id, session.get(Visit, 6).team_id) == (1, 2)
            assert session.get(Debrief, 9).team_id == 1
            unused, used = session.get(Invitation, 1), session.get(Invitation, 2)
            assert used.code_hash == access.code_hash("OldUsedCode")
            assert unused.code_hash == access.code_hash("OldUnusedCode")
            assert unused.expires_at is not None, "a code that never expired now does"
            now = unused.expires_at - timedelta(days=1)
            user = access.redeem(
                session=session,
                code="OldUnusedCode",
                telegram_id=42,
                display_name="Bo",
                language="en",
                now=now,
            )
            assert user.team_id == 1
            with pytest.raises(UserError):
                access.redeem(
                    session=session,
                    code="OldUsedCode",
                    telegram_id=43,
                    display_name="Cy",
                    language="en",
                    now=now,
                )
            session.rollback()
        with engine.connect() as connection:
            stored = connection.execute(sa.text("SELECT * FROM invitations")).mappings().all()
            assert all("OldUnusedCode" not in str(dict(row)) for row in stored)
    finally:
        engine.dispose()


def test_spin_items_written_before_0009_say_the_bank_or_the_rep_gave_their_type(
    empty_db_url: str,
) -> None:
    _at_revision(
        empty_db_url,
        "0008",
        *AMY_AT_ACME[:3],
        "INSERT INTO visits (id, account_id, rep_id, team_id, status, created_at, updated_at)"
        " VALUES (5, 3, 7, 1, 'done', '2026-11-02', '2026-11-02')",
        "INSERT INTO spin_items (id, visit_id, position, spin_type, question, bank_question_id,"
        " planned) VALUES (1, 5, 1, 'situation', 'Goals?', 's_goals', true)",
        "INSERT INTO spin_items (id, visit_id, position, spin_type, question, planned)"
        " VALUES (2, 5, 2, 'implication', 'What does it cost?', true)",
    )
    db.upgrade(empty_db_url)
    engine = db.make_engine(empty_db_url)
    try:
        with Session(engine) as session:
            bank, own = session.get(SpinItem, 1), session.get(SpinItem, 2)
            assert (bank.typed_by, bank.read_type) == (TypedBy.BANK, None)
            assert (own.typed_by, own.read_type) == (TypedBy.REP, None)
    finally:
        engine.dispose()


def test_debriefs_written_before_0010_keep_their_open_next_step_and_say_nobody_marked_it_done(
    empty_db_url: str,
) -> None:
    _at_revision(
        empty_db_url,
        "0009",
        *AMY_AT_ACME[:3],
        "INSERT INTO visits (id, account_id, rep_id, team_id, status, created_at, updated_at)"
        " VALUES (5, 3, 7, 1, 'done', '2026-11-02', '2026-11-02')",
        "INSERT INTO debriefs (id, visit_id, rep_id, team_id, outcome, next_step, next_step_due,"
        " created_at) VALUES (1, 5, 7, 1, 'advance', 'Send the offer', '2026-11-09',"
        " '2026-11-02')",
    )
    db.upgrade(empty_db_url)
    engine = db.make_engine(empty_db_url)
    try:
        with Session(engine) as session:
            debrief = session.get(Debrief, 1)
            assert debrief.next_step == "Send the offer"
            assert (debrief.next_step_done_at, debrief.next_step_done_by) == (None, None)
    finally:
        engine.dispose()


def test_a_debrief_written_before_0011_can_be_corrected_and_0011_rolls_back_cleanly(
    empty_db_url: str,
) -> None:
    _at_revision(
        empty_db_url,
        "0010",
        *AMY_AT_ACME[:3],
        "INSERT INTO visits (id, account_id, rep_id, team_id, status, created_at, updated_at)"
        " VALUES (5, 3, 7, 1, 'done', '2026-11-02', '2026-11-02')",
        "INSERT INTO debriefs (id, visit_id, rep_id, team_id, outcome, created_at)"
        " VALUES (1, 5, 7, 1, 'continuation', '2026-11-02T01:00:00+00:00')",
    )
    db.upgrade(empty_db_url)
    engine = db.make_engine(empty_db_url)
    try:
        with Session(engine) as session:
            amy = session.get(User, 7)
            made = records.correct_debrief(
                session=session,
                draft=CorrectionDraft(visit_id=5, outcome=Outcome.ADVANCE),
                rep=amy,
                now=datetime(2026, 11, 3, tzinfo=UTC),
            )
            session.commit()
            assert [(c.old_value, c.new_value) for c in made] == [("continuation", "advance")]
            assert session.get(Debrief, 1).facts is None, "no saved facts: read live, as before"
    finally:
        engine.dispose()
    db.downgrade(empty_db_url, "0010")
    assert "debrief_corrections" not in _tables(empty_db_url)
    engine = db.make_engine(empty_db_url)
    try:
        with engine.connect() as connection:
            outcome = connection.execute(sa.text("SELECT outcome FROM debriefs WHERE id = 1"))
            assert outcome.scalar_one() == "advance", "the row keeps its value"
    finally:
        engine.dispose()


def test_debriefs_written_before_0013_say_nothing_about_the_objective_rather_than_neither(
    empty_db_url: str,
) -> None:
    _at_revision(
        empty_db_url,
        "0012",
        *AMY_AT_ACME[:3],
        "INSERT INTO visits (id, account_id, rep_id, team_id, status, objective_best,"
        " created_at, updated_at) VALUES (5, 3, 7, 1, 'done', 'A site visit', '2026-11-02',"
        " '2026-11-02')",
        "INSERT INTO debriefs (id, visit_id, rep_id, team_id, outcome, created_at)"
        " VALUES (1, 5, 7, 1, 'advance', '2026-11-02T01:00:00+00:00')",
    )
    db.upgrade(empty_db_url)
    engine = db.make_engine(empty_db_url)
    try:
        with Session(engine) as session:
            debrief = session.get(Debrief, 1)
            assert (debrief.outcome, debrief.objective_met) == (Outcome.ADVANCE, None)
            debrief.objective_met = ObjectiveMet.MINIMUM
            session.add(debrief)
            session.commit()
    finally:
        engine.dispose()
    db.downgrade(empty_db_url, "0012")
    engine = db.make_engine(empty_db_url)
    try:
        with engine.connect() as connection:
            columns = connection.execute(sa.text("SELECT * FROM debriefs")).keys()
            assert "objective_met" not in columns and "outcome" in columns
    finally:
        engine.dispose()
