"""Visits and debriefs made directly in the database, for specifications of queries over them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlmodel import Session

from bot.domain import Outcome, Role, VisitStatus
from bot.storage.models import Account, Debrief, Team, User, Visit

NOW = datetime(2026, 11, 24, 1, 30, tzinfo=UTC)


def add_people(session: Session, *members: tuple[str, Role, str]) -> dict[str, User]:
    """English-speaking users by name, each (name, role, team name); teams made as named."""
    teams: dict[str, Team] = {}
    for _, _, team_name in members:
        teams.setdefault(team_name, Team(name=team_name))
    session.add_all(list(teams.values()))
    session.flush()
    found = {}
    for name, role, team_name in members:
        user = User(
            handle=name, display_name=name, language="en", role=role, team_id=teams[team_name].id
        )
        session.add(user)
        found[name] = user
    session.flush()
    return found


def add_visit(
    session: Session,
    rep: User,
    account: Account,
    *,
    days_ago: float,
    outcome: Outcome | None = None,
) -> Visit:
    """A visit `days_ago` before NOW, debriefed with `outcome` then if one is given."""
    when = NOW - timedelta(days=days_ago)
    visit = Visit(
        account_id=account.id,
        rep_id=rep.id,
        team_id=rep.team_id,
        planned_at=when,
        status=VisitStatus.DONE if outcome else VisitStatus.PLANNED,
        created_at=when,
        updated_at=when,
    )
    session.add(visit)
    session.flush()
    if outcome:
        session.add(
            Debrief(
                visit_id=visit.id,
                rep_id=rep.id,
                team_id=rep.team_id,
                outcome=outcome,
                created_at=when,
            )
        )
        session.flush()
    return visit
