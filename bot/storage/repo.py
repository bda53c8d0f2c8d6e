"""Queries the flows and cards share. Keyword-only, a session passed in, no commits here."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlmodel import Session, col, select

from bot.domain import SnapshotPhase, StageSubject, VisitStatus
from bot.storage import scopes
from bot.storage.models import (
    Account,
    AccountCompetitor,
    AccountCriterion,
    AccountPlanEntry,
    CoachingComment,
    Contact,
    Debrief,
    DebriefCorrection,
    DebriefRisk,
    FlowSession,
    SpinItem,
    StageChange,
    StakeholderSnapshot,
    TranscriptLine,
    User,
    Visit,
    VisitProblem,
)


def team_accounts(*, session: Session, team_id: int) -> Sequence[Account]:
    """A team's accounts, most recently touched first (what a rep most likely means)."""
    return session.exec(
        select(Account)
        .where(Account.team_id == team_id)
        .order_by(col(Account.updated_at).desc(), col(Account.id).desc())
    ).all()


def account_contacts(*, session: Session, account_id: int) -> Sequence[Contact]:
    """An account's people in the order they were added."""
    return session.exec(
        select(Contact).where(Contact.account_id == account_id).order_by(col(Contact.id))
    ).all()


def open_visits(*, session: Session, rep_id: int) -> Sequence[tuple[Visit, Account]]:
    """A rep's planned visits with their accounts, soonest first."""
    return session.exec(
        select(Visit, Account)
        .join(Account, col(Account.id) == Visit.account_id)
        .where(Visit.rep_id == rep_id, Visit.status == VisitStatus.PLANNED)
        .order_by(col(Visit.planned_at))
    ).all()


def open_next_steps(*, session: Session, rep_id: int) -> Sequence[tuple[Debrief, Visit, Account]]:
    """A rep's next steps not yet done, the longest overdue first and undated ones last."""
    return session.exec(
        select(Debrief, Visit, Account)
        .join(Visit, col(Visit.id) == Debrief.visit_id)
        .join(Account, col(Account.id) == Visit.account_id)
        .where(
            Visit.rep_id == rep_id,
            Visit.status == VisitStatus.DONE,
            col(Debrief.next_step).is_not(None),
            col(Debrief.next_step_done_at).is_(None),
        )
        .order_by(
            col(Debrief.next_step_due).is_(None),
            col(Debrief.next_step_due),
            col(Debrief.created_at),
        )
    ).all()


def visit_attendees(*, session: Session, visit_id: int) -> Sequence[Contact]:
    """The people planned for a visit (its prep snapshots), in plan order."""
    return session.exec(
        select(Contact)
        .join(StakeholderSnapshot, col(StakeholderSnapshot.contact_id) == Contact.id)
        .where(
            StakeholderSnapshot.visit_id == visit_id,
            StakeholderSnapshot.phase == SnapshotPhase.PREP,
        )
        .order_by(col(StakeholderSnapshot.id))
    ).all()


def engaged_contact_ids(*, session: Session, account_id: int) -> set[int]:
    """Everyone who attended a debriefed visit at the account."""
    rows = session.exec(
        select(StakeholderSnapshot.contact_id)
        .join(Visit, col(Visit.id) == StakeholderSnapshot.visit_id)
        .where(
            Visit.account_id == account_id,
            StakeholderSnapshot.phase == SnapshotPhase.DEBRIEF,
            col(StakeholderSnapshot.attended).is_(True),
        )
    ).all()
    return set(rows)


def account_history(
    *, session: Session, account_id: int, limit: int = 10, viewer: User | None = None
) -> Sequence[tuple[Visit, Debrief | None]]:
    """An account's visits, newest first, with their debriefs where done.

    With a `viewer`, only the visits they may see (`scopes`): what a card shows a person.
    Without one, all of them: what coaching counts (streaks at the account).
    """
    query = (
        select(Visit, Debrief)
        .join(Debrief, col(Debrief.visit_id) == Visit.id, isouter=True)
        .where(Visit.account_id == account_id)
        .order_by(col(Visit.planned_at).desc(), col(Visit.id).desc())
        .limit(limit)
    )
    if viewer is not None:
        query = scopes.scope_visits(query, viewer=viewer)
    return session.exec(query).all()


def stage_changes_since(
    *, session: Session, account_id: int, since: datetime | None
) -> Sequence[StageChange]:
    """Relationship stage moves at an account, optionally only after `since`."""
    query = select(StageChange).where(StageChange.account_id == account_id)
    if since is not None:
        query = query.where(col(StageChange.changed_at) > since)
    return session.exec(query.order_by(col(StageChange.changed_at))).all()


def account_stage_moves(
    *,
    session: Session,
    account_id: int,
    visit_id: int | None = None,
    viewer: User | None = None,
    limit: int = 5,
) -> Sequence[tuple[StageChange, User | None]]:
    """The account's own sales and lifecycle moves, newest first, with who recorded each;
    only those of one visit with `visit_id`, and of the visits `viewer` may see with it."""
    query = (
        select(StageChange, User)
        .join(Visit, col(Visit.id) == StageChange.visit_id)
        .join(User, col(User.id) == StageChange.changed_by_id, isouter=True)
        .where(
            StageChange.account_id == account_id,
            col(StageChange.subject).in_([StageSubject.SALES, StageSubject.ACCOUNT]),
        )
    )
    if visit_id is not None:
        query = query.where(StageChange.visit_id == visit_id)
    if viewer is not None:
        query = scopes.scope_visits(query, viewer=viewer)
    query = query.order_by(col(StageChange.changed_at).desc(), col(StageChange.id).desc())
    return session.exec(query.limit(limit)).all()


def visit_problems(*, session: Session, visit_id: int) -> Sequence[VisitProblem]:
    """The problems a visit's plan set out to explore, in worksheet order."""
    return session.exec(
        select(VisitProblem)
        .where(VisitProblem.visit_id == visit_id)
        .order_by(col(VisitProblem.position))
    ).all()


def visit_questions(
    *, session: Session, visit_id: int, planned_only: bool = False
) -> Sequence[SpinItem]:
    """A visit's SPIN questions in plan order; `planned_only` leaves out those added after."""
    query = select(SpinItem).where(SpinItem.visit_id == visit_id)
    if planned_only:
        query = query.where(col(SpinItem.planned).is_(True))
    return session.exec(query.order_by(col(SpinItem.position))).all()


def last_visit(*, session: Session, account_id: int, rep_id: int) -> Visit | None:
    """The rep's latest visit to the account that was not cancelled: a repeat visit starts
    from it (its people, its open next step, the questions it never got to)."""
    return session.exec(
        select(Visit)
        .where(
            Visit.account_id == account_id,
            Visit.rep_id == rep_id,
            Visit.status != VisitStatus.CANCELLED,
        )
        .order_by(col(Visit.planned_at).desc(), col(Visit.id).desc())
        .limit(1)
    ).first()


def visit_debrief(*, session: Session, visit_id: int) -> Debrief | None:
    """The visit's debrief, if it has one."""
    return session.exec(select(Debrief).where(Debrief.visit_id == visit_id)).first()


def recent_debriefs(
    *, session: Session, rep_id: int, since: datetime
) -> Sequence[tuple[Debrief, Visit, Account]]:
    """A rep's own debriefs saved since `since`, newest first, with visit and account."""
    return session.exec(
        select(Debrief, Visit, Account)
        .join(Visit, col(Visit.id) == Debrief.visit_id)
        .join(Account, col(Account.id) == Visit.account_id)
        .where(
            Visit.rep_id == rep_id,
            Visit.status == VisitStatus.DONE,
            col(Debrief.created_at) >= since,
        )
        .order_by(col(Debrief.created_at).desc(), col(Debrief.id).desc())
    ).all()


def rep_debrief(*, session: Session, visit_id: int, rep_id: int) -> tuple[Debrief, Visit] | None:
    """The debrief of one of the rep's own visits, however old; None for anyone else's."""
    row = session.exec(
        select(Debrief, Visit)
        .join(Visit, col(Visit.id) == Debrief.visit_id)
        .where(Visit.id == visit_id, Visit.rep_id == rep_id, Visit.status == VisitStatus.DONE)
    ).first()
    return (row[0], row[1]) if row is not None else None


def debrief_corrections(
    *, session: Session, debrief_id: int
) -> Sequence[tuple[DebriefCorrection, User]]:
    """A debrief's corrections with who made each, oldest first."""
    return session.exec(
        select(DebriefCorrection, User)
        .join(User, col(User.id) == DebriefCorrection.corrected_by_id)
        .where(DebriefCorrection.debrief_id == debrief_id)
        .order_by(col(DebriefCorrection.corrected_at), col(DebriefCorrection.id))
    ).all()


def visible_visit(*, session: Session, viewer: User, visit_id: int) -> Visit | None:
    """The visit if `viewer` may see it (`scopes`), else None: a forged id finds nothing."""
    return session.exec(
        scopes.scope_visits(select(Visit).where(Visit.id == visit_id), viewer=viewer)
    ).first()


def latest_rep_visits(
    *, session: Session, viewer: User, rep_id: int, limit: int
) -> Sequence[tuple[Visit, Account, Debrief | None]]:
    """A rep's latest visits that `viewer` may see, newest first, with account and debrief."""
    return session.exec(
        scopes.scope_visits(
            select(Visit, Account, Debrief)
            .join(Account, col(Account.id) == Visit.account_id)
            .join(Debrief, col(Debrief.visit_id) == Visit.id, isouter=True)
            .where(Visit.rep_id == rep_id)
            .order_by(col(Visit.planned_at).desc(), col(Visit.id).desc())
            .limit(limit),
            viewer=viewer,
        )
    ).all()


def visit_comments(*, session: Session, visit_id: int) -> Sequence[tuple[CoachingComment, User]]:
    """A visit's comment thread with each author, oldest first."""
    return session.exec(
        select(CoachingComment, User)
        .join(User, col(User.id) == CoachingComment.author_id)
        .where(CoachingComment.visit_id == visit_id)
        .order_by(col(CoachingComment.created_at), col(CoachingComment.id))
    ).all()


def visit_transcript(
    *, session: Session, visit_id: int
) -> Sequence[tuple[TranscriptLine, FlowSession]]:
    """The lines of every flow run linked to a visit (prep, then debrief), each in its order."""
    return session.exec(
        select(TranscriptLine, FlowSession)
        .join(FlowSession, col(FlowSession.id) == TranscriptLine.session_id)
        .where(FlowSession.visit_id == visit_id)
        .order_by(col(FlowSession.started_at), col(FlowSession.id), col(TranscriptLine.seq))
    ).all()


def account_plan(*, session: Session, account_id: int) -> dict[str, AccountPlanEntry]:
    """The account's plan, by view id."""
    entries = session.exec(
        select(AccountPlanEntry).where(col(AccountPlanEntry.account_id) == account_id)
    ).all()
    return {entry.view_id: entry for entry in entries}


def competitor_names(*, session: Session, account_id: int) -> list[str]:
    """The competitors recorded at the account, in the order they were added."""
    return list(
        session.exec(
            select(AccountCompetitor.name)
            .where(col(AccountCompetitor.account_id) == account_id)
            .order_by(col(AccountCompetitor.id))
        ).all()
    )


def visit_risks(*, session: Session, visit_id: int) -> list[str]:
    """The risk signal ids heard at the visit's debrief."""
    return list(
        session.exec(
            select(DebriefRisk.risk_id)
            .join(Debrief, col(Debrief.id) == DebriefRisk.debrief_id)
            .where(col(Debrief.visit_id) == visit_id)
            .order_by(col(DebriefRisk.risk_id))
        ).all()
    )


def risks_since(
    *, session: Session, viewer: User, rep_ids: Sequence[int], since: datetime
) -> list[tuple[int, str, str]]:
    """(rep, account name, risk id) of the risk signals in debriefs written since `since`,
    of the visits `viewer` may see (a rep who moved teams: only those made here)."""
    query = (
        select(Debrief.rep_id, Account.name, DebriefRisk.risk_id)
        .join(Debrief, col(Debrief.id) == DebriefRisk.debrief_id)
        .join(Visit, col(Visit.id) == Debrief.visit_id)
        .join(Account, col(Account.id) == Visit.account_id)
        .where(col(Debrief.rep_id).in_(rep_ids), col(Debrief.created_at) >= since)
    )
    scoped = scopes.scope_visits(query, viewer=viewer, rep=Debrief.rep_id)
    rows = session.exec(scoped.order_by(col(Debrief.created_at).desc())).all()
    return [(rep, account, risk) for rep, account, risk in rows]


def account_criteria(*, session: Session, account_id: int) -> list[str]:
    """The purchase-criteria categories heard at the account."""
    return list(
        session.exec(
            select(AccountCriterion.criterion_id).where(
                col(AccountCriterion.account_id) == account_id
            )
        ).all()
    )
