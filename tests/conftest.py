"""Shared fixtures: real databases (a SQLite file, a PostgreSQL database), shipped playbooks.

Each test gets its own database. PostgreSQL runs on 127.0.0.1:5432; outside CI a missing server
skips the PostgreSQL variants with the reason, with CI set it fails them.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlmodel import Session

from bot.engine.runner import Engine
from bot.flows import FLOWS
from bot.playbooks.loader import Playbooks, load_playbooks
from bot.settings import load_settings
from bot.shipped import shipped_dir
from bot.storage import db
from bot.storage import db as storage
from bot.storage.db import make_engine
from bot.storage.models import Team
from bot.text import Texts
from tests.engine.chat import Chat, Clock, add_user, play
from tests.engine.records import fingerprint
from tests.engine.scripts import SCRIPTS

PG_ADMIN_URL = os.environ.get(
    "SALESCOACH_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)


@pytest.fixture(autouse=True)
def _isolated_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No developer .env or SALESCOACH_* variable leaks into a test."""
    for name in list(os.environ):
        if name.startswith("SALESCOACH_") and name != "SALESCOACH_TEST_PG_URL":
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)


@pytest.fixture
def sqlite_empty_url(tmp_path: Path) -> str:
    """A SQLite file that does not exist yet."""
    return f"sqlite:///{tmp_path / 'coach.db'}"


@pytest.fixture
def sqlite_url(sqlite_empty_url: str) -> str:
    """A real SQLite file built by `alembic upgrade head`, so every test exercises migrations."""
    db.upgrade(sqlite_empty_url)
    return sqlite_empty_url


@pytest.fixture(scope="session")
def pg_server() -> Iterator[sa.Engine]:
    """An autocommit connection to the server, for creating and dropping test databases."""
    engine = sa.create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            connection.execute(sa.text("SELECT 1"))
    except sa.exc.OperationalError as error:
        engine.dispose()
        reason = f"PostgreSQL is not reachable at {PG_ADMIN_URL}: {error.orig}"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def pg_template(pg_server: sa.Engine) -> Iterator[str]:
    """A database migrated to head once per run; tests clone it instead of migrating again."""
    name = f"salescoach_template_{uuid.uuid4().hex[:10]}"
    with pg_server.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    db.upgrade(_database_url(name))
    yield name
    _drop(pg_server, name)


@pytest.fixture
def pg_empty_url(pg_server: sa.Engine) -> Iterator[str]:
    """A fresh, empty PostgreSQL database for this test, dropped afterwards."""
    name = f"salescoach_test_{uuid.uuid4().hex[:10]}"
    with pg_server.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    yield _database_url(name)
    _drop(pg_server, name)


@pytest.fixture
def pg_url(pg_server: sa.Engine, pg_template: str) -> Iterator[str]:
    """A fresh PostgreSQL database at head for this test, dropped afterwards."""
    name = f"salescoach_test_{uuid.uuid4().hex[:10]}"
    with pg_server.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}" TEMPLATE "{pg_template}"'))
    yield _database_url(name)
    _drop(pg_server, name)


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest) -> str:
    """The same test over both supported databases, each migrated to head."""
    return str(request.getfixturevalue("sqlite_url" if request.param == "sqlite" else "pg_url"))


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_db_url(request: pytest.FixtureRequest) -> str:
    """An empty database of each kind, for migration tests."""
    fixture = "sqlite_empty_url" if request.param == "sqlite" else "pg_empty_url"
    return str(request.getfixturevalue(fixture))


@pytest.fixture
def playbook_dir(tmp_path: Path) -> Path:
    """A private copy of the shipped playbooks that a test may break."""
    target = tmp_path / "playbooks"
    shutil.copytree(shipped_dir("playbooks"), target)
    return target


def _database_url(name: str) -> str:
    return sa.make_url(PG_ADMIN_URL).set(database=name).render_as_string(hide_password=False)


def _drop(server: sa.Engine, name: str) -> None:
    with server.connect() as connection:
        connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


# Tuesday 24 November 2026, 09:30 in Shanghai.
START = datetime(2026, 11, 24, 1, 30, tzinfo=UTC)


@pytest.fixture(scope="session")
def playbooks() -> Playbooks:
    return load_playbooks(shipped_dir("playbooks"))


@pytest.fixture(scope="session")
def texts() -> Texts:
    return Texts()


@pytest.fixture
def clock() -> Clock:
    return Clock(START)


@pytest.fixture
def database(sqlite_url: str):
    engine = make_engine(sqlite_url)
    yield engine
    engine.dispose()


@pytest.fixture
def make_engine_for(
    database: sa.Engine, playbooks: Playbooks, texts: Texts, clock: Clock, sqlite_url: str
):
    """A fresh Engine over the same database: what a restarted process would build."""

    def build() -> Engine:
        settings = load_settings(database_url=sqlite_url)
        return Engine(
            flows=FLOWS,
            db=database,
            texts=texts,
            playbooks=playbooks,
            settings=settings,
            clock=clock,
        )

    return build


@pytest.fixture
def team_id(database: sa.Engine) -> int:
    with Session(database) as session:
        team = Team(name="East")
        session.add(team)
        session.commit()
        return team.id


@pytest.fixture
def rep_en(database, team_id, make_engine_for) -> Chat:
    return Chat(make_engine_for(), add_user(database, team_id, name="alice", language="en"))


@pytest.fixture
def rep_zh(database, team_id, make_engine_for) -> Chat:
    return Chat(make_engine_for(), add_user(database, team_id, name="zhangwei", language="zh"))


@pytest.fixture
def reference_of(tmp_path: Path, playbooks, texts, clock):
    """The records of a whole conversation run straight through, in a database of its own."""

    def build(language: str) -> dict[str, list[tuple]]:
        url = f"sqlite:///{tmp_path / f'reference-{language}.db'}"
        storage.upgrade(url)
        database = storage.make_engine(url)
        with Session(database) as session:
            team = Team(name="East")
            session.add(team)
            session.commit()
            team_id = team.id
        engine = Engine(
            flows=FLOWS,
            db=database,
            texts=texts,
            playbooks=playbooks,
            settings=load_settings(database_url=url),
            clock=clock,
        )
        user = add_user(database, team_id, name="rep", language=language)
        prep, debrief = SCRIPTS[language]
        play(Chat(engine, user), prep + debrief)
        result = fingerprint(database)
        database.dispose()
        return result

    return build


@pytest.fixture
def reference(reference_of) -> dict[str, list[tuple]]:
    return reference_of("en")
