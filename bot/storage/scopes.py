"""Who sees whose call records, decided here and nowhere else.

Everyone sees their own visits, wherever they were made; a manager also every visit made in
their team, an admin all teams. A visit's team is the one its rep was in when it was made
(`Visit.team_id`), so a rep who moves teams leaves their old records with the old team's
manager and brings none to the new one. Accounts are shared by a team (`scope_accounts`).
Every query that lists or loads visits for a person goes through `scope_visits`; the tests
prove that no command, button or export gets past it. It lives with storage because it is a
clause of those queries: repo's shared queries apply it too, and nothing here looks upward.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlmodel import Session, col, select

from bot.domain import Role
from bot.storage.models import Account, Debrief, User, Visit

Query = TypeVar("Query")


def scope_visits(query: Query, *, viewer: User, rep: Any = None) -> Query:
    """Narrow a select over visits to what `viewer` may see.

    `rep` is the column naming the visit's rep: `Visit.rep_id` unless the query reads the
    copies a debrief keeps (`Debrief.rep_id`, and `Debrief.team_id` beside it) without joining
    visits; the team column is taken from the same table.
    """
    table = Visit if rep is None else rep.class_
    if table not in (Visit, Debrief):
        raise ValueError(f"scope_visits reads Visit or Debrief columns, not {table.__name__}")
    owner, team = col(table.rep_id), col(table.team_id)
    narrowed: Any = query
    if viewer.role == Role.ADMIN:
        return query
    if viewer.role == Role.MANAGER:
        narrowed = narrowed.where(sa.or_(team == viewer.team_id, owner == viewer.id))
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
    """The people whose records `viewer` may review: themselves, their team, or everyone.

    A manager's team here includes those who have moved on to another team but made visits in
    this one: those visits stay this manager's to review (and only those, by `scope_visits`).
    """
    query = select(User).where(col(User.is_active).is_(True))
    if viewer.role == Role.MANAGER:
        made_here = (
            select(Visit.id)
            .where(col(Visit.team_id) == viewer.team_id, col(Visit.rep_id) == User.id)
            .exists()
        )
        query = query.where(sa.or_(col(User.team_id) == viewer.team_id, made_here))
    elif viewer.role != Role.ADMIN:
        query = query.where(User.id == viewer.id)
    return session.exec(query.order_by(col(User.team_id), col(User.display_name))).all()
