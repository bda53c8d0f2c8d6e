"""Team figures for /stats: per rep and for the team, over a period ending now.

Every figure comes from a grouped query over the viewer's scope (`bot.storage.scopes`), never
from a query per rep or per account, so a team of hundreds with years of records answers quickly.
What "open opportunity" and "stalled" mean is playbook data (process.yaml, accounts.yaml).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, select

from bot.domain import ObjectiveMet, Outcome, Role, SpinType, StageSubject, VisitStatus
from bot.playbooks.loader import Playbooks
from bot.storage import scopes
from bot.storage.models import Account, Contact, Debrief, SpinItem, StageChange, User, Visit

MOVED = (Outcome.ADVANCE, Outcome.ORDER)
MET = (ObjectiveMet.BEST, ObjectiveMet.MINIMUM)


@dataclass
class Figures:
    """One rep's figures, or the team's when summed.

    The SPIN mix counts the questions of visits prepared in the period, as planned and as
    asked; debriefs and the advance rate count debriefs written in the period. Open
    opportunities and stalled accounts describe the rep's accounts as they stand now.
    """

    planned: dict[SpinType, int] = field(default_factory=lambda: dict.fromkeys(SpinType, 0))
    asked: dict[SpinType, int] = field(default_factory=lambda: dict.fromkeys(SpinType, 0))
    debriefs: int = 0
    advanced: int = 0
    judged: int = 0  # debriefs of a visit whose plan set an objective
    objective_met: int = 0  # of those, the best or the minimum commitment got
    open_opportunities: int = 0
    with_decision_maker: int = 0
    with_coach: int = 0
    stalled: int = 0
    moves_up: int = 0
    moves_down: int = 0
    sales_up: int = 0
    sales_down: int = 0

    @property
    def idle(self) -> bool:
        """Nothing to show: no questions, debriefs, accounts or stage moves."""
        return not (
            any(self.planned.values())
            or any(self.asked.values())
            or self.debriefs
            or self.open_opportunities
            or self.stalled
            or self.moves_up
            or self.moves_down
            or self.sales_up
            or self.sales_down
        )

    @property
    def advance_rate(self) -> int | None:
        """Advances and orders as a percentage of debriefs; None with no debriefs."""
        return percent(self.advanced, self.debriefs)

    @property
    def decision_maker_share(self) -> int | None:
        return percent(self.with_decision_maker, self.open_opportunities)

    @property
    def coach_share(self) -> int | None:
        return percent(self.with_coach, self.open_opportunities)


def percent(part: int, whole: int) -> int | None:
    """A whole-number percentage, or None when there is nothing to divide."""
    return round(100 * part / whole) if whole else None


def mix(counts: dict[SpinType, int]) -> dict[SpinType, int | None]:
    """Each SPIN type's share of the questions, in percent."""
    total = sum(counts.values())
    return {kind: percent(count, total) for kind, count in counts.items()}


@dataclass(frozen=True)
class StalledAccount:
    """An account that needs attention, and why: continuations in a row, or days unvisited."""

    account_id: int
    name: str
    owner_id: int | None
    continuations: int
    repeated: bool  # continuations in a row reached the playbook's limit
    days_since_visit: int | None  # None: over the limit because it was never visited
    too_long: bool


# Given who a row belongs to, the figures it adds to: the team's, and that person's if shown.
Targets = Callable[[int | None], list["Figures"]]


@dataclass(frozen=True)
class TeamFigures:
    """Figures per person (in `people` order) and for everyone together."""

    since: datetime
    until: datetime
    people: Sequence[User]
    by_person: dict[int, Figures]
    team: Figures
    stalled: list[StalledAccount]


def team_figures(
    *, session: Session, playbooks: Playbooks, viewer: User, now: datetime, days: int
) -> TeamFigures:
    """The viewer's scope over the `days` up to `now`."""
    since = now - timedelta(days=days)
    people = [
        person
        for person in scopes.visible_people(session=session, viewer=viewer)
        if person.role != Role.ADMIN
    ]
    ids = [person.id for person in people if person.id is not None]
    by_person = {person_id: Figures() for person_id in ids}
    team = Figures()

    def each(person_id: int | None) -> list[Figures]:
        """The team's figures, and the person's when they are one of the people shown."""
        own = by_person.get(person_id) if person_id is not None else None
        return [team, own] if own is not None else [team]

    def tally(flag: Any) -> Any:
        return sa.func.sum(sa.case((col(flag).is_(True), 1), else_=0))

    for rep_id, kind, planned, asked in session.exec(
        scopes.scope_visits(
            select(
                Visit.rep_id, SpinItem.spin_type, tally(SpinItem.planned), tally(SpinItem.asked)
            )
            .join(SpinItem, col(SpinItem.visit_id) == Visit.id)
            .where(
                col(Visit.rep_id).in_(ids),
                col(Visit.created_at) >= since,
                col(Visit.created_at) <= now,
                Visit.status != VisitStatus.CANCELLED,  # a visit called off planned nothing
            )
            .group_by(col(Visit.rep_id), col(SpinItem.spin_type)),
            viewer=viewer,
        )
    ).all():
        for figures in each(rep_id):
            figures.planned[SpinType(kind)] += int(planned or 0)
            figures.asked[SpinType(kind)] += int(asked or 0)
    in_period = (col(Debrief.created_at) >= since, col(Debrief.created_at) <= now)
    for rep_id, debriefs, advanced, judged, met in session.execute(
        scopes.scope_visits(
            sa.select(
                col(Debrief.rep_id),
                sa.func.count(),
                sa.func.sum(sa.case((col(Debrief.outcome).in_(MOVED), 1), else_=0)),
                sa.func.count(col(Debrief.objective_met)),
                sa.func.sum(sa.case((col(Debrief.objective_met).in_(MET), 1), else_=0)),
            )
            .where(*in_period, col(Debrief.rep_id).in_(ids))
            .group_by(col(Debrief.rep_id)),
            viewer=viewer,
            rep=Debrief.rep_id,
        )
    ).all():
        for figures in each(rep_id):
            figures.debriefs += debriefs
            figures.advanced += int(advanced or 0)
            figures.judged += judged
            figures.objective_met += int(met or 0)
    stalled = _accounts(session, playbooks, viewer, now, each)
    _stage_moves(session, playbooks, viewer, since, now, each)
    return TeamFigures(
        since=since, until=now, people=people, by_person=by_person, team=team, stalled=stalled
    )


def _accounts(
    session: Session, playbooks: Playbooks, viewer: User, now: datetime, each: Targets
) -> list[StalledAccount]:
    """Open opportunities with a known decision maker and coach; stalled accounts."""
    open_stages = [step.id for step in playbooks.process.steps if not step.closes_opportunity]
    limits = {tier.id: tier.visit_within_days for tier in playbooks.accounts.tiers}
    rule = playbooks.accounts.stalled
    has_role = (
        select(Contact.id)
        .where(col(Contact.account_id) == Account.id, Contact.buying_role == "decision_maker")
        .exists()
    )
    has_coach = (
        select(Contact.id)
        .where(col(Contact.account_id) == Account.id, Contact.stance == "coach")
        .exists()
    )
    latest_visit = (
        select(Visit.id)
        .where(
            col(Visit.account_id) == Account.id,
            Visit.status == VisitStatus.DONE,
        )
        .order_by(col(Visit.planned_at).desc().nulls_last(), col(Visit.id).desc())
        .limit(1)
        .correlate(Account)
        .scalar_subquery()
    )
    rows = session.execute(
        scopes.scope_accounts(
            sa.select(
                col(Account.id),
                col(Account.name),
                col(Account.owner_id),
                col(Account.tier),
                col(Account.sales_stage),
                col(Account.created_at),
                has_role,
                has_coach,
                col(Visit.planned_at),
                col(Visit.updated_at),
                col(Debrief.facts)["continuations_in_row"].as_integer(),
                col(Debrief.outcome),
            )
            .outerjoin(Visit, col(Visit.id) == latest_visit)
            .outerjoin(Debrief, col(Debrief.visit_id) == Visit.id)
            .order_by(col(Account.name)),
            viewer=viewer,
        )
    ).all()
    stalled = []
    for row in rows:
        account_id, name, owner_id, tier, sales_stage, created_at = row[:6]
        known_role, known_coach, planned_at, held_at, in_row, outcome = row[6:]
        is_open = sales_stage in open_stages
        for figures in each(owner_id):
            if is_open:
                figures.open_opportunities += 1
                figures.with_decision_maker += int(bool(known_role))
                figures.with_coach += int(bool(known_coach))
        continuations = _continuations(in_row, outcome)
        last = planned_at or held_at
        limit = limits.get(tier) if tier in limits else rule.days_without_visit
        idle = (now - (last or created_at)).days
        too_long = limit is not None and idle > limit
        repeated = continuations >= rule.continuations_in_row
        if repeated or too_long:
            stalled.append(
                StalledAccount(
                    account_id=account_id,
                    name=name,
                    owner_id=owner_id,
                    continuations=continuations,
                    repeated=repeated,
                    days_since_visit=idle if last is not None else None,
                    too_long=too_long,
                )
            )
            for figures in each(owner_id):
                figures.stalled += 1
    return stalled


def _continuations(saved: int | None, outcome: str | None) -> int:
    """Continuations in a row up to the latest debrief, as saved with it (older records: 0/1)."""
    if saved is not None:
        return saved
    return 1 if outcome == Outcome.CONTINUATION else 0


def _stage_moves(
    session: Session,
    playbooks: Playbooks,
    viewer: User,
    since: datetime,
    now: datetime,
    each: Targets,
) -> None:
    """Stage changes in the period, up or down, by who recorded them: relationship moves (a
    person's, the account's lifecycle) apart from the sale's moves along the selling steps."""
    order = {
        StageSubject.CONTACT: [stage.id for stage in playbooks.relationship.contact_stages],
        StageSubject.ACCOUNT: [stage.id for stage in playbooks.relationship.account_stages],
        StageSubject.SALES: [step.id for step in playbooks.process.steps],
    }
    for author, subject, before, after, count in session.execute(
        scopes.scope_accounts(
            sa.select(
                col(StageChange.changed_by_id),
                col(StageChange.subject),
                col(StageChange.from_stage),
                col(StageChange.to_stage),
                sa.func.count(),
            )
            .join(Account, col(Account.id) == StageChange.account_id)
            .where(col(StageChange.changed_at) >= since, col(StageChange.changed_at) <= now)
            .group_by(
                col(StageChange.changed_by_id),
                col(StageChange.subject),
                col(StageChange.from_stage),
                col(StageChange.to_stage),
            ),
            viewer=viewer,
        )
    ).all():
        ladder = order[StageSubject(subject)]
        if before == after:
            continue
        up = before is None or (
            after in ladder and before in ladder and ladder.index(after) > ladder.index(before)
        )
        sale = subject == StageSubject.SALES
        for figures in each(author):
            if sale and up:
                figures.sales_up += count
            elif sale:
                figures.sales_down += count
            elif up:
                figures.moves_up += count
            else:
                figures.moves_down += count


# --- /team: the last week and month, and each rep's open gaps ----------------------------------

WEEK, MONTH = timedelta(days=7), timedelta(days=30)
