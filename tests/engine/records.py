"""The stored records of a conversation in a form two runs can be compared by."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Session, col, select

from bot.coaching.record import visit_facts
from bot.storage.models import (
    Account,
    Contact,
    Debrief,
    SpinItem,
    StageChange,
    StakeholderSnapshot,
    Visit,
)


def fingerprint(database: sa.Engine) -> dict[str, list[tuple]]:
    """Every stored fact of the records, by name rather than id, so two runs compare."""
    with Session(database) as session:
        names = {c.id: c.name for c in session.exec(select(Contact)).all()}
        return {
            "accounts": [
                (a.name, a.tier, a.sales_stage, a.lifecycle_stage)
                for a in session.exec(select(Account)).all()
            ],
            "contacts": [
                (c.name, c.title, c.buying_role, c.stance, c.influence, c.relationship_stage)
                for c in session.exec(select(Contact).order_by(col(Contact.id))).all()
            ],
            "visits": [
                (v.planned_at, v.objective_best, v.objective_minimum, v.status)
                for v in session.exec(select(Visit)).all()
            ],
            "spin": [
                (
                    i.position,
                    i.spin_type,
                    i.question,
                    i.bank_question_id,
                    i.planned,
                    i.asked,
                    i.answer,
                )
                for i in session.exec(select(SpinItem).order_by(col(SpinItem.position))).all()
            ],
            "snapshots": sorted(
                (
                    names[s.contact_id],
                    s.phase,
                    s.attended,
                    s.buying_role,
                    s.stance,
                    s.relationship_stage,
                )
                for s in session.exec(select(StakeholderSnapshot)).all()
            ),
            "debriefs": [
                (
                    d.outcome,
                    d.summary,
                    d.implied_needs,
                    d.explicit_needs,
                    d.next_step,
                    d.next_step_due,
                )
                for d in session.exec(select(Debrief)).all()
            ],
            "stage_changes": [
                (names.get(c.contact_id, c.subject), c.from_stage, c.to_stage, c.evidence)
                for c in session.exec(select(StageChange)).all()
            ],
        }


def another_debrief(
    database: sa.Engine, *, at: datetime, rep_id: int, saved_facts: bool = False, **fields
) -> int:
    """One more visit of `rep_id` at the first visit's account, planned and debriefed `at`
    (a continuation unless `fields` say otherwise); its id. With `saved_facts`, its coaching
    facts are saved with it, as /debrief saves them."""
    with Session(database) as session:
        visit = session.exec(select(Visit).order_by(col(Visit.id))).first()
        assert visit is not None, "a visit to stand beside"
        extra = Visit(
            account_id=visit.account_id,
            rep_id=rep_id,
            team_id=visit.team_id,
            planned_at=at,
            status=visit.status,
        )
        session.add(extra)
        session.flush()
        debrief = Debrief(
            visit_id=extra.id,
            rep_id=rep_id,
            team_id=visit.team_id,
            created_at=at,
            **({"outcome": "continuation"} | fields),
        )
        session.add(debrief)
        session.flush()
        if saved_facts:
            session.refresh(debrief)  # the outcome read back as an Outcome, not the str given
            debrief.facts = visit_facts(session=session, visit=extra).as_dict()
            session.add(debrief)
        session.commit()
        assert extra.id is not None
        return extra.id
