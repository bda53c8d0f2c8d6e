"""Fixtures for driving flows: an engine on a real SQLite file, a team, a rep."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from sqlmodel import Session

from bot.domain import Role
from bot.engine.runner import Engine
from bot.flows import FLOWS
from bot.playbooks.loader import Playbooks, load_playbooks
from bot.settings import load_settings
from bot.shipped import shipped_dir
from bot.storage.db import make_engine
from bot.storage.models import Team, User
from bot.text import Texts
from tests.engine.chat import Chat, Clock

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


def add_user(
    database: sa.Engine, team_id: int, *, name: str, language: str, role: Role = Role.REP
) -> int:
    with Session(database) as session:
        user = User(handle=name, display_name=name, language=language, role=role, team_id=team_id)
        session.add(user)
        session.commit()
        return user.id


@pytest.fixture
def rep_en(database, team_id, make_engine_for) -> Chat:
    return Chat(make_engine_for(), add_user(database, team_id, name="alice", language="en"))


@pytest.fixture
def rep_zh(database, team_id, make_engine_for) -> Chat:
    return Chat(make_engine_for(), add_user(database, team_id, name="zhangwei", language="zh"))
