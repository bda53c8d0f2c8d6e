"""Reminders are rows: scheduled by the flows, claimed in SQL, sent by a channel, marked fired.

A reminder is claimed with one `UPDATE ... RETURNING`, so two workers (or a worker and its
restarted self) never send the same reminder twice; a claim left behind by a crash is taken
over after `STALE_CLAIM`. Sending failures release the claim, so nothing is lost. The JobQueue
only ticks; nothing about a reminder lives in process memory.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlmodel import Session, col, select

from bot.domain import ReminderKind, VisitStatus
from bot.engine import codes
from bot.engine.output import Button, Reply
from bot.engine.pages import cut_to_lines
from bot.nudges import queue_nudges
from bot.playbooks.loader import Playbooks
from bot.playbooks.schema_nudges import Nudge
from bot.settings import Language, as_language
from bot.storage.models import (
    Account,
    CoachingComment,
    Debrief,
    FlowState,
    Reminder,
    User,
    Visit,
)
from bot.text import Texts

log = logging.getLogger(__name__)

STALE_CLAIM = timedelta(minutes=10)
NOTIFIED_COMMENT_LINES = 15  # of a comment in its notice; all of it is one tap away (the thread)
POSTPONE = timedelta(minutes=30)  # a debrief reminder waits while that debrief is under way


def schedule_debrief(*, session: Session, visit: Visit, delay: timedelta) -> None:
    """Remind the rep to debrief `delay` after the planned time; one per visit."""
    if visit.planned_at is None or visit.id is None:
        return
    key = f"debrief:{visit.id}"
    existing = session.exec(select(Reminder).where(Reminder.dedupe_key == key)).first()
    due = visit.planned_at + delay
    if existing is not None:
        existing.due_at, existing.fired_at, existing.claimed_by = due, None, None
        session.add(existing)
        return
    session.add(
        Reminder(
            user_id=visit.rep_id,
            kind=ReminderKind.DEBRIEF,
            due_at=due,
            visit_id=visit.id,
            dedupe_key=key,
        )
    )


def settle_unsent(*, session: Session, visit_id: int, kind: ReminderKind, now: datetime) -> None:
    """The visit's reminders of `kind` not yet sent will not be: they are marked fired."""
    session.execute(
        sa.update(Reminder)
        .where(
            col(Reminder.visit_id) == visit_id,
            col(Reminder.kind) == kind,
            col(Reminder.fired_at).is_(None),
        )
        .values(fired_at=now)
    )


def queue_overdue_next_steps(*, session: Session, now: datetime, zone: ZoneInfo, at: time) -> int:
    """Once a day, after `at` local time, queue a reminder per overdue next step.

    The dedupe key (visit and local date) makes this safe to run every tick and on every worker:
    the second insert of the day violates the unique key and is skipped.
    """
    local = now.astimezone(zone)
    if local.time() < at:
        return 0
    today = local.date()
    overdue = session.exec(
        select(Debrief, Visit)
        .join(Visit, col(Visit.id) == Debrief.visit_id)
        .join(User, col(User.id) == Visit.rep_id)
        .where(
            col(User.is_active).is_(True),  # a deactivated rep is reminded of nothing
            col(Debrief.next_step_due) < today,
            col(Debrief.next_step_done_at).is_(None),
            col(Debrief.next_step).is_not(None),
            Visit.status == VisitStatus.DONE,
        )
    ).all()
    queued = 0
    for debrief, visit in overdue:
        key = f"next_step:{visit.id}:{today.isoformat()}"
        try:
            with session.begin_nested():
                session.add(
                    Reminder(
                        user_id=visit.rep_id,
                        kind=ReminderKind.NEXT_STEP,
                        due_at=now,
                        visit_id=visit.id,
                        dedupe_key=key,
                        payload={
                            "due": debrief.next_step_due.isoformat()
                            if debrief.next_step_due
                            else None
                        },
                    )
                )
            queued += 1
        except sa.exc.IntegrityError:
            continue
    return queued


def claim_due(*, session: Session, now: datetime, worker: str) -> list[int]:
    """UPDATE ... WHERE unclaimed (or stale) AND due RETURNING id: one worker per reminder."""
    claimable = sa.or_(
        col(Reminder.claimed_by).is_(None), col(Reminder.claimed_at) < now - STALE_CLAIM
    )
    statement = (
        sa.update(Reminder)
        .where(col(Reminder.fired_at).is_(None), col(Reminder.due_at) <= now, claimable)
        .values(claimed_by=worker, claimed_at=now)
        .returning(col(Reminder.id))
    )
    return [int(row[0]) for row in session.execute(statement).all()]


def mark_fired(*, session: Session, reminder_id: int, now: datetime) -> None:
    """The reminder was delivered (or is moot): never again."""
    session.execute(
        sa.update(Reminder).where(col(Reminder.id) == reminder_id).values(fired_at=now)
    )


def release(*, session: Session, reminder_id: int) -> None:
    """Sending failed: let the next tick try again."""
    session.execute(
        sa.update(Reminder)
        .where(col(Reminder.id) == reminder_id)
        .values(claimed_by=None, claimed_at=None)
    )


def being_debriefed(*, session: Session, reminder_id: int, now: datetime) -> bool:
    """The rep is in the middle of debriefing this very visit: a reminder would only jar.

    A debrief untouched for `POSTPONE` was walked away from: then the reminder is the nudge.
    """
    reminder = session.get(Reminder, reminder_id)
    if reminder is None or reminder.kind != ReminderKind.DEBRIEF:
        return False
    state = session.get(FlowState, reminder.user_id)
    if state is None or state.flow != "debrief" or state.updated_at < now - POSTPONE:
        return False
    return str(state.data.get("answers", {}).get("visit")) == str(reminder.visit_id)


def postpone(*, session: Session, reminder_id: int, until: datetime) -> None:
    """Due again later, unclaimed: if the debrief is abandoned, the reminder still comes."""
    session.execute(
        sa.update(Reminder)
        .where(col(Reminder.id) == reminder_id)
        .values(due_at=until, claimed_by=None, claimed_at=None)
    )


@dataclass(frozen=True)
class DueReminder:
    """A reminder's message ready to send: to whom, what, and its row to mark.

    Not the outbox (`bot.outbox`), which holds replies to events: a reminder waits in its own
    row and is rendered only when it is due.
    """

    reminder_id: int
    telegram_id: int | None
    reply: Reply


def render(
    *,
    session: Session,
    reminder_id: int,
    texts: Texts,
    zone: ZoneInfo,
    now: datetime,
    playbooks: Playbooks | None = None,
) -> DueReminder | None:
    """The message for a claimed reminder, or None when it is moot (already debriefed or
    cancelled; a next step done, or given a date still to come since it was queued)."""
    reminder = session.get(Reminder, reminder_id)
    if reminder is None or reminder.visit_id is None:
        return None
    user = session.get(User, reminder.user_id)
    visit = session.get(Visit, reminder.visit_id)
    if user is None or not user.is_active or visit is None:
        return None
    account = session.get(Account, visit.account_id)
    language = as_language(user.language)
    local_zone = ZoneInfo(user.timezone) if user.timezone else zone
    if reminder.kind == ReminderKind.DEBRIEF:
        if visit.status != VisitStatus.PLANNED:
            return None
        when = (
            visit.planned_at.astimezone(local_zone).strftime("%m-%d %H:%M")
            if visit.planned_at
            else ""
        )
        text = texts.render(
            "reminders/debrief", language, account=account.name if account else "", when=when
        )
        buttons: tuple[tuple[Button, ...], ...] = (
            (Button(texts.label("debrief_now", language), codes.menu("debrief", str(visit.id))),),
            (
                Button(
                    texts.label("visit_move", language), codes.menu("visits", f"move:{visit.id}")
                ),
                Button(
                    texts.label("visit_cancel", language),
                    codes.menu("visits", f"cancel:{visit.id}"),
                ),
            ),
        )
    elif reminder.kind == ReminderKind.COMMENT:
        comment = session.get(CoachingComment, int(reminder.payload.get("comment_id", 0)))
        if comment is None:
            return None
        author = session.get(User, comment.author_id)
        text = texts.render(
            "reminders/comment",
            language,
            account=account.name if account else "",
            author=author.display_name if author else "",
            comment=cut_to_lines(comment.text, NOTIFIED_COMMENT_LINES),
        )
        buttons = (
            (Button(texts.label("open_thread", language), codes.menu("thread", str(visit.id))),),
        )
    elif reminder.kind == ReminderKind.NUDGE:
        nudge = _nudge_of(playbooks, str(reminder.payload.get("nudge")))
        if nudge is None or account is None:
            return None
        if nudge.id == "cadence_passed" and _visit_ahead(session, account.id or 0, now):
            return None  # a visit was planned since: the cadence is looked after
        text = texts.render(
            "reminders/nudge",
            language,
            account=account.name,
            nudge=nudge.id,
            name=nudge.name.get(language),
            action=nudge.action.get(language),
            facts=reminder.payload.get("facts", {}),
            signals=_signals(playbooks, reminder.payload.get("facts", {}), language),
        )
        buttons = (
            (
                Button(
                    texts.label("open_account", language), codes.menu("accounts", str(account.id))
                ),
            ),
            (
                Button(
                    texts.label("guide_account", language),
                    codes.menu("guide", f"account:{account.id}"),
                ),
            ),
        )
    else:
        debrief = session.exec(select(Debrief).where(Debrief.visit_id == visit.id)).first()
        if debrief is None or debrief.next_step_done_at is not None or not debrief.next_step:
            return None
        today = now.astimezone(local_zone).date()
        if debrief.next_step_due is None or debrief.next_step_due >= today:
            return None  # given a new date since it was queued: not overdue any more
        text = texts.render(
            "reminders/next_step",
            language,
            account=account.name if account else "",
            step=debrief.next_step,
            due=debrief.next_step_due.isoformat() if debrief.next_step_due else "",
        )
        buttons = (
            (
                Button(texts.label("step_done", language), codes.menu("next", f"done:{visit.id}")),
                Button(texts.label("step_date", language), codes.menu("next", f"date:{visit.id}")),
            ),
            (
                Button(
                    texts.label("open_account", language),
                    codes.menu("accounts", str(visit.account_id)),
                ),
            ),
        )
    return DueReminder(reminder_id, user.telegram_id, Reply(text, buttons=buttons))


def due_messages(
    *,
    db: sa.Engine,
    now: datetime,
    worker: str,
    texts: Texts,
    zone: ZoneInfo,
    at: time,
    playbooks: Playbooks | None = None,
) -> Sequence[DueReminder]:
    """Queue today's next-step reminders (and, given the playbooks, today's nudges), claim
    what is due, and render it; moot ones fire now."""
    with Session(db) as session:
        queue_overdue_next_steps(session=session, now=now, zone=zone, at=at)
        if playbooks is not None:
            queue_nudges(session=session, playbooks=playbooks, now=now, zone=zone, at=at)
        claimed = claim_due(session=session, now=now, worker=worker)
        due = []
        for reminder_id in claimed:
            if being_debriefed(session=session, reminder_id=reminder_id, now=now):
                postpone(session=session, reminder_id=reminder_id, until=now + POSTPONE)
                continue
            message = render(
                session=session,
                reminder_id=reminder_id,
                texts=texts,
                zone=zone,
                now=now,
                playbooks=playbooks,
            )
            if message is None or message.telegram_id is None:
                mark_fired(session=session, reminder_id=reminder_id, now=now)
                continue
            due.append(message)
        session.commit()
    return due


def settle(*, db: sa.Engine, reminder_id: int, delivered: bool, now: datetime) -> None:
    """After sending: fired on success, released for a retry on failure."""
    with Session(db) as session:
        if delivered:
            mark_fired(session=session, reminder_id=reminder_id, now=now)
        else:
            release(session=session, reminder_id=reminder_id)
        session.commit()


def _nudge_of(playbooks: Playbooks | None, nudge_id: str) -> Nudge | None:
    """The playbook's nudge by id; None without playbooks or once it is gone from them."""
    if playbooks is None:
        return None
    return next((nudge for nudge in playbooks.nudges.nudges if nudge.id == nudge_id), None)


def _visit_ahead(session: Session, account_id: int, now: datetime) -> bool:
    return (
        session.exec(
            select(Visit.id).where(
                Visit.account_id == account_id,
                Visit.status == VisitStatus.PLANNED,
                col(Visit.planned_at) >= now,
            )
        ).first()
        is not None
    )


def _signals(
    playbooks: Playbooks | None, facts: dict[str, object], language: Language
) -> list[dict[str, str]]:
    """The risk signals a nudge names, each with the playbook's first response."""
    if playbooks is None:
        return []
    heard = facts.get("risks")
    known = {signal.id: signal for signal in playbooks.risks.signals}
    return [
        {
            "label": known[risk].label.get(language),
            "response": known[risk].response[0].get(language),
        }
        for risk in (heard if isinstance(heard, list) else [])
        if risk in known
    ]
