"""The end of /prep: the answers as a plan draft, saved by `bot.records`, shown as one page.

Nothing is written until here, so a cancelled prep leaves no half-made records behind.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from typing import Any

from bot import records
from bot.domain import SpinType, TypedBy
from bot.engine.context import Ctx
from bot.flows import options
from bot.flows.people import account_of
from bot.flows.prep_account import picked_attendees
from bot.flows.prep_coaching import checklist_context, stage_actions_context
from bot.flows.prep_history import objective
from bot.flows.prep_questions import plan_warnings, planned_questions, worksheet_problems
from bot.flows.prep_time import happened, planned_at
from bot.flows.stakeholders import drafted
from bot.storage import repo
from bot.storage.drafts import AccountDraft, PlanDraft, QuestionDraft
from bot.storage.models import Account, Contact, Visit


def save_plan(ctx: Ctx) -> dict[str, Any]:
    """Save the plan; the page shows what was saved."""
    visit = records.save_plan(
        session=ctx.db,
        draft=plan_draft(ctx),
        rep=ctx.user,
        now=ctx.now,
        remind_after=timedelta(hours=ctx.settings.debrief_reminder_hours),
        flow_session_id=ctx.flow_session_id,
    )
    return plan_view(ctx, visit)


def plan_draft(ctx: Ctx) -> PlanDraft:
    """Everything answered: the account and its stages, each person, the plan, the time."""
    account = account_of(ctx)
    return PlanDraft(
        account=AccountDraft(
            account_id=account.id if account else None,
            name=account.name if account else ctx.get("account")["new"],
            tier=ctx.get("tier") or None,
            sales_stage=ctx.get("sales_stage") or None,
            lifecycle_stage=ctx.get("account_stage") or None,
        ),
        attendees=tuple(
            replace(
                drafted(ctx, item, each_id="person"),
                title=ctx.of("person", item.key, "title") or None,
            )
            for item in picked_attendees(ctx)
        ),
        questions=tuple(
            QuestionDraft(
                SpinType(entry["type"]),
                entry["text"],
                entry["bank_id"],
                typed_by=TypedBy(entry["typed_by"]),
                read_type=SpinType(entry["read"]) if entry["read"] else None,
            )
            for entry in planned_questions(ctx)
        ),
        problems=tuple(worksheet_problems(ctx)),
        planned_at=planned_at(ctx),
        objective_best=objective(ctx)[0],
        objective_minimum=objective(ctx)[1],
        happened=happened(ctx),
    )


def plan_view(ctx: Ctx, visit: Visit) -> dict[str, Any]:
    """The call plan, read back from what was saved (and shown again by /plan)."""
    account = ctx.db.get(Account, visit.account_id)
    assert account is not None and visit.id is not None
    people = [
        {
            "name": contact.name,
            "title": contact.title,
            "role": options.label_of(options.roles(ctx), contact.buying_role),
            "stance": options.label_of(options.stances(ctx), contact.stance),
            "stage": options.label_of(options.contact_stages(ctx), contact.relationship_stage),
            "tip": _tip(ctx, contact),
        }
        for contact in repo.visit_attendees(session=ctx.db, visit_id=visit.id)
    ]
    marks = options.spin_marks(ctx)
    items = repo.visit_questions(session=ctx.db, visit_id=visit.id, planned_only=True)
    questions = [{"mark": marks[item.spin_type], "text": item.question} for item in items]
    stage_actions = stage_actions_context(ctx)
    local = visit.planned_at.astimezone(ctx.zone) if visit.planned_at else None
    return {
        "account": account.name,
        "tier": options.label_of(options.tiers(ctx), account.tier),
        "sales_stage": options.label_of(options.sales_stages(ctx), account.sales_stage),
        "when": local.strftime("%Y-%m-%d %H:%M") if local else None,
        "people": people,
        "best": visit.objective_best,
        "minimum": visit.objective_minimum,
        "questions": questions,
        "problems": [p.text for p in repo.visit_problems(session=ctx.db, visit_id=visit.id)],
        "stage_people": stage_actions["people"],
        "account_stage": stage_actions["account_stage"],
        "gaps": checklist_context(ctx)["gaps"],
        "warnings": plan_warnings({item.spin_type.value for item in items}),
        "visit_id": visit.id,
        # the same whenever shown, so /plan pages it as /prep did: a visit whose time is past
        # has happened (prep asked, or moved the time)
        "happened": bool(visit.planned_at and visit.planned_at <= ctx.now),
    }


def _tip(ctx: Ctx, contact: Contact) -> str | None:
    """One line of coaching for the person: how to work with someone against us, else how to
    win whoever holds their buying role (the rest is under "Coaching for these people")."""
    stance = next((s for s in ctx.playbooks.decision_unit.stances if s.id == contact.stance), None)
    if stance is not None and stance.support < 0:
        return ctx.t(stance.approach)
    role = next(
        (r for r in ctx.playbooks.decision_unit.roles if r.id == contact.buying_role), None
    )
    if role is not None:
        return ctx.t(role.win[0])
    return ctx.t(stance.approach) if stance is not None else None
