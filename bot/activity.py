"""The /team report's figures: who prepared and debriefed in the last 7 and 30 days, how many
debriefs moved the sale, and what coaching found open in each rep's latest visit.

Grouped queries over the viewer's scope (`bot.storage.scopes`), like the /stats figures beside
it in `bot.figures`, so the report costs the same for a team of five and of five hundred.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Session, col, select

from bot.coaching.record import facts_of
from bot.coaching.rules import feedback
from bot.domain import Role, VisitStatus
from bot.figures import MONTH, MOVED, WEEK, percent
from bot.playbooks.loader import Playbooks
from bot.playbooks.schema import CoachingRule
from bot.storage import scopes
from bot.storage.models import Debrief, User, Visit


@dataclass(frozen=True)
class RepActivity:
    """One rep's /team line, as (last 7 days, last 30 days) pairs.

    Visits prepared count by when they were made; debriefs by when they were written, up to
    now. `moved` is how many of the 30 days' debriefs advanced or ordered. The gaps are what
    coaching found in the rep's latest debriefed visit, from the facts saved with it.
    """

    prepared: tuple[int, int] = (0, 0)
    debriefed: tuple[int, int] = (0, 0)
    moved: int = 0
    gaps: tuple[CoachingRule, ...] = ()

    @property
    def advance_rate(self) -> int | None:
        """Advances and orders as a percentage of the 30 days' debriefs; None with none."""
        return percent(self.moved, self.debriefed[1])


@dataclass(frozen=True)
class TeamActivity:
    """The people the viewer may review (admins aside), and each one's activity."""

    people: Sequence[User]
    by_person: dict[int, RepActivity]

    def of(self, person: User) -> RepActivity:
        return self.by_person.get(person.id or 0, RepActivity())


def team_activity(
    *, session: Session, playbooks: Playbooks, viewer: User, now: datetime
) -> TeamActivity:
    """The viewer's scope over the week and month up to `now`, from grouped queries only."""
    week, month = now - WEEK, now - MONTH
    people = [
        person
        for person in scopes.visible_people(session=session, viewer=viewer)
        if person.role != Role.ADMIN
    ]
    ids = [person.id for person in people if person.id is not None]
    prepared = {
        rep: (int(in_week or 0), int(in_month or 0))
        for rep, in_week, in_month in session.exec(
            scopes.scope_visits(
                select(
                    Visit.rep_id,
                    sa.func.sum(sa.case((col(Visit.created_at) >= week, 1), else_=0)),
                    sa.func.count(),
                )
                .where(
                    col(Visit.rep_id).in_(ids),
                    col(Visit.created_at) >= month,
                    Visit.status != VisitStatus.CANCELLED,  # called off: not a visit prepared
                )
                .group_by(col(Visit.rep_id)),
                viewer=viewer,
            )
        ).all()
    }
    debriefed = {
        rep: (int(in_week or 0), int(in_month or 0), int(moved or 0))
        for rep, in_week, in_month, moved in session.exec(
            scopes.scope_visits(
                select(
                    Debrief.rep_id,
                    sa.func.sum(sa.case((col(Debrief.created_at) >= week, 1), else_=0)),
                    sa.func.count(),
                    sa.func.sum(sa.case((col(Debrief.outcome).in_(MOVED), 1), else_=0)),
                )
                .where(
                    col(Debrief.rep_id).in_(ids),
                    col(Debrief.created_at) >= month,
                    col(Debrief.created_at) <= now,
                )
                .group_by(col(Debrief.rep_id)),
                viewer=viewer,
                rep=Debrief.rep_id,
            )
        ).all()
    }
    gaps = _open_gaps(session=session, playbooks=playbooks, viewer=viewer, ids=ids)
    by_person = {}
    for person_id in ids:
        done = debriefed.get(person_id, (0, 0, 0))
        by_person[person_id] = RepActivity(
            prepared=prepared.get(person_id, (0, 0)),
            debriefed=done[:2],
            moved=done[2],
            gaps=gaps.get(person_id, ()),
        )
    return TeamActivity(people=people, by_person=by_person)


def _open_gaps(
    *, session: Session, playbooks: Playbooks, viewer: User, ids: list[int]
) -> dict[int, tuple[CoachingRule, ...]]:
    """The gap rules that fire on each rep's latest debriefed visit the viewer may see."""
    latest = (
        scopes.scope_visits(
            select(Visit.id)
            .join(Debrief, col(Debrief.visit_id) == Visit.id)
            .where(col(Visit.rep_id) == User.id)
            .order_by(col(Visit.created_at).desc(), col(Visit.id).desc())
            .limit(1),
            viewer=viewer,
        )
        .correlate(User)
        .scalar_subquery()
    )
    rows = session.exec(
        select(User.id, Visit, Debrief)
        .select_from(User)
        .join(Visit, col(Visit.id) == latest)
        .join(Debrief, col(Debrief.visit_id) == Visit.id)
        .where(col(User.id).in_(ids))
    ).all()
    gaps: dict[int, tuple[CoachingRule, ...]] = {}
    for person_id, visit, debrief in rows:
        assert person_id is not None
        facts = facts_of(session=session, visit=visit, debrief=debrief)
        fired = feedback(playbooks.coaching, facts)
        gaps[person_id] = tuple(rule for rule in fired if rule.kind == "gap")
    return gaps
