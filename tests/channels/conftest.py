"""Fixtures for the Telegram channel: the fake Bot API and applications built against it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlmodel import Session

from bot import access
from bot.channels.telegram.app import build_application
from bot.clock import utcnow
from bot.domain import Role
from bot.engine.runner import Engine
from bot.flows import FLOWS
from bot.settings import load_settings
from tests.fake_bot_api import FakeBotAPI, serve


@pytest.fixture
def fake_bot_api() -> Iterator[FakeBotAPI]:
    """The fake server on 127.0.0.1; any method it does not implement fails the test."""
    api = FakeBotAPI()
    server, thread = serve(api)
    yield api
    server.should_exit = True
    thread.join(timeout=10)
    assert api.unknown == [], f"methods the bot called that the fake API lacks: {api.unknown}"


@pytest.fixture
def telegram_settings(fake_bot_api: FakeBotAPI, sqlite_url: str):
    return load_settings(
        bot_token=fake_bot_api.token, bot_api_url=fake_bot_api.base_url, database_url=sqlite_url
    )


@pytest.fixture
def build_bot(telegram_settings, database, playbooks, texts, clock):
    """A fresh Application over the same database: what a restarted process builds."""

    def build(**overrides):
        engine = Engine(
            flows=FLOWS,
            db=database,
            texts=texts,
            playbooks=playbooks,
            settings=telegram_settings,
            clock=clock,
        )
        options = {"tick_seconds": 3600.0, "first_tick": 3600.0, **overrides}
        return build_application(
            settings=telegram_settings,
            engine=engine,
            db=database,
            texts=texts,
            clock=clock,
            **options,
        )

    return build


@pytest.fixture
def invitation(database, team_id):
    """Mint invitation codes for the test team."""

    def mint(role: Role = Role.REP, expires_days: float | None = 7) -> str:
        with Session(database) as session:
            team = session.get(access.Team, team_id)
            code = access.invite(
                session=session,
                team_name=team.name,
                role=role,
                now=utcnow(),
                expires_days=expires_days,
            ).code
            session.commit()
            return code

    return mint
