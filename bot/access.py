"""Who may use the bot: teams, one-time invitation codes, members.

Telegram users join only with an invitation (`/start CODE`); everyone else is refused before any
data is read. Codes are random, single-use and expire; only their hashes are stored.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, select

from bot.domain import Role
from bot.errors import UserError
from bot.settings import Language
from bot.storage.models import Invitation, Team, User

CODE_BYTES = 9  # 12 URL-safe characters: fits Telegram's 64-character start parameter
DEFAULT_EXPIRY_DAYS = 7.0


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


def invite(
    *,
    session: Session,
    team_name: str,
    role: Role,
    now: datetime,
    expires_days: float | None = None,
) -> Issued:
    """A single-use code for `team_name` with `role`, valid for `expires_days` (default 7)."""
    team = session.exec(select(Team).where(Team.name == team_name)).first()
    if team is None or team.id is None:
        raise UserError("access/team_unknown", name=team_name)
    code = secrets.token_urlsafe(CODE_BYTES)
    days = DEFAULT_EXPIRY_DAYS if expires_days is None else expires_days
    invitation = Invitation(
        code_hash=code_hash(code),
        team_id=team.id,
        role=role,
        created_at=now,
        expires_at=now + timedelta(days=days),
    )
    session.add(invitation)
    session.flush()
    return Issued(invitation, code)


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
    """Join the invitation's team; an unknown, used or expired code is refused clearly."""
    invitation = session.exec(
        select(Invitation).where(Invitation.code_hash == code_hash(code)).with_for_update()
    ).first()
    if invitation is None:
        raise UserError("access/code_unknown")
    if invitation.used_by_id is not None:
        raise UserError("access/code_used")
    if invitation.expires_at is not None and invitation.expires_at <= now:
        raise UserError("access/code_expired")
    user = session.exec(select(User).where(User.telegram_id == telegram_id)).first()
    if user is None:
        user = User(
            telegram_id=telegram_id,
            display_name=display_name[:200] or str(telegram_id),
            language=language,
            role=invitation.role,
            team_id=invitation.team_id,
        )
    else:  # a former member (deactivated) rejoining with a fresh invitation
        user.team_id, user.role, user.is_active = invitation.team_id, invitation.role, True
    session.add(user)
    session.flush()
    invitation.used_by_id = user.id
    invitation.used_at = now
    session.add(invitation)
    return user


def language_of(language_code: str | None, default: Language) -> Language:
    """A Telegram language_code ('zh-hans', 'en-GB') as one of ours."""
    if not language_code:
        return default
    return "zh" if language_code.lower().startswith("zh") else "en"
