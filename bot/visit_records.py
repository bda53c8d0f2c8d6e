"""Call records as plain data: each visit a dict of stored ids, the same in every language.

Every export format and `/review` start from these records, so they are built in one place,
apart from any file format; each part of a record (the account, the people, the questions, the
debrief, the comments, the transcripts) is one small function that reads its own rows. Field
names and order are the stable JSON format `salescoach.records` (see `bot.export`): a change
here is a change to that format.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlmodel import Session, col, select

from bot.coaching.facts import VisitFacts
from bot.coaching.record import facts_of
from bot.coaching.rules import feedback
from bot.coaching.score import Scorecard, score
from bot.playbooks.loader import Playbooks
from bot.storage import repo, scopes
from bot.storage.models import (
    Account,
    CoachingComment,
    Contact,
    Debrief,
    FlowSession,
    SpinItem,
    StageChange,
    StakeholderSnapshot,
    Team,
    TranscriptLine,
    User,
    Visit,
)


def records(
    *,
    session: Session,
    playbooks: Playbooks,
    viewer: User | None = None,
    team: str | None = None,
    rep: str | None = None,
    since: datetime | None = None,
) -> list[dict[str, Any]]:
    """Every visit matching the filters (and the viewer's scope, when there is a viewer)."""
    query = (
        select(Visit, Account, User, Team)
        .join(Account, col(Account.id) == Visit.account_id)
        .join(User, col(User.id) == Visit.rep_id)
        .join(Team, col(Team.id) == Visit.team_id)
    )
    if viewer is not None:
        query = scopes.scope_visits(query, viewer=viewer)
    if team:
        query = query.where(Team.name == team)
    if rep:
        query = query.where(col(User.display_name) == rep)
    if since:
        query = query.where(col(Visit.planned_at) >= since)
    rows = session.exec(query.order_by(col(Visit.planned_at), col(Visit.id))).all()
    return [
        _record(session=session, playbooks=playbooks, visit=v, account=a, rep=r, team=t)
        for v, a, r, t in rows
    ]


def record_of(
    *, session: Session, playbooks: Playbooks, visit: Visit, transcripts: bool = True
) -> dict[str, Any]:
    """One visit as an export record; `/review` shows the same record with labels."""
    account = session.get(Account, visit.account_id)
    rep = session.get(User, visit.rep_id)
    assert account is not None and rep is not None
    team = session.get(Team, visit.team_id)
    assert team is not None
    return _record(
        session=session,
        playbooks=playbooks,
        visit=visit,
        account=account,
        rep=rep,
        team=team,
        transcripts=transcripts,
    )


def _record(
    *,
    session: Session,
    playbooks: Playbooks,
    visit: Visit,
    account: Account,
    rep: User,
    team: Team,
    transcripts: bool = True,
) -> dict[str, Any]:
    """The whole record, its keys in the documented order; the parts are built below."""
    debrief = session.exec(select(Debrief).where(Debrief.visit_id == visit.id)).first()
    facts = facts_of(session=session, visit=visit, debrief=debrief) if debrief else None
    return {
        "visit_id": visit.id,
        "team": team.name,
        "rep": {"id": rep.id, "name": rep.display_name},
        "account": _account(account),
        "planned_at": _when(visit.planned_at),
        "status": visit.status.value,
        "objective": {"best": visit.objective_best, "minimum": visit.objective_minimum},
        "attendees": _attendees(session, visit),
        "spin_items": _spin_items(session, visit),
        "problems": [
            problem.text
            for problem in repo.visit_problems(session=session, visit_id=visit.id or 0)
        ],
        "debrief": _debrief(session, debrief) if debrief else None,
        "stage_changes": _stage_changes(session, visit),
        "score": _score(score(playbooks.scorecard, facts)) if facts else None,
        "flags": _flags(playbooks, facts) if facts else [],
        "comments": _comments(session, visit),
        "transcripts": _transcripts(session, visit) if transcripts else [],
    }


def _when(value: datetime | date | None) -> str | None:
    """ISO 8601, which every tool reads back; None stays null."""
    return value.isoformat() if value is not None else None


def _account(account: Account) -> dict[str, Any]:
    """The account with its stages as stored ids, so a record reads the same in any language."""
    return {
        "id": account.id,
        "name": account.name,
        "tier": account.tier,
        "lifecycle_stage": account.lifecycle_stage,
        "sales_stage": account.sales_stage,
    }


def _attendees(session: Session, visit: Visit) -> list[dict[str, Any]]:
    """One entry per contact, holding what prep expected and what the debrief saw side by side."""
    people: dict[int, dict[str, Any]] = {}
    for snapshot in session.exec(
        select(StakeholderSnapshot)
        .where(StakeholderSnapshot.visit_id == visit.id)
        .order_by(col(StakeholderSnapshot.id))
    ).all():
        person = people.get(snapshot.contact_id)
        if person is None:
            contact = session.get(Contact, snapshot.contact_id)
            person = people[snapshot.contact_id] = _person(snapshot.contact_id, contact)
        person[snapshot.phase.value] = _stance(snapshot)
    return list(people.values())


def _person(contact_id: int, contact: Contact | None) -> dict[str, Any]:
    """A contact's name and title; a phase stays None until a snapshot of it is seen."""
    return {
        "contact_id": contact_id,
        "name": contact.name if contact else None,
        "title": contact.title if contact else None,
        "prep": None,
        "debrief": None,
    }


def _stance(snapshot: StakeholderSnapshot) -> dict[str, Any]:
    """Where one person stood in one phase: role, stance, influence, relationship, attendance."""
    return {
        "buying_role": snapshot.buying_role,
        "stance": snapshot.stance,
        "influence": snapshot.influence,
        "relationship_stage": snapshot.relationship_stage,
        "attended": snapshot.attended,
    }


def _spin_items(session: Session, visit: Visit) -> list[dict[str, Any]]:
    """The questions in plan order, whether planned, asked or both, with the answers heard."""
    return [
        {
            "position": item.position,
            "type": item.spin_type.value,
            "typed_by": item.typed_by.value,
            "read_type": item.read_type.value if item.read_type else None,
            "question": item.question,
            "bank_question_id": item.bank_question_id,
            "planned": item.planned,
            "asked": item.asked,
            "answer": item.answer,
            "contact_id": item.contact_id,
        }
        for item in session.exec(
            select(SpinItem).where(SpinItem.visit_id == visit.id).order_by(col(SpinItem.position))
        ).all()
    ]


def _debrief(session: Session, debrief: Debrief) -> dict[str, Any]:
    """What the rep reported after the call: the outcome, the needs heard, the next step, and
    when and by whom that step was marked done (null while it is open). The values are the
    current ones; `corrections` says which were corrected, from what, by whom and when."""
    done_by = session.get(User, debrief.next_step_done_by) if debrief.next_step_done_by else None
    return {
        "outcome": debrief.outcome.value,
        "objective_met": debrief.objective_met.value if debrief.objective_met else None,
        "summary": debrief.summary,
        "implied_needs": debrief.implied_needs,
        "explicit_needs": debrief.explicit_needs,
        "next_step": debrief.next_step,
        "next_step_due": _when(debrief.next_step_due),
        "created_at": _when(debrief.created_at),
        "next_step_done_at": _when(debrief.next_step_done_at),
        "next_step_done_by": (
            {"id": done_by.id, "name": done_by.display_name} if done_by is not None else None
        ),
        "corrections": _corrections(session, debrief),
    }


def _corrections(session: Session, debrief: Debrief) -> list[dict[str, Any]]:
    """Each field corrected after saving, oldest first: a field's first `from` is what was
    first saved, its last `to` the value the debrief holds now."""
    assert debrief.id is not None
    return [
        {
            "field": correction.field.value,
            "from": correction.old_value,
            "to": correction.new_value,
            "corrected_by": {"id": person.id, "name": person.display_name},
            "corrected_at": _when(correction.corrected_at),
        }
        for correction, person in repo.debrief_corrections(session=session, debrief_id=debrief.id)
    ]


def _stage_changes(session: Session, visit: Visit) -> list[dict[str, Any]]:
    """Every stage the visit moved, the account's or a contact's, with the evidence given."""
    return [
        {
            "subject": change.subject.value,
            "contact_id": change.contact_id,
            "from_stage": change.from_stage,
            "to_stage": change.to_stage,
            "evidence": change.evidence,
            "changed_at": _when(change.changed_at),
        }
        for change in session.exec(
            select(StageChange)
            .where(StageChange.visit_id == visit.id)
            .order_by(col(StageChange.id))
        ).all()
    ]


def _score(card: Scorecard) -> dict[str, Any]:
    """The points and each scorecard item's id with whether it was met, not its label."""
    return {
        "points": card.points,
        "maximum": card.maximum,
        "items": [{"id": item.id, "met": met} for item, met in card.lines],
    }


def _flags(playbooks: Playbooks, facts: VisitFacts) -> list[str]:
    """The ids of the coaching gaps the visit shows; strengths are for the rep's feedback."""
    return [rule.id for rule in feedback(playbooks.coaching, facts) if rule.kind == "gap"]


def _comments(session: Session, visit: Visit) -> list[dict[str, Any]]:
    """The coaching thread, oldest first, each comment under its author's name."""
    return [
        {
            "author": author.display_name,
            "text": comment.text,
            "created_at": _when(comment.created_at),
        }
        for comment, author in session.exec(
            select(CoachingComment, User)
            .join(User, col(User.id) == CoachingComment.author_id)
            .where(CoachingComment.visit_id == visit.id)
            .order_by(col(CoachingComment.created_at), col(CoachingComment.id))
        ).all()
    ]


def _transcripts(session: Session, visit: Visit) -> list[dict[str, Any]]:
    """Every flow run on the visit (prep, debrief) with its lines, in the order they ran."""
    return [
        {
            "flow": flow_session.flow,
            "status": flow_session.status.value,
            "started_at": _when(flow_session.started_at),
            "lines": _lines(session, flow_session),
        }
        for flow_session in session.exec(
            select(FlowSession)
            .where(FlowSession.visit_id == visit.id)
            .order_by(col(FlowSession.id))
        ).all()
    ]


def _lines(session: Session, flow_session: FlowSession) -> list[dict[str, Any]]:
    """One run's conversation, line by line, each with who spoke and when."""
    return [
        {
            "seq": line.seq,
            "speaker": line.speaker.value,
            "text": line.text,
            "at": _when(line.created_at),
        }
        for line in session.exec(
            select(TranscriptLine)
            .where(TranscriptLine.session_id == flow_session.id)
            .order_by(col(TranscriptLine.seq))
        ).all()
    ]
