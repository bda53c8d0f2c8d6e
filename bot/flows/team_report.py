"""The /team report: each rep's visits prepared and debriefed, advance rate, open flags."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import sqlalchemy as sa
from sqlmodel import col, select

from bot.coaching.record import facts_of
from bot.coaching.rules import feedback
from bot.domain import Role
from bot.engine.context import Ctx
from bot.figures import MOVED, percent
from bot.storage import scopes
from bot.storage.models import Debrief, User, Visit


def team_report(ctx: Ctx) -> dict[str, Any]:
    """One line per rep, from grouped queries: none of them runs once per rep."""
    week, month = ctx.now - timedelta(days=7), ctx.now - timedelta(days=30)
    people = [
        person
        for person in scopes.visible_people(session=ctx.db, viewer=ctx.user)
        if person.role != Role.ADMIN
    ]
    ids = [person.id for person in people if person.id is not None]
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
                    Debrief.rep_id,
                    sa.func.sum(sa.case((col(Debrief.created_at) >= week, 1), else_=0)),
                    sa.func.count(),
                    sa.func.sum(sa.case((col(Debrief.outcome).in_(MOVED), 1), else_=0)),
                )
                .where(
                    col(Debrief.rep_id).in_(ids),
                    col(Debrief.created_at) >= month,
                    col(Debrief.created_at) <= ctx.now,
                )
                .group_by(col(Debrief.rep_id)),
                viewer=ctx.user,
                rep=Debrief.rep_id,
            )
        ).all()
    }
    flags = _open_flags(ctx, ids)
    rows = []
    for person in people:
        done = debriefed.get(person.id or 0, (0, 0, 0))
        rows.append(
            {
                "name": person.display_name,
                "prepared": prepared.get(person.id or 0, (0, 0)),
                "debriefed": done[:2],
                "advance_rate": percent(done[2], done[1]),
                "flags": flags.get(person.id or 0, []),
            }
        )
    return {"rows": rows}


def _open_flags(ctx: Ctx, ids: list[int]) -> dict[int, list[str]]:
    """The gaps coaching found in each rep's latest debriefed visit, from its saved facts."""
    latest = (
        scopes.scope_visits(
            select(Visit.id)
            .join(Debrief, col(Debrief.visit_id) == Visit.id)
            .where(col(Visit.rep_id) == User.id)
            .order_by(col(Visit.created_at).desc(), col(Visit.id).desc())
            .limit(1),
            viewer=ctx.user,
        )
        .correlate(User)
        .scalar_subquery()
    )
    rows = ctx.db.exec(
        select(User.id, Visit, Debrief)
        .select_from(User)
        .join(Visit, col(Visit.id) == latest)
        .join(Debrief, col(Debrief.visit_id) == Visit.id)
        .where(col(User.id).in_(ids))
    ).all()
    flags: dict[int, list[str]] = {}
    for person_id, visit, debrief in rows:
        assert person_id is not None
        facts = facts_of(session=ctx.db, visit=visit, debrief=debrief)
        fired = feedback(ctx.playbooks.coaching, facts)
        flags[person_id] = [ctx.t(rule.title) for rule in fired if rule.kind == "gap"]
    return flags
