"""Finding and creating users and teams outside Telegram (terminal chat, demo, CLI).

And keeping the language a user chose (/lang).
"""

from __future__ import annotations

from sqlmodel import Session, col, select

from bot.domain import Role
from bot.errors import UserError
from bot.settings import Language
from bot.storage.models import Team, User


def team_named(*, session: Session, name: str) -> Team:
    """The team with this name, created if new."""
    team = session.exec(select(Team).where(Team.name == name)).first()
    if team is None:
        team = Team(name=name)
        session.add(team)
        session.flush()
    return team


def terminal_user(
    *, session: Session, handle: str, team: Team, language: Language, role: Role = Role.REP
) -> User:
    """The user with this handle, created on first use as a member of `team`.

    A deactivated member is refused here, before the terminal shows them anything.
    """
    user = session.exec(select(User).where(User.handle == handle)).first()
    if user is not None and not user.is_active:
        raise UserError("access/deactivated", name=user.display_name, id=user.id)
    if user is None:
        user = User(
            handle=handle, display_name=handle, language=language, role=role, team_id=team.id or 0
        )
        session.add(user)
        session.flush()
    return user


def first_team(*, session: Session) -> Team | None:
    """The oldest team, the natural default for a single-team installation."""
    return session.exec(select(Team).order_by(col(Team.id))).first()


def set_language(*, session: Session, user: User, language: Language) -> None:
    """Keep the user's language: every reply after this event is rendered in it."""
    user.language = language
    session.add(user)
