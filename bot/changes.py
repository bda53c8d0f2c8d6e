"""Bringing a record up to date after the fact: a next step done or given a new date, a
planned visit cancelled or moved.

Only the rep whose visit it is may change it; anything else (another rep's id, a forged
button, a visit debriefed meanwhile) is refused with a `UserError` the channel shows. Each
change settles the reminders it makes moot in the same transaction: a step done or moved is
not called overdue by a reminder already queued, a cancelled visit is not to be debriefed, and
a moved visit's debrief reminder follows it. Like `records`, it takes a session and never
commits.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlmodel import Session

from bot.domain import ReminderKind, VisitStatus
from bot.errors import UserError
from bot.reminders import schedule_debrief, settle_unsent
from bot.storage import repo
from bot.storage.models import Debrief, User, Visit


def own_next_step(*, session: Session, visit_id: int, rep: User) -> tuple[Debrief, Visit] | None:
    """The next step of the rep's own debriefed visit, done or not; None if there is none."""
    visit = session.get(Visit, visit_id)
    if visit is None or visit.rep_id != rep.id or visit.status != VisitStatus.DONE:
        return None
    debrief = repo.visit_debrief(session=session, visit_id=visit_id)
    if debrief is None or not debrief.next_step:
        return None
    return debrief, visit


def own_planned_visit(*, session: Session, visit_id: int, rep: User) -> Visit | None:
    """The rep's own visit, while it is still planned (not debriefed, not cancelled)."""
    visit = session.get(Visit, visit_id)
    if visit is None or visit.rep_id != rep.id or visit.status != VisitStatus.PLANNED:
        return None
    return visit


def mark_step_done(*, session: Session, visit_id: int, rep: User, now: datetime) -> Debrief:
    """The step is done, by `rep`, now; a step already done keeps its first when and who."""
    found = own_next_step(session=session, visit_id=visit_id, rep=rep)
    if found is None:
        raise UserError("errors/next_step_not_found")
    debrief, _ = found
    if debrief.next_step_done_at is None:
        debrief.next_step_done_at = now
        debrief.next_step_done_by = rep.id
        session.add(debrief)
        _settle(session=session, visit_id=visit_id, kind=ReminderKind.NEXT_STEP, now=now)
    return debrief


def move_step(
    *, session: Session, visit_id: int, rep: User, due: date, today: date, now: datetime
) -> Debrief:
    """The open step is due on `due` instead (never before `today`): no longer overdue."""
    found = own_next_step(session=session, visit_id=visit_id, rep=rep)
    if found is None or found[0].next_step_done_at is not None:
        raise UserError("errors/next_step_not_found")
    if due < today:
        raise UserError("errors/date_passed")
    debrief, _ = found
    debrief.next_step_due = due
    session.add(debrief)
    _settle(session=session, visit_id=visit_id, kind=ReminderKind.NEXT_STEP, now=now)
    return debrief


def cancel_visit(*, session: Session, visit_id: int, rep: User, now: datetime) -> Visit:
    """The visit will not happen: cancelled, kept in the record, its debrief reminder moot."""
    visit = own_planned_visit(session=session, visit_id=visit_id, rep=rep)
    if visit is None:
        raise UserError("errors/visit_not_found")
    visit.status = VisitStatus.CANCELLED
    visit.updated_at = now
    session.add(visit)
    _settle(session=session, visit_id=visit_id, kind=ReminderKind.DEBRIEF, now=now)
    return visit


def move_visit(
    *,
    session: Session,
    visit_id: int,
    rep: User,
    planned_at: datetime,
    now: datetime,
    remind_after: timedelta,
) -> Visit:
    """The visit is at `planned_at` instead (still to come); its debrief reminder moves too."""
    visit = own_planned_visit(session=session, visit_id=visit_id, rep=rep)
    if visit is None:
        raise UserError("errors/visit_not_found")
    if planned_at <= now:
        raise UserError("errors/time_passed")
    visit.planned_at = planned_at
    visit.updated_at = now
    session.add(visit)
    schedule_debrief(session=session, visit=visit, delay=remind_after)
    return visit


def _settle(*, session: Session, visit_id: int, kind: ReminderKind, now: datetime) -> None:
    """The visit's reminders of `kind` not yet sent will not be (see `reminders.settle_unsent`)."""
    settle_unsent(session=session, visit_id=visit_id, kind=kind, now=now)
