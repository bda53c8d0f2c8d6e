"""Who sees whose call records, decided here and nowhere else.

A rep sees their own visits, a manager every visit of their team's reps, an admin all teams.
Every query that lists or loads visits for a person goes through `scope_visits`; the tests
prove that no command, button or export gets past it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

from sqlmodel import Session, col, select

from bot.domain import Role
from bot.storage.models import User, Visit

Query = TypeVar("Query")


def scope_visits(query: Query, *, viewer: User) -> Query:
    """Narrow a select over `Visit` (SQLAlchemy's or SQLModel's) to what `viewer` may see."""
    narrowed: Any = query
    if viewer.role == Role.ADMIN:
        return query
    if viewer.role == Role.MANAGER:
        teammates = select(User.id).where(User.team_id == viewer.team_id)
        narrowed = narrowed.where(col(Visit.rep_id).in_(teammates))
    else:
        narrowed = narrowed.where(col(Visit.rep_id) == viewer.id)
    result: Query = narrowed
    return result


def visible_people(*, session: Session, viewer: User) -> Sequence[User]:
    """The people whose records `viewer` may review: themselves, their team, or everyone."""
    query = select(User).where(col(User.is_active).is_(True))
    if viewer.role == Role.MANAGER:
        query = query.where(User.team_id == viewer.team_id)
    elif viewer.role != Role.ADMIN:
        query = query.where(User.id == viewer.id)
    return session.exec(query.order_by(col(User.team_id), col(User.display_name))).all()
