"""Who may use the bot: teams, one-time invitation codes, members.

Telegram users join only with an invitation (`/start CODE`); everyone else is refused before any
data is read. Codes are random, single-use and expire; only their hashes are stored. Every bad
code (unknown, used, expired, revoked) gets one and the same answer, and the reason goes to the
log; a Telegram user who sends `ATTEMPTS_ALLOWED` bad codes within `ATTEMPT_WINDOW` is asked to
try later, counted in the database so that every worker counts the same tries. Members can be
deactivated (they are then refused like strangers), reactivated, given another role or moved.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
import string
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import Session, col, select

from bot.domain import INVITATION_DAYS, Role
from bot.engine.matching import fold, match_name
from bot.errors import UserError
from bot.settings import Language
from bot.storage.models import CodeAttempt, Invitation, Team, User

log = logging.getLogger(__name__)

CODE_LENGTH = 13  # letters and digits, about 77 bits: fits Telegram's 64-character start parameter
CODE_ALPHABET = (
    string.ascii_letters + string.digits
)  # no "-": a code must not read as a CLI option
ATTEMPTS_ALLOWED = 5
ATTEMPT_WINDOW = timedelta(minutes=10)


class InvitationStatus(StrEnum):
    """Where an invitation stands; only an unused one admits anybody."""

    UNUSED = "unused"
    USED = "used"
    REVOKED = "revoked"
    EXPIRED = "expired"


@dataclass(frozen=True)
class Issued:
    """A new invitation with its code: the one moment the code exists outside the invitee."""

    invitation: Invitation
    code: str


def code_hash(code: str) -> str:
    """What is stored of a code. 72 random bits need no salt or slow hash to resist guessing."""
    return hashlib.sha256(code.strip().encode("utf-8")).hexdigest()


def create_team(*, session: Session, name: str) -> Team:
    """A new team; a name already taken is a UserError naming it."""
    name = " ".join(name.split())
    if not name:
        raise UserError("access/team_name_empty")
    if session.exec(select(Team).where(Team.name == name)).first() is not None:
        raise UserError("access/team_exists", name=name)
    team = Team(name=name)
    session.add(team)
    session.flush()
    return team


def team_of(*, session: Session, name: str) -> Team:
    """The team with exactly this name, or a UserError naming it."""
    team = session.exec(select(Team).where(Team.name == name)).first()
    if team is None or team.id is None:
        raise UserError("access/team_unknown", name=name)
    return team


def invite(
    *,
    session: Session,
    team_name: str,
    role: Role,
    now: datetime,
    expires_days: float | None = None,
) -> Issued:
    """A single-use code for `team_name` with `role`, valid for `expires_days` (default 7)."""
    team = team_of(session=session, name=team_name)
    code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    days = INVITATION_DAYS if expires_days is None else expires_days
    invitation = Invitation(
        code_hash=code_hash(code),
        team_id=team.id or 0,
        role=role,
        created_at=now,
        expires_at=now + timedelta(days=days),
    )
    session.add(invitation)
    session.flush()
    return Issued(invitation, code)


def status_of(invitation: Invitation, *, now: datetime) -> InvitationStatus:
    """Used and revoked outrank expired: they say what happened, expiry only that time passed."""
    if invitation.used_by_id is not None:
        return InvitationStatus.USED
    if invitation.revoked_at is not None:
        return InvitationStatus.REVOKED
    if invitation.expires_at is not None and invitation.expires_at <= now:
        return InvitationStatus.EXPIRED
    return InvitationStatus.UNUSED


def invitations(
    *, session: Session, team_name: str | None = None
) -> Sequence[tuple[Invitation, Team, User | None]]:
    """Invitations, newest first, with their team and whoever used them."""
    query = (
        select(Invitation, Team, User)
        .join(Team, col(Team.id) == Invitation.team_id)
        .join(User, col(User.id) == Invitation.used_by_id, isouter=True)
    )
    if team_name is not None:
        query = query.where(Team.id == team_of(session=session, name=team_name).id)
    return session.exec(
        query.order_by(col(Invitation.created_at).desc(), col(Invitation.id).desc())
    ).all()


def revoke(*, session: Session, code_or_id: str, now: datetime) -> Invitation:
    """Revoke by the code printed at creation, or by the id `invite list` shows.

    A used invitation cannot be revoked: the person is a member, and `deactivate` removes them.
    """
    invitation = session.exec(
        select(Invitation).where(Invitation.code_hash == code_hash(code_or_id))
    ).first()
    if invitation is None and code_or_id.strip().isdecimal():
        invitation = session.get(Invitation, int(code_or_id.strip()))
    if invitation is None:
        raise UserError("access/invitation_unknown", code=code_or_id.strip())
    if invitation.used_by_id is not None:
        used_by = session.get(User, invitation.used_by_id)
        raise UserError(
            "access/invitation_already_used",
            id=invitation.id,
            name=used_by.display_name if used_by else "",
            user_id=invitation.used_by_id,
        )
    if invitation.revoked_at is None:
        invitation.revoked_at = now
        session.add(invitation)
        session.flush()
    return invitation


def member(*, session: Session, telegram_id: int) -> User | None:
    """The active user behind a Telegram account, or None for anyone else."""
    user = session.exec(select(User).where(User.telegram_id == telegram_id)).first()
    return user if user is not None and user.is_active else None


def redeem(
    *,
    session: Session,
    code: str,
    telegram_id: int,
    display_name: str,
    language: Language,
    now: datetime,
) -> User:
    """Join the invitation's team; every bad code is refused alike, too many are refused first.

    The limit is checked before the code is looked up, so guessing costs the same whether a
    guess would have been right or not. A refusal's attempt is added to the session: the
    caller commits it, as it commits a joining member.
    """
    if _too_many_tries(session=session, telegram_id=telegram_id, now=now):
        log.info(
            "telegram user %s: too many wrong invitation codes, code not checked", telegram_id
        )
        raise UserError("access/too_many_tries")
    invitation = session.exec(
        select(Invitation).where(Invitation.code_hash == code_hash(code)).with_for_update()
    ).first()
    status = status_of(invitation, now=now) if invitation is not None else None
    if invitation is None or status != InvitationStatus.UNUSED:
        session.add(CodeAttempt(telegram_id=telegram_id, attempted_at=now))
        session.flush()
        log.info(
            "telegram user %s: invitation %s refused (%s)",
            telegram_id,
            invitation.id if invitation else "-",
            status or "unknown",
        )
        raise UserError("access/code_invalid")
    user = session.exec(select(User).where(User.telegram_id == telegram_id)).first()
    if user is None:
        user = User(
            telegram_id=telegram_id,
            display_name=display_name[:200] or str(telegram_id),
            language=language,
            role=invitation.role,
            team_id=invitation.team_id,
            created_at=now,
        )
    else:  # a former member (deactivated) rejoining with a fresh invitation
        user.team_id, user.role, user.is_active = invitation.team_id, invitation.role, True
    session.add(user)
    session.flush()
    invitation.used_by_id = user.id
    invitation.used_at = now
    session.add(invitation)
    log.info(
        "telegram user %s joined as user %s with invitation %s",
        telegram_id,
        user.id,
        invitation.id,
    )
    return user


def _too_many_tries(*, session: Session, telegram_id: int, now: datetime) -> bool:
    """Count this user's wrong codes in the window; older attempts of anyone are pruned.

    On PostgreSQL a transaction lock per Telegram user makes two workers count one after the
    other; SQLite deployments run one worker.
    """
    if session.get_bind().dialect.name == "postgresql":
        session.execute(sa.select(sa.func.pg_advisory_xact_lock(telegram_id)))
    since = now - ATTEMPT_WINDOW
    session.execute(sa.delete(CodeAttempt).where(col(CodeAttempt.attempted_at) <= since))
    tries = session.exec(
        select(sa.func.count())
        .select_from(CodeAttempt)
        .where(CodeAttempt.telegram_id == telegram_id, col(CodeAttempt.attempted_at) > since)
    ).one()
    return int(tries) >= ATTEMPTS_ALLOWED


def members(*, session: Session, team_name: str | None = None) -> Sequence[tuple[User, Team]]:
    """Everyone, active or not, with their team: by team, then name."""
    query = select(User, Team).join(Team, col(Team.id) == User.team_id)
    if team_name is not None:
        query = query.where(Team.id == team_of(session=session, name=team_name).id)
    return session.exec(query.order_by(col(Team.name), col(User.display_name), col(User.id))).all()


def find_member(*, session: Session, name_or_id: str) -> User:
    """A member by id, or by a name (or handle) equal after folding case, width and spaces.

    A name never picks someone merely similar: several equal names are refused with their ids,
    and close names are only suggested.
    """
    wanted = name_or_id.strip()
    if wanted.isdecimal():
        user = session.get(User, int(wanted))
        if user is not None:
            return user
    people = session.exec(select(User).order_by(col(User.id))).all()
    equal = [
        person
        for person in people
        if fold(wanted) and fold(wanted) in (fold(person.display_name), fold(person.handle or ""))
    ]
    if len(equal) == 1:
        return equal[0]
    if equal:
        teams = {team.id: team.name for team in session.exec(select(Team)).all()}
        raise UserError(
            "access/member_ambiguous",
            name=wanted,
            people=[(p.id, p.display_name, teams.get(p.team_id, "")) for p in equal],
        )
    close = match_name(wanted, [person.display_name for person in people]).close
    raise UserError(
        "access/member_unknown",
        name=wanted,
        close=[(people[index].id, people[index].display_name) for index in close],
    )


def set_active(*, session: Session, name_or_id: str, active: bool) -> User:
    """Deactivate (refused from the next message, tap or reminder on) or reactivate a member."""
    user = find_member(session=session, name_or_id=name_or_id)
    user.is_active = active
    session.add(user)
    session.flush()
    log.info("user %s %s", user.id, "reactivated" if active else "deactivated")
    return user


def set_role(*, session: Session, name_or_id: str, role: Role) -> User:
    """Give a member another role; it applies from their next message."""
    user = find_member(session=session, name_or_id=name_or_id)
    user.role = role
    session.add(user)
    session.flush()
    return user


def move(*, session: Session, name_or_id: str, team_name: str) -> User:
    """Move a member to another team. Their visits stay with the team they were made in."""
    user = find_member(session=session, name_or_id=name_or_id)
    user.team_id = team_of(session=session, name=team_name).id or 0
    session.add(user)
    session.flush()
    return user


def language_of(language_code: str | None, default: Language) -> Language:
    """A Telegram language_code ('zh-hans', 'en-GB') as one of ours."""
    if not language_code:
        return default
    return "zh" if language_code.lower().startswith("zh") else "en"
