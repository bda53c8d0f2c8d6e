"""A debriefed visit's facts, read from the call record: what coaching rules and scores test."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import fields

from sqlmodel import Session, select

from bot.coaching.facts import VisitFacts
from bot.domain import Outcome, SnapshotPhase, SpinType
from bot.storage import repo
from bot.storage.models import Debrief, SpinItem, StakeholderSnapshot, Visit

HISTORY = 50  # visits looked back over for streaks


def facts_of(*, session: Session, visit: Visit, debrief: Debrief) -> VisitFacts:
    """The facts saved with the debrief; derived from the record when it predates that."""
    saved = stored(debrief.facts, debrief)
    return saved if saved is not None else visit_facts(session=session, visit=visit)


def stored(saved: dict[str, object] | None, debrief: Debrief) -> VisitFacts | None:
    """Facts read back from a debrief row, or None if they are missing or from an older set.

    A fact added since the row was saved that the debrief row itself holds is taken from the
    row, so the facts saved then still stand rather than being read again as of today.
    """
    names = {field.name for field in fields(VisitFacts)}
    if not saved:
        return None
    from_row = {name: value for name, value in _row_facts(debrief).items() if name not in saved}
    if set(saved) | set(from_row) != names:
        return None
    return VisitFacts(**saved, **from_row)  # type: ignore[arg-type]


def _row_facts(debrief: Debrief | None) -> dict[str, object]:
    """The facts the debrief row holds as columns."""
    met = debrief.objective_met if debrief else None
    return {"objective_met": met.value if met else ""}


def account_done(*, session: Session, account_id: int) -> list[tuple[Visit, Debrief]]:
    """The account's debriefed visits, newest first, over the HISTORY that streaks count in."""
    history = repo.account_history(session=session, account_id=account_id, limit=HISTORY)
    return [(past, debrief) for past, debrief in history if debrief is not None]


def continuation_streaks(done: Sequence[tuple[Visit, Debrief]]) -> dict[int, int]:
    """Continuations in a row up to each debriefed visit (itself included), by visit id.

    `done` is newest first, as `account_done` gives it; one pass from the oldest, so a
    correction can re-read the streak of every later visit from one query.
    """
    streaks: dict[int, int] = {}
    in_row = 0
    for past, debrief in reversed(done):
        in_row = in_row + 1 if debrief.outcome == Outcome.CONTINUATION else 0
        streaks[past.id or 0] = in_row
    return streaks


def visit_facts(*, session: Session, visit: Visit) -> VisitFacts:
    """The facts of `visit` as they stood when it was debriefed (streaks count back from it)."""
    assert visit.id is not None
    items = session.exec(select(SpinItem).where(SpinItem.visit_id == visit.id)).all()
    asked = [item for item in items if item.asked]
    count = {kind: sum(1 for item in asked if item.spin_type == kind) for kind in SpinType}
    contacts = repo.account_contacts(session=session, account_id=visit.account_id)
    snapshots = session.exec(
        select(StakeholderSnapshot).where(
            StakeholderSnapshot.visit_id == visit.id,
            StakeholderSnapshot.phase == SnapshotPhase.DEBRIEF,
        )
    ).all()
    present = [snapshot for snapshot in snapshots if snapshot.attended]
    done = account_done(session=session, account_id=visit.account_id)
    position = next((index for index, (past, _) in enumerate(done) if past.id == visit.id), None)
    since_this = done[position:] if position is not None else []
    in_row = continuation_streaks(done).get(visit.id, 0)
    moved = {
        change.visit_id
        for change in repo.stage_changes_since(
            session=session, account_id=visit.account_id, since=None
        )
    }
    without_move = 0
    for past, _ in since_this:
        if past.id in moved:
            break
        without_move += 1
    this_debrief = since_this[0][1] if since_this else None
    engaged = repo.engaged_contact_ids(session=session, account_id=visit.account_id)
    return VisitFacts(
        situation_asked=count[SpinType.SITUATION],
        problem_asked=count[SpinType.PROBLEM],
        implication_asked=count[SpinType.IMPLICATION],
        need_payoff_asked=count[SpinType.NEED_PAYOFF],
        questions_asked=len(asked),
        outcome=this_debrief.outcome.value if this_debrief else "",
        objective_met=str(_row_facts(this_debrief)["objective_met"]),
        decision_maker_known=any(contact.buying_role == "decision_maker" for contact in contacts),
        decision_maker_met=any(snapshot.buying_role == "decision_maker" for snapshot in present),
        coach_known=any(contact.stance == "coach" for contact in contacts),
        attendees=len(present),
        contacts_engaged=len(engaged),
        next_step_dated=bool(this_debrief and this_debrief.next_step_due),
        continuations_in_row=in_row,
        visits_without_stage_move=without_move,
        blockers=sum(1 for contact in contacts if contact.stance in ("blocker", "enemy")),
    )
