"""Only invited people get in: codes are single-use, may expire, and members can be removed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import Session

from bot import access
from bot.domain import Role
from bot.errors import UserError
from bot.storage.db import make_engine

NOW = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)


@pytest.fixture
def session(db_url: str):
    engine = make_engine(db_url)
    with Session(engine) as session:
        access.create_team(session=session, name="East")
        yield session
    engine.dispose()


def test_a_code_admits_one_person_once_with_its_role(session: Session) -> None:
    code = access.invite(
        session=session, team_name="East", role=Role.MANAGER, now=NOW, expires_days=7
    ).code
    user = access.redeem(
        session=session, code=code, telegram_id=1, display_name="Li", language="zh", now=NOW
    )
    assert (user.role, user.language, user.telegram_id) == (Role.MANAGER, "zh", 1)
    assert access.member(session=session, telegram_id=1) == user
    with pytest.raises(UserError) as raised:
        access.redeem(
            session=session, code=code, telegram_id=2, display_name="X", language="en", now=NOW
        )
    assert raised.value.template == "access/code_used"


def test_an_expired_or_unknown_code_is_refused(session: Session) -> None:
    code = access.invite(
        session=session, team_name="East", role=Role.REP, now=NOW, expires_days=1
    ).code
    with pytest.raises(UserError) as raised:
        access.redeem(
            session=session,
            code=code,
            telegram_id=3,
            display_name="X",
            language="en",
            now=NOW + timedelta(days=1),
        )
    assert raised.value.template == "access/code_expired"
    with pytest.raises(UserError) as raised:
        access.redeem(
            session=session, code="nope", telegram_id=3, display_name="X", language="en", now=NOW
        )
    assert raised.value.template == "access/code_unknown"


def test_a_deactivated_member_is_no_longer_a_member(session: Session) -> None:
    code = access.invite(
        session=session, team_name="East", role=Role.REP, now=NOW, expires_days=None
    ).code
    user = access.redeem(
        session=session, code=code, telegram_id=4, display_name="Wu", language="en", now=NOW
    )
    user.is_active = False
    session.add(user)
    session.flush()
    assert access.member(session=session, telegram_id=4) is None


def test_codes_are_unique_and_fit_a_telegram_start_parameter(session: Session) -> None:
    codes = {
        access.invite(
            session=session, team_name="East", role=Role.REP, now=NOW, expires_days=None
        ).code
        for _ in range(50)
    }
    assert len(codes) == 50
    assert all(
        len(code) <= 64 and code.replace("-", "").replace("_", "").isalnum() for code in codes
    )


def test_unknown_and_duplicate_teams_are_user_errors(session: Session) -> None:
    with pytest.raises(UserError):
        access.invite(session=session, team_name="West", role=Role.REP, now=NOW, expires_days=1)
    with pytest.raises(UserError):
        access.create_team(session=session, name="  East ")


@pytest.mark.parametrize(
    ("code", "language"),
    [("zh-hans", "zh"), ("zh-TW", "zh"), ("en-GB", "en"), ("de", "en"), (None, "zh"), ("", "zh")],
)
def test_a_telegram_language_code_maps_to_ours(code, language) -> None:
    assert access.language_of(code, "zh") == language
