"""The one place call records are written: a plan from /prep, a debrief from /debrief, comments.

A flow builds a draft from its answers (`bot.storage.drafts`) and hands it over; only
this module creates accounts, contacts, visits, SPIN items, stakeholder snapshots, stage
changes, debrief corrections and coaching comments, each kind of row by one builder. Like
every query module it takes a session and never commits: the engine commits the event the
answers came in.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlmodel import Session, select

from bot.coaching.record import account_done, continuation_streaks, visit_facts
from bot.domain import (
    CORRECTION_DAYS,
    DebriefField,
    ReminderKind,
    SnapshotPhase,
    StageSubject,
    VisitStatus,
)
from bot.errors import UserError
from bot.reminders import schedule_debrief, settle_unsent
from bot.storage import repo
from bot.storage.drafts import (
    AccountDraft,
    CorrectionDraft,
    DebriefDraft,
    PersonDraft,
    PlanDraft,
    QuestionDraft,
)
from bot.storage.models import (
    Account,
    AccountCriterion,
    CoachingComment,
    Contact,
    Debrief,
    DebriefCorrection,
    DebriefRisk,
    FlowSession,
    Reminder,
    SpinItem,
    StageChange,
    StakeholderSnapshot,
    User,
    Visit,
    VisitProblem,
)

# --- saving -----------------------------------------------------------------------------------


def save_plan(
    *,
    session: Session,
    draft: PlanDraft,
    rep: User,
    now: datetime,
    remind_after: timedelta,
    flow_session_id: int | None = None,
) -> Visit:
    """Write the account, people, visit, SPIN plan, problems and prep snapshots; remind to
    debrief.

    A new person's stage is where they start, not a move; an on-file person's changed stage is
    a move. The reminder is due `remind_after` the planned time, unless the visit happened.
    """
    account = _account(session=session, draft=draft.account, rep=rep, now=now)
    people = [
        _contact(session=session, person=person, account=account, now=now)
        for person in draft.attendees
    ]
    visit = _visit(
        session=session,
        account=account,
        rep=rep,
        now=now,
        planned_at=draft.planned_at,
        best=draft.objective_best,
        minimum=draft.objective_minimum,
    )
    for position, question in enumerate(draft.questions):
        session.add(_question(visit, question, position=position, planned=True))
    for position, text in enumerate(draft.problems):
        session.add(VisitProblem(visit_id=visit.id or 0, position=position, text=text))
    for person, (contact, created) in zip(draft.attendees, people, strict=True):
        _apply(
            session=session,
            person=person,
            contact=contact,
            visit=visit,
            by=rep,
            now=now,
            moves=not created,
        )
        session.add(_snapshot(visit, contact, phase=SnapshotPhase.PREP, now=now))
    if not draft.happened:
        schedule_debrief(session=session, visit=visit, delay=remind_after)
    _link_transcript(session=session, flow_session_id=flow_session_id, visit=visit)
    return visit


def save_debrief(
    *,
    session: Session,
    draft: DebriefDraft,
    rep: User,
    now: datetime,
    flow_session_id: int | None = None,
) -> Debrief:
    """Write the debrief, SPIN answers, snapshots and stage changes; the visit is done.

    An unplanned visit is made first, held now, with its attendees' prep snapshots as they
    stood. Every stage an attendee is said to have moved to is a move, and so is the account's
    sales or lifecycle stage moving. The coaching facts are saved with the debrief, as they
    stand once everything else is written.
    """
    if draft.visit_id is not None:
        visit = _own_visit(session=session, visit_id=draft.visit_id, rep=rep)
        account = session.get(Account, visit.account_id)
        assert account is not None
        attendees = [
            _contact(session=session, person=person, account=account, now=now)[0]
            for person in draft.attendees
        ]
    else:
        if draft.account is None:
            raise ValueError("an unplanned visit needs its account")
        account = _account(session=session, draft=draft.account, rep=rep, now=now)
        visit, attendees = _unplanned_visit(
            session=session, account=account, people=draft.attendees, rep=rep, now=now
        )
    assert visit.id is not None
    planned = repo.visit_questions(session=session, visit_id=visit.id, planned_only=True)
    answers = {asked.spin_item_id: asked.answer for asked in draft.asked}
    for item in planned:
        item.asked = item.id in answers
        item.answer = answers.get(item.id or 0) if item.asked else None
        session.add(item)
    for position, question in enumerate(draft.other_questions, start=len(planned) + 1):
        session.add(_question(visit, question, position=position, planned=False, asked=True))
    met: dict[str, Contact] = {}
    for person, contact in zip(draft.attendees, attendees, strict=True):
        _apply(
            session=session,
            person=person,
            contact=contact,
            visit=visit,
            by=rep,
            now=now,
            moves=True,
        )
        after = _snapshot(
            visit, contact, phase=SnapshotPhase.DEBRIEF, now=now, attended=person.attended
        )
        session.add(after)
        met[person.key] = contact
    _newcomers(session=session, draft=draft, met=met, visit=visit, account=account, now=now)
    _move_account(session=session, draft=draft, account=account, visit=visit, by=rep, now=now)
    debrief = Debrief(
        visit_id=visit.id,
        rep_id=visit.rep_id,
        team_id=visit.team_id,
        outcome=draft.outcome,
        objective_met=draft.objective_met,
        summary=draft.summary,
        implied_needs=draft.implied_needs,
        explicit_needs=draft.explicit_needs,
        next_step=draft.next_step,
        next_step_due=draft.next_step_due,
        created_at=now,
    )
    visit.status = VisitStatus.DONE
    visit.updated_at = now
    account.updated_at = now
    session.add_all([debrief, visit, account])
    session.flush()
    session.add_all(DebriefRisk(debrief_id=debrief.id or 0, risk_id=risk) for risk in draft.risks)
    _heard_criteria(session=session, draft=draft, account=account, visit=visit, now=now)
    session.flush()
    debrief.facts = visit_facts(session=session, visit=visit).as_dict()
    session.add(debrief)
    session.flush()
    _link_transcript(session=session, flow_session_id=flow_session_id, visit=visit)
    return debrief


def _heard_criteria(
    *, session: Session, draft: DebriefDraft, account: Account, visit: Visit, now: datetime
) -> None:
    """The purchase criteria heard: each kept once per account, with the visit first heard."""
    assert account.id is not None
    for criterion in dict.fromkeys(draft.criteria):
        if session.get(AccountCriterion, (account.id, criterion)) is None:
            session.add(
                AccountCriterion(
                    account_id=account.id,
                    criterion_id=criterion,
                    visit_id=visit.id,
                    created_at=now,
                )
            )


# The saved facts that read a corrected field (see bot/coaching/facts.py); the others stand
# as they were when the debrief was saved.
FACTS_OF_FIELDS = {
    DebriefField.OUTCOME: ("outcome", "continuations_in_row"),
    DebriefField.OBJECTIVE_MET: ("objective_met",),
    DebriefField.NEXT_STEP_DUE: ("next_step_dated",),
}


def correction_open(debrief: Debrief, now: datetime) -> bool:
    """A debrief may be corrected for CORRECTION_DAYS after it was saved."""
    return now - debrief.created_at <= timedelta(days=CORRECTION_DAYS)


def correct_debrief(
    *,
    session: Session,
    draft: CorrectionDraft,
    rep: User,
    now: datetime,
    flow_session_id: int | None = None,
) -> list[DebriefCorrection]:
    """Correct the rep's own debrief, saved at most CORRECTION_DAYS ago, field by field.

    Each field given that differs from the row is a correction: the value before and after,
    by `rep`, at `now`; the row then holds the new value. The saved coaching facts that read a
    corrected outcome or due date are brought up to date (so are the score and the flags read
    from them), so are the continuation streaks of the later debriefs at the account, and a
    next-step reminder queued for the old step or date is not sent. Anyone else's debrief, or
    one saved longer ago, is refused with a `UserError`.
    """
    found = repo.rep_debrief(session=session, visit_id=draft.visit_id, rep_id=rep.id or 0)
    if found is None:
        raise UserError("errors/debrief_not_found")
    debrief, visit = found
    if not correction_open(debrief, now):
        raise UserError("errors/correction_closed", days=CORRECTION_DAYS)
    assert debrief.id is not None and rep.id is not None
    made = []
    for field in DebriefField:
        new = getattr(draft, field.value)
        old = getattr(debrief, field.value)
        if new is None or new == old:
            continue
        made.append(
            DebriefCorrection(
                debrief_id=debrief.id,
                field=field,
                old_value=_stored(old),
                new_value=_stored(new),
                corrected_by_id=rep.id,
                corrected_at=now,
            )
        )
        setattr(debrief, field.value, new)
    if not made:
        return []
    session.add_all([debrief, *made])
    session.flush()
    fields = {correction.field for correction in made}
    _refresh_facts(session=session, debrief=debrief, visit=visit, fields=fields)
    if DebriefField.OUTCOME in fields:
        _refresh_later_streaks(session=session, visit=visit)
    if fields & {DebriefField.NEXT_STEP, DebriefField.NEXT_STEP_DUE}:
        assert visit.id is not None
        settle_unsent(session=session, visit_id=visit.id, kind=ReminderKind.NEXT_STEP, now=now)
    _link_transcript(session=session, flow_session_id=flow_session_id, visit=visit)
    return made


def _stored(value: object) -> str | None:
    """A debrief value as a correction keeps it: ids and words as they are, dates ISO."""
    if value is None:
        return None
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _refresh_facts(
    *, session: Session, debrief: Debrief, visit: Visit, fields: set[DebriefField]
) -> None:
    """The saved facts a corrected field feeds, read afresh; the rest stay as saved.

    A debrief saved before facts were kept has none: its facts are read live anyway.
    """
    names = [name for field in fields for name in FACTS_OF_FIELDS.get(field, ())]
    if not names or not debrief.facts:
        return
    fresh = visit_facts(session=session, visit=visit).as_dict()
    debrief.facts = {**debrief.facts, **{name: fresh[name] for name in names}}
    session.add(debrief)
    session.flush()


def _refresh_later_streaks(*, session: Session, visit: Visit) -> None:
    """Every later debrief at the account counts its continuations back through this visit.

    A corrected outcome would otherwise leave their saved streaks (and the flags, scores and
    stalled accounts read from them) as they were; only that fact is read again, the rest of
    each later debrief's facts stand as saved. Debriefs without saved facts are read live.
    """
    done = account_done(session=session, account_id=visit.account_id)
    ids = [past.id for past, _ in done]
    if visit.id not in ids:
        return
    streaks = continuation_streaks(done)
    for past, later in done[: ids.index(visit.id)]:
        in_row = streaks[past.id or 0]
        if not later.facts or later.facts.get("continuations_in_row") == in_row:
            continue
        later.facts = {**later.facts, "continuations_in_row": in_row}
        session.add(later)
    session.flush()


@dataclass(frozen=True)
class PostedComment:
    """A comment saved, and who now has a reminder about it due (the channel tells them)."""

    comment: CoachingComment
    recipients: tuple[int, ...]


def add_comment(
    *, session: Session, visit: Visit, author: User, text: str, now: datetime
) -> PostedComment:
    """Save a comment on the visit and notify the other side of the thread at once.

    The other side is the visit's rep and everyone who has commented on it, the author aside;
    each gets a comment reminder due `now`, one per comment and person (its dedupe key).
    """
    assert visit.id is not None and author.id is not None
    comment = CoachingComment(visit_id=visit.id, author_id=author.id, text=text, created_at=now)
    session.add(comment)
    session.flush()
    others = {visit.rep_id} | set(
        session.exec(
            select(CoachingComment.author_id).where(CoachingComment.visit_id == visit.id)
        ).all()
    )
    recipients = tuple(sorted(others - {author.id}))
    for user_id in recipients:
        session.add(
            Reminder(
                user_id=user_id,
                kind=ReminderKind.COMMENT,
                due_at=now,
                visit_id=visit.id,
                payload={"comment_id": comment.id},
                dedupe_key=f"comment:{comment.id}:{user_id}",
            )
        )
    return PostedComment(comment=comment, recipients=recipients)


# --- the visit --------------------------------------------------------------------------------


def _own_visit(*, session: Session, visit_id: int, rep: User) -> Visit:
    """The rep's own visit; anyone else's is refused (a flow offers only the rep's)."""
    visit = session.get(Visit, visit_id)
    if visit is None or visit.rep_id != rep.id:
        raise ValueError(f"visit {visit_id} is not one of user {rep.id}'s visits")
    return visit


def _unplanned_visit(
    *,
    session: Session,
    account: Account,
    people: tuple[PersonDraft, ...],
    rep: User,
    now: datetime,
) -> tuple[Visit, list[Contact]]:
    """A visit held now without a plan; its attendees as they stood are its prep snapshots."""
    visit = _visit(session=session, account=account, rep=rep, now=now, planned_at=now)
    contacts = [
        _contact(session=session, person=person, account=account, now=now)[0] for person in people
    ]
    for contact in contacts:
        session.add(_snapshot(visit, contact, phase=SnapshotPhase.PREP, now=now))
    session.flush()
    return visit, contacts


def _newcomers(
    *,
    session: Session,
    draft: DebriefDraft,
    met: dict[str, Contact],
    visit: Visit,
    account: Account,
    now: datetime,
) -> None:
    """People met for the first time, each snapshotted once.

    An attendee or someone on file is that person, never a twin; anyone else joins the account.
    """
    snapshotted = {contact.id for contact in met.values()}
    for person in draft.newcomers:
        contact = met.get(person.key)
        if contact is None:
            contact, _ = _contact(session=session, person=person, account=account, now=now)
            met[person.key] = contact
        _apply(session=session, person=person, contact=contact, visit=visit, now=now)
        session.flush()
        if contact.id not in snapshotted:
            snapshotted.add(contact.id)
            session.add(_snapshot(visit, contact, phase=SnapshotPhase.DEBRIEF, now=now))


def _link_transcript(*, session: Session, flow_session_id: int | None, visit: Visit) -> None:
    """The flow's transcript points at the visit it made: a reviewer reads one beside the other."""
    flow_session = session.get(FlowSession, flow_session_id) if flow_session_id else None
    if flow_session is not None:
        flow_session.visit_id = visit.id
        session.add(flow_session)


# --- the builders -----------------------------------------------------------------------------


def _visit(
    *,
    session: Session,
    account: Account,
    rep: User,
    now: datetime,
    planned_at: datetime | None,
    best: str | None = None,
    minimum: str | None = None,
) -> Visit:
    """A visit of the rep's, counted to the team they are in now."""
    visit = Visit(
        account_id=account.id or 0,
        rep_id=rep.id or 0,
        team_id=rep.team_id,
        planned_at=planned_at,
        objective_best=best,
        objective_minimum=minimum,
        status=VisitStatus.PLANNED,
        created_at=now,
        updated_at=now,
    )
    session.add(visit)
    session.flush()
    return visit


def _account(*, session: Session, draft: AccountDraft, rep: User, now: datetime) -> Account:
    """The account on file (the rep's team's only), or a new one the rep owns; stages set."""
    if draft.account_id is not None:
        account = session.get(Account, draft.account_id)
        if account is None or account.team_id != rep.team_id:
            raise ValueError(f"account {draft.account_id} is not in team {rep.team_id}")
    else:
        account = Account(
            team_id=rep.team_id, name=draft.name, owner_id=rep.id, created_at=now, updated_at=now
        )
    for field in ("tier", "sales_stage", "lifecycle_stage"):
        if getattr(draft, field):
            setattr(account, field, getattr(draft, field))
    account.updated_at = now
    session.add(account)
    session.flush()
    return account


def _contact(
    *, session: Session, person: PersonDraft, account: Account, now: datetime
) -> tuple[Contact, bool]:
    """The person on file (at this account only), or a new contact; and whether it is new."""
    if person.contact_id is not None:
        contact = session.get(Contact, person.contact_id)
        if contact is None or contact.account_id != account.id:
            raise ValueError(f"contact {person.contact_id} is not at account {account.id}")
        return contact, False
    assert account.id is not None
    contact = Contact(account_id=account.id, name=person.name, created_at=now, updated_at=now)
    session.add(contact)
    session.flush()
    return contact, True


PERSON_FIELDS = (  # what a draft may say about a person; None leaves the contact's as it is
    "title",
    "buying_role",
    "stance",
    "influence",
    "relationship_stage",
    "personal_win",
)


def _apply(
    *,
    session: Session,
    person: PersonDraft,
    contact: Contact,
    visit: Visit,
    now: datetime,
    by: User | None = None,
    moves: bool = False,
) -> None:
    """Set what was answered about the person.

    With `moves`, a stage answered that differs from the one on file is a move, kept with its
    evidence (a prep's newcomer starts at their stage; a debrief's attendee moved to theirs).
    """
    previous = contact.relationship_stage
    for field in PERSON_FIELDS:
        if getattr(person, field):
            setattr(contact, field, getattr(person, field))
    contact.updated_at = now
    session.add(contact)
    if moves and person.relationship_stage and person.relationship_stage != previous:
        session.add(
            StageChange(
                subject=StageSubject.CONTACT,
                account_id=contact.account_id,
                contact_id=contact.id,
                visit_id=visit.id,
                from_stage=previous,
                to_stage=person.relationship_stage,
                evidence=person.evidence,
                changed_by_id=by.id if by else None,
                changed_at=now,
            )
        )


def _move_account(
    *,
    session: Session,
    draft: DebriefDraft,
    account: Account,
    visit: Visit,
    by: User,
    now: datetime,
) -> None:
    """Set the account's sales and lifecycle stage as the debrief left them.

    A stage that differs from the one on file is a move, kept with the milestone confirmed for
    it; a first stage for an account that had none is where it starts, as in a prep.
    """
    moved = (
        (StageSubject.SALES, "sales_stage", draft.sales_stage, draft.sales_evidence),
        (StageSubject.ACCOUNT, "lifecycle_stage", draft.lifecycle_stage, None),
    )
    for subject, field, stage, evidence in moved:
        previous = getattr(account, field)
        if not stage or stage == previous:
            continue
        setattr(account, field, stage)
        if previous is None:
            continue
        session.add(
            StageChange(
                subject=subject,
                account_id=account.id or 0,
                visit_id=visit.id,
                from_stage=previous,
                to_stage=stage,
                evidence=evidence,
                changed_by_id=by.id,
                changed_at=now,
            )
        )


def _snapshot(
    visit: Visit, contact: Contact, *, phase: SnapshotPhase, now: datetime, attended: bool = True
) -> StakeholderSnapshot:
    """The person's role, stance, influence and stage as they stand, at this visit."""
    return StakeholderSnapshot(
        visit_id=visit.id or 0,
        contact_id=contact.id or 0,
        phase=phase,
        attended=attended,
        buying_role=contact.buying_role,
        stance=contact.stance,
        influence=contact.influence,
        relationship_stage=contact.relationship_stage,
        created_at=now,
    )


def _question(
    visit: Visit,
    question: QuestionDraft,
    *,
    position: int,
    planned: bool,
    asked: bool | None = None,
) -> SpinItem:
    """A SPIN question of the visit at its place in the plan."""
    return SpinItem(
        visit_id=visit.id or 0,
        position=position,
        spin_type=question.spin_type,
        typed_by=question.typed_by,
        read_type=question.read_type,
        question=question.text,
        bank_question_id=question.bank_question_id,
        planned=planned,
        asked=asked,
    )
