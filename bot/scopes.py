"""Who sees whose call records, decided here and nowhere else.

A rep sees their own visits, a manager every visit of their team's reps, an admin all teams;
accounts are shared by a team (`scope_accounts`).
Every query that lists or loads visits for a person goes through `scope_visits`; the tests
prove that no command, button or export gets past it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

from sqlmodel import Session, col, select

from bot.domain import Role
from bot.storage.models import Account, User, Visit

Query = TypeVar("Query")


def scope_visits(query: Query, *, viewer: User, rep: Any = None) -> Query:
    """Narrow a select over visits to what `viewer` may see.

    `rep` is the column naming the visit's rep: `Visit.rep_id` unless the query reads the
    copy a debrief keeps (`Debrief.rep_id`) without joining visits.
    """
    owner = col(Visit.rep_id) if rep is None else col(rep)
    narrowed: Any = query
    if viewer.role == Role.ADMIN:
        return query
    if viewer.role == Role.MANAGER:
        teammates = select(User.id).where(User.team_id == viewer.team_id)
        narrowed = narrowed.where(owner.in_(teammates))
    else:
        narrowed = narrowed.where(owner == viewer.id)
    result: Query = narrowed
    return result


def scope_accounts(query: Query, *, viewer: User) -> Query:
    """Narrow a select over `Account` to the viewer's team's accounts (all teams for an admin)."""
    if viewer.role == Role.ADMIN:
        return query
    narrowed: Any = query
    result: Query = narrowed.where(col(Account.team_id) == viewer.team_id)
    return result


def visible_people(*, session: Session, viewer: User) -> Sequence[User]:
    """The people whose records `viewer` may review: themselves, their team, or everyone."""
    query = select(User).where(col(User.is_active).is_(True))
    if viewer.role == Role.MANAGER:
        query = query.where(User.team_id == viewer.team_id)
    elif viewer.role != Role.ADMIN:
        query = query.where(User.id == viewer.id)
    return session.exec(query.order_by(col(User.team_id), col(User.display_name))).all()
