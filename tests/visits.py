"""Visits and debriefs made directly in the database, for specifications of queries over them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlmodel import Session

from bot.domain import Outcome, VisitStatus
from bot.storage.models import Account, Debrief, User, Visit

NOW = datetime(2026, 11, 24, 1, 30, tzinfo=UTC)


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
