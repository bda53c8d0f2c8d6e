"""What /account shows and saves: the account plan in brief, one part of it at a time (a view
of account_plan.yaml in the rep's words, the account type, our position, what the account
values most, the competitors), and the strategy the type and position choose."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from bot.account_plans import PlanChange, change_plan
from bot.coaching.competition import strategy_of
from bot.engine.context import Ctx, Option
from bot.engine.matching import fold
from bot.engine.pages import cut_to_lines
from bot.engine.steps.base import Link
from bot.errors import UserError
from bot.flows.debrief_people import more_names
from bot.flows.people import account_of, open_account
from bot.storage import repo

PROFILE: dict[str, Callable[[Ctx], Sequence[Any]]] = {  # a part picked from a playbook list
    "account_type": lambda ctx: ctx.playbooks.competition.account_types,
    "our_position": lambda ctx: ctx.playbooks.competition.positions,
    "orientation": lambda ctx: ctx.playbooks.segments.orientations,
}
COMPETITORS = "competitors"
PLAN_LINE = 1  # lines of each view's text in the plan in brief; all of it is a tap away


def account_wanted(ctx: Ctx, argument: str) -> None:
    """`/account 12` (the card's button) opens account 12's plan if it is the team's."""
    if argument and not open_account(ctx, argument):
        raise UserError("errors/account_not_found")


def _account(ctx: Ctx) -> Any:
    account = account_of(ctx)
    if account is None or account.id is None:
        raise UserError("errors/account_not_found")
    return account


def _name(entry: Any, ctx: Ctx) -> str:
    return ctx.t(entry.name if hasattr(entry, "name") else entry.label)


def plan_view(ctx: Ctx) -> dict[str, Any]:
    """The account plan in brief: each view's first line, the profile, the strategy."""
    account = _account(ctx)
    entries = repo.account_plan(session=ctx.db, account_id=account.id)
    views = [
        {
            "id": view.id,
            "name": ctx.t(view.name),
            "text": cut_to_lines(entries[view.id].text, PLAN_LINE) if view.id in entries else None,
        }
        for view in ctx.playbooks.account_plan.views
    ]
    profile = {field: _chosen(ctx, field, account) for field in PROFILE}
    strategy = strategy_of(ctx.playbooks, account)
    return {
        "account": account.name,
        "account_id": account.id,
        "views": views,
        "filled": sum(1 for view in views if view["text"]),
        **profile,
        "strategy": _name(strategy, ctx) if strategy else None,
        "competitors": repo.competitor_names(session=ctx.db, account_id=account.id),
    }


def _chosen(ctx: Ctx, field: str, account: Any) -> str | None:
    """The name of what the account's `field` holds (its type, our position…), if set."""
    return next(
        (_name(e, ctx) for e in PROFILE[field](ctx) if e.id == getattr(account, field)), None
    )


def parts(ctx: Ctx) -> list[Option]:
    """Each view (✓ once filled in), then the profile and the competitors."""
    shown = plan_view(ctx)
    listed = [
        Option(view["id"], ("✓ " if view["text"] else "") + view["name"])
        for view in shown["views"]
    ]
    listed += [Option(field, ctx.labels(f"plan_{field}")) for field in PROFILE]
    return [*listed, Option(COMPETITORS, ctx.labels("plan_competitors"))]


def part_is_view(ctx: Ctx) -> bool:
    return any(view.id == ctx.get("part") for view in ctx.playbooks.account_plan.views)


def part_is(part: str) -> Any:
    return lambda ctx: ctx.get("part") == part


def view_context(ctx: Ctx) -> dict[str, Any]:
    """The view's purpose and prompts, an example, and what the plan says now."""
    view = next(v for v in ctx.playbooks.account_plan.views if v.id == ctx.get("part"))
    entry = repo.account_plan(session=ctx.db, account_id=_account(ctx).id).get(view.id)
    return {
        "name": ctx.t(view.name),
        "purpose": ctx.t(view.purpose),
        "prompts": [ctx.t(prompt) for prompt in view.prompts],
        "example": ctx.t(view.example),
        "now": entry.text if entry else None,
    }


def view_filled(ctx: Ctx) -> bool:
    """A view already written may be skipped, keeping its text."""
    return bool(view_context(ctx)["now"])


def profile_options(field: str) -> Any:
    """The playbook's list for a profile field, as buttons."""
    return lambda ctx: [Option(entry.id, _name(entry, ctx)) for entry in PROFILE[field](ctx)]


def profile_context(ctx: Ctx) -> dict[str, Any]:
    """What each choice means (a line each), and which is chosen now."""
    field = ctx.get("part")
    account = _account(ctx)
    return {
        "field": field,
        "choices": [
            {
                "name": _name(entry, ctx),
                "what": ctx.t(_meaning(entry)),
            }
            for entry in PROFILE[field](ctx)
        ],
        "now": _chosen(ctx, field, account),
    }


def _meaning(entry: Any) -> Any:
    """An account type's or position's description, what an orientation puts first."""
    return getattr(entry, "description", None) or entry.what_matters


def competitor_options(ctx: Ctx) -> list[Option]:
    return [
        Option(name, name)
        for name in repo.competitor_names(session=ctx.db, account_id=_account(ctx).id)
    ]


def all_competitors(ctx: Ctx) -> list[str]:
    return [option.id for option in competitor_options(ctx)]


def more_competitors(text: str, ctx: Ctx, so_far: list[str]) -> list[str]:
    """Competitors typed beside the ticks, each once, and none already listed (a name as
    typed: never matched to another)."""
    listed = {fold(name) for name in all_competitors(ctx)}
    return [name for name in more_names(text, ctx, so_far) if fold(name) not in listed]


def save_part(ctx: Ctx) -> dict[str, Any]:
    """Save the part changed; the page shows the plan as it now is."""
    account = _account(ctx)
    part = ctx.get("part")
    change = PlanChange(account_id=account.id)
    if part_is_view(ctx) and ctx.get("text"):
        change = PlanChange(account_id=account.id, view_id=part, text=ctx.get("text"))
    elif part in PROFILE and ctx.get(part):
        change = PlanChange(account_id=account.id, field=part, value=ctx.get(part))
    elif part == COMPETITORS and ctx.get(COMPETITORS) is not None:
        kept = list(ctx.get(COMPETITORS).get("selected", []))
        change = PlanChange(
            account_id=account.id, competitors=[*kept, *(ctx.get("new_competitors") or [])]
        )
    change_plan(session=ctx.db, change=change, by=ctx.user, now=ctx.now)
    return {**plan_view(ctx), "changed": change != PlanChange(account_id=account.id)}


def plan_links(ctx: Ctx, shown: dict[str, Any]) -> list[Link]:
    """Another part, or the account card."""
    account = str(shown["account_id"])
    return [
        Link(ctx.labels("plan_another"), "account", account),
        Link(ctx.labels("open_account"), "accounts", account),
    ]
