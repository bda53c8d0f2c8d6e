"""Only invited people get in: codes are single-use, expire, are kept only as hashes and can be
revoked; every bad code gets one answer; guessing is limited; members can be removed."""

from __future__ import annotations

import logging
import re
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from sqlmodel import Session, select

from bot import access
from bot.domain import Role
from bot.errors import UserError
from bot.storage.db import make_engine
from bot.storage.models import Invitation, User

NOW = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)


@pytest.fixture
def session(db_url: str):
    engine = make_engine(db_url)
    with Session(engine) as session:
        access.create_team(session=session, name="East")
        yield session
    engine.dispose()


def _code(session: Session, *, role: Role = Role.REP, days: float | None = None) -> str:
    return access.invite(
        session=session, team_name="East", role=role, now=NOW, expires_days=days
    ).code


def _redeem(session: Session, code: str, telegram_id: int, *, now: datetime = NOW) -> User:
    return access.redeem(
        session=session,
        code=code,
        telegram_id=telegram_id,
        display_name=f"user {telegram_id}",
        language="en",
        now=now,
    )


def _refusal(session: Session, code: str, telegram_id: int, *, now: datetime = NOW) -> str:
    with pytest.raises(UserError) as raised:
        _redeem(session, code, telegram_id, now=now)
    return raised.value.template


def test_a_code_admits_one_person_once_with_its_role(session: Session) -> None:
    code = _code(session, role=Role.MANAGER, days=7)
    user = access.redeem(
        session=session, code=code, telegram_id=1, display_name="Li", language="zh", now=NOW
    )
    assert (user.role, user.language, user.telegram_id) == (Role.MANAGER, "zh", 1)
    assert access.member(session=session, telegram_id=1) == user
    assert _refusal(session, code, 2) == "access/code_invalid"


def test_unknown_used_expired_and_revoked_codes_get_one_answer_and_the_log_says_why(
    session: Session, caplog: pytest.LogCaptureFixture
) -> None:
    used, expired, revoked = _code(session), _code(session, days=1), _code(session)
    _redeem(session, used, 1)
    access.revoke(session=session, code_or_id=revoked, now=NOW)
    caplog.set_level(logging.INFO, logger="bot.access")
    answers = {
        _refusal(session, "nope", 2),
        _refusal(session, used, 3),
        _refusal(session, expired, 4, now=NOW + timedelta(days=1)),
        _refusal(session, revoked, 5),
    }
    assert answers == {"access/code_invalid"}
    logged = caplog.text
    assert all(reason in logged for reason in ("(unknown)", "(used)", "(expired)", "(revoked)"))
    assert not any(code in logged for code in (used, expired, revoked)), "ids, never codes"


def test_only_a_hash_of_the_code_is_stored(session: Session) -> None:
    code = _code(session)
    session.flush()
    stored = session.execute(sa.text("SELECT * FROM invitations")).mappings().one()
    assert code not in str(dict(stored))
    assert stored["code_hash"] == access.code_hash(code)


def test_codes_are_letters_and_digits_so_they_paste_into_a_command_and_a_start_link(
    session: Session,
) -> None:
    codes = {_code(session) for _ in range(300)}
    assert len(codes) == 300
    assert all(re.fullmatch(r"[A-Za-z0-9]{13}", code) for code in codes), "never '-' or '_'"


@pytest.mark.parametrize("role", list(Role))
def test_a_code_expires_after_seven_days_unless_told_otherwise(
    session: Session, role: Role
) -> None:
    weekly = access.invite(session=session, team_name="East", role=role, now=NOW)
    assert weekly.invitation.expires_at == NOW + timedelta(days=7)
    assert _refusal(session, weekly.code, 1, now=NOW + timedelta(days=7)) == "access/code_invalid"
    longer = access.invite(session=session, team_name="East", role=role, now=NOW, expires_days=30)
    assert _redeem(session, longer.code, 1, now=NOW + timedelta(days=29)).role == role


def test_five_wrong_codes_in_ten_minutes_and_then_even_a_right_code_waits(
    session: Session,
) -> None:
    code = _code(session)
    for minute in range(5):
        assert _refusal(session, f"guess{minute}", 7, now=NOW + timedelta(minutes=minute)) == (
            "access/code_invalid"
        )
    later = NOW + timedelta(minutes=5)
    assert _refusal(session, code, 7, now=later) == "access/too_many_tries"
    assert session.exec(select(Invitation)).one().used_by_id is None, "the code was not looked up"
    assert _refusal(session, "guess", 8, now=later) == "access/code_invalid", "others may try"
    after_the_window = NOW + timedelta(minutes=10, seconds=1)
    assert _redeem(session, code, 7, now=after_the_window).telegram_id == 7


def test_a_right_code_within_the_limit_still_works(session: Session) -> None:
    code = _code(session)
    for minute in range(4):
        _refusal(session, f"guess{minute}", 7, now=NOW + timedelta(minutes=minute))
    assert _redeem(session, code, 7, now=NOW + timedelta(minutes=4)).telegram_id == 7


def test_two_workers_count_the_same_wrong_codes(db_url: str) -> None:
    """Each attempt is committed by one of two engines, as two bot processes would."""
    workers = [make_engine(db_url), make_engine(db_url)]
    try:
        with Session(workers[0]) as session:
            access.create_team(session=session, name="East")
            code = _code(session)
            session.commit()
        for attempt in range(5):
            with Session(workers[attempt % 2]) as session:
                _refusal(session, f"guess{attempt}", 7, now=NOW + timedelta(seconds=attempt))
                session.commit()
        with Session(workers[1]) as session:
            assert _refusal(session, code, 7, now=NOW + timedelta(minutes=1)) == (
                "access/too_many_tries"
            )
    finally:
        for worker in workers:
            worker.dispose()


def test_an_invitation_is_revoked_by_its_code_or_by_its_id(session: Session) -> None:
    by_code, by_id = (
        _code(session),
        access.invite(session=session, team_name="East", role=Role.REP, now=NOW),
    )
    access.revoke(session=session, code_or_id=by_code, now=NOW)
    revoked = access.revoke(session=session, code_or_id=str(by_id.invitation.id), now=NOW)
    assert access.status_of(revoked, now=NOW) == access.InvitationStatus.REVOKED
    assert _refusal(session, by_id.code, 1) == "access/code_invalid"
    assert _refusal(session, by_code, 1) == "access/code_invalid"
    with pytest.raises(UserError) as raised:
        access.revoke(session=session, code_or_id="no-such-code", now=NOW)
    assert raised.value.template == "access/invitation_unknown"


def test_a_used_invitation_is_not_revoked_but_points_to_deactivate(session: Session) -> None:
    code = _code(session)
    user = _redeem(session, code, 1)
    with pytest.raises(UserError) as raised:
        access.revoke(session=session, code_or_id=code, now=NOW)
    assert raised.value.template == "access/invitation_already_used"
    assert raised.value.context["user_id"] == user.id


def test_invitations_are_listed_newest_first_with_their_status(session: Session) -> None:
    used, _ = _code(session), _code(session, days=1)
    _redeem(session, used, 1)
    listed = access.invitations(session=session, team_name="East")
    statuses = [access.status_of(row[0], now=NOW + timedelta(days=2)) for row in listed]
    assert statuses == [access.InvitationStatus.EXPIRED, access.InvitationStatus.USED]
    assert listed[1][2].telegram_id == 1


def test_a_deactivated_member_is_no_longer_a_member_until_reactivated(session: Session) -> None:
    user = _redeem(session, _code(session), 4)
    access.set_active(session=session, name_or_id=str(user.id), active=False)
    assert access.member(session=session, telegram_id=4) is None
    access.set_active(session=session, name_or_id="user 4", active=True)
    assert access.member(session=session, telegram_id=4) == user


def test_a_name_is_taken_only_when_equal_after_folding_case_width_and_spaces(
    session: Session,
) -> None:
    user = _redeem(session, _code(session), 5)
    user.display_name = "Wang Wei"
    session.add(user)
    session.flush()
    assert access.find_member(session=session, name_or_id="ＷＡＮＧ  wei").id == user.id
    for near in ("Wang Lei", "Wang We"):
        with pytest.raises(UserError) as raised:
            access.find_member(session=session, name_or_id=near)
        assert raised.value.template == "access/member_unknown"
        assert raised.value.context["close"] == [(user.id, "Wang Wei")], "offered, never taken"


def test_a_name_two_people_share_is_refused_with_their_ids(session: Session) -> None:
    first, second = _redeem(session, _code(session), 5), _redeem(session, _code(session), 6)
    first.display_name = second.display_name = "Li Na"
    session.add_all([first, second])
    session.flush()
    with pytest.raises(UserError) as raised:
        access.set_active(session=session, name_or_id="li na", active=False)
    assert raised.value.template == "access/member_ambiguous"
    assert [person[0] for person in raised.value.context["people"]] == [first.id, second.id]
    assert first.is_active and second.is_active


def test_a_role_changes_and_a_member_moves_team(session: Session) -> None:
    user = _redeem(session, _code(session), 5)
    west = access.create_team(session=session, name="West")
    assert access.set_role(session=session, name_or_id=str(user.id), role=Role.MANAGER).role == (
        Role.MANAGER
    )
    assert access.move(session=session, name_or_id=str(user.id), team_name="West").team_id == (
        west.id
    )
    with pytest.raises(UserError):
        access.move(session=session, name_or_id=str(user.id), team_name="Nowhere")


def test_codes_are_unique_and_fit_a_telegram_start_parameter(session: Session) -> None:
    codes = {_code(session) for _ in range(50)}
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
