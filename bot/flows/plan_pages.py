"""Which call plan /plan shows, and how a long plan is paged (for /prep's last step too)."""

from __future__ import annotations

from typing import Any

from bot.domain import VisitStatus
from bot.engine.context import Ctx
from bot.engine.steps.info import Paged, page_argument
from bot.flows.people import chosen_visit
from bot.flows.prep_plan import plan_view
from bot.storage import repo

# A call plan may take 30 lines of a phone's screen (most important first: objective, people
# and gaps, then questions); what does not fit is one "More" away, 20 lines a page.
PLAN_PAGES = Paged(flow="plan", argument=lambda shown: str(shown["visit_id"]), first=30, rest=20)


def plan_wanted(ctx: Ctx, argument: str) -> None:
    """`42:2` is page 2 of visit 42 (the rep's own); nothing is the next planned visit."""
    visit_id, page = page_argument(argument)
    if not visit_id:
        upcoming = [
            visit
            for visit, _ in repo.open_visits(session=ctx.db, rep_id=ctx.user.id or 0)
            if visit.planned_at is not None and visit.planned_at >= ctx.now
        ]
        visit_id = str(upcoming[0].id) if upcoming else ""
    ctx.answers["visit"] = visit_id
    visit = chosen_visit(ctx)
    if visit is None:
        return
    ctx.answers["page"] = page or 1
    people = repo.visit_attendees(session=ctx.db, visit_id=visit.id or 0)
    ctx.answers["attendees"] = {"selected": [str(person.id) for person in people], "added": []}


def has_plan(ctx: Ctx) -> bool:
    """The visit asked for is the rep's own and not cancelled."""
    visit = chosen_visit(ctx)
    return visit is not None and visit.status != VisitStatus.CANCELLED


def no_plan(ctx: Ctx) -> bool:
    return not has_plan(ctx)


def plan_again(ctx: Ctx) -> dict[str, Any]:
    """The saved plan, as /prep showed it (so its pages fall where they fell then)."""
    visit = chosen_visit(ctx)
    if visit is None:
        return {}
    return plan_view(ctx, visit)
