"""What the playbooks say about the people /prep is planning for: open checklist items, stages."""

from __future__ import annotations

from typing import Any

from bot.coaching.checklist import gaps
from bot.engine.context import Ctx
from bot.flows import options
from bot.flows.people import account_context, account_of, known_people, people_view
from bot.flows.prep_account import account_value
from bot.flows.prep_history import open_next_step
from bot.storage import repo


def checklist_context(ctx: Ctx) -> dict[str, Any]:
    """Open checklist items, each with the playbook's question and advice."""
    people = people_view(ctx, each_id="person", attendees_key="attendees")
    role_ids = [role.id for role in ctx.playbooks.decision_unit.roles]
    role_names = {option.id: option.label for option in options.roles(ctx)}
    items = {item.id: item for item in ctx.playbooks.decision_unit.checklist}
    found = []
    account = account_of(ctx)
    criteria_known = bool(
        account and account.id and repo.account_criteria(session=ctx.db, account_id=account.id)
    )
    for gap in gaps(people, role_ids, criteria_known=criteria_known):
        if gap.item not in items:
            continue
        names = [role_names.get(name, name) for name in gap.names]
        entry = items[gap.item]
        found.append(
            {"question": ctx.t(entry.question), "advice": ctx.t(entry.advice), "names": names}
        )
    return {**account_context(ctx), "gaps": found, "next_step": open_next_step(ctx)}


def stage_actions_context(ctx: Ctx) -> dict[str, Any]:
    """Each relationship stage the attendees are at (with who is there) and the account's
    lifecycle stage: all of the stage's actions and warning signs, as the playbook gives them."""
    stages = {stage.id: stage for stage in ctx.playbooks.relationship.contact_stages}
    by_stage: dict[str, list[str]] = {}
    for person in known_people(ctx, each_id="person", attendees_key="attendees"):
        if person["stage"] in stages:
            by_stage.setdefault(person["stage"], []).append(person["name"])
    people = [
        {
            "stage": ctx.t(stage.name),
            "names": by_stage[stage.id],
            "actions": [ctx.t(action) for action in stage.actions],
            "warnings": [ctx.t(warning) for warning in stage.warnings],
        }
        for stage in ctx.playbooks.relationship.contact_stages
        if stage.id in by_stage
    ]
    account_stage_id = ctx.get("account_stage") or account_value(ctx, "lifecycle_stage")
    account_stage = next(
        (s for s in ctx.playbooks.relationship.account_stages if s.id == account_stage_id), None
    )
    account = None
    if account_stage is not None:
        account = {
            "stage": ctx.t(account_stage.name),
            "actions": [ctx.t(action) for action in account_stage.actions],
            "warnings": [ctx.t(warning) for warning in account_stage.warnings],
        }
    return {**account_context(ctx), "people": people, "account_stage": account}
