"""Schema changes go through migrations, and the migrations match the models exactly."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import command
from sqlmodel import SQLModel

from bot.settings import load_settings
from bot.startup import prepare
from bot.storage import db


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
