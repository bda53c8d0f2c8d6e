"""/team (managers): each rep's visits prepared and debriefed, advance rate, open flags."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import sqlalchemy as sa
from sqlmodel import col, select

from bot import scopes
from bot.coaching.record import visit_facts
from bot.coaching.rules import feedback
from bot.domain import Outcome, Role
from bot.engine.flow import Ctx, Flow, Show
from bot.storage.models import Debrief, User, Visit

MOVED = (Outcome.ADVANCE, Outcome.ORDER)


def team_report(ctx: Ctx) -> dict[str, Any]:
    """One line per rep, from three grouped queries plus each rep's latest record."""
    week, month = ctx.now - timedelta(days=7), ctx.now - timedelta(days=30)
    people = [
        person
        for person in scopes.visible_people(session=ctx.db, viewer=ctx.user)
        if person.role != Role.ADMIN
    ]
    ids = [person.id for person in people]
    prepared = {
        rep: (int(in_week or 0), int(in_month or 0))
        for rep, in_week, in_month in ctx.db.exec(
            scopes.scope_visits(
                select(
                    Visit.rep_id,
                    sa.func.sum(sa.case((col(Visit.created_at) >= week, 1), else_=0)),
                    sa.func.count(),
                )
                .where(col(Visit.rep_id).in_(ids), col(Visit.created_at) >= month)
                .group_by(col(Visit.rep_id)),
                viewer=ctx.user,
            )
        ).all()
    }
    debriefed = {
        rep: (int(in_week or 0), int(in_month or 0), int(moved or 0))
        for rep, in_week, in_month, moved in ctx.db.exec(
            scopes.scope_visits(
                select(
                    Visit.rep_id,
                    sa.func.sum(sa.case((col(Debrief.created_at) >= week, 1), else_=0)),
                    sa.func.count(),
                    sa.func.sum(sa.case((col(Debrief.outcome).in_(MOVED), 1), else_=0)),
                )
                .join(Debrief, col(Debrief.visit_id) == Visit.id)
                .where(col(Visit.rep_id).in_(ids), col(Debrief.created_at) >= month)
                .group_by(col(Visit.rep_id)),
                viewer=ctx.user,
            )
        ).all()
    }
    rows = []
    for person in people:
        done = debriefed.get(person.id or 0, (0, 0, 0))
        rows.append(
            {
                "name": person.display_name,
                "prepared": prepared.get(person.id or 0, (0, 0)),
                "debriefed": done[:2],
                "advance_rate": round(100 * done[2] / done[1]) if done[1] else None,
                "flags": _open_flags(ctx, person),
            }
        )
    return {"rows": rows}


def _open_flags(ctx: Ctx, person: User) -> list[str]:
    """The gaps coaching found in the rep's latest debriefed visit."""
    latest = ctx.db.exec(
        scopes.scope_visits(
            select(Visit)
            .join(Debrief, col(Debrief.visit_id) == Visit.id)
            .where(Visit.rep_id == person.id)
            .order_by(col(Debrief.created_at).desc())
            .limit(1),
            viewer=ctx.user,
        )
    ).first()
    if latest is None:
        return []
    fired = feedback(ctx.playbooks.coaching, visit_facts(session=ctx.db, visit=latest))
    return [ctx.t(rule.title) for rule in fired if rule.kind == "gap"]


FLOW = Flow(
    id="team",
    roles=(Role.MANAGER, Role.ADMIN),
    steps=(Show("report", getter=team_report),),
)
