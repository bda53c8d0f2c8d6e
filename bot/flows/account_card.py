"""The account card /accounts shows, and `/accounts 12` opening it directly.

The card is the decision-unit map (people by role, with stance, influence and stage), the
account's tier and stages with their latest moves (when, who; of the visits the reader may
see), its last visits with outcomes, and the open next steps.
"""

from __future__ import annotations

from typing import Any

from bot.engine.context import Ctx, Option
from bot.engine.steps.info import Paged, page_argument
from bot.errors import UserError
from bot.flows import options
from bot.flows.account_planning import plan_view
from bot.flows.debrief_stages import move_view
from bot.flows.people import account_of, open_account
from bot.playbooks.schema import Stance
from bot.storage import repo

VISITS_ON_CARD = 5
MOVES_ON_CARD = 3
# A card with ten people runs over a phone's screen: 17 lines a page (and "More ▸", the plan
# and the account's coaching below), so the people come first and the visits and steps are
# one tap away, never left out.
CARD_PAGES = Paged(
    flow="accounts", argument=lambda shown: str(shown["account_id"]), first=17, rest=17
)


def start(ctx: Ctx, argument: str) -> None:
    """`/accounts 12` opens that account's card if it is the user's team's; `12:2` its
    second page (the "More ▸" under a long card)."""
    if not argument:
        return
    account_id, page = page_argument(argument)
    if page is None or not open_account(ctx, account_id):
        raise UserError("errors/account_not_found")
    ctx.answers["page"] = page


def card_context(ctx: Ctx) -> dict[str, Any]:
    """Everything the card shows, as labels in the user's language."""
    account = account_of(ctx)
    if account is None or account.id is None:
        raise UserError("errors/account_not_found")
    contacts = repo.account_contacts(session=ctx.db, account_id=account.id)
    stances: dict[str, Stance] = {
        stance.id: stance for stance in ctx.playbooks.decision_unit.stances
    }
    roles = options.roles(ctx)
    by_role: list[dict[str, Any]] = []
    for role in [*roles, Option("", ctx.labels("role_unknown"))]:
        people = [
            {
                "name": contact.name,
                "title": contact.title,
                "stance": options.label_of(options.stances(ctx), contact.stance),
                "support": stances[contact.stance].support if contact.stance in stances else None,
                "influence": options.label_of(options.influence(ctx), contact.influence),
                "stage": options.label_of(options.contact_stages(ctx), contact.relationship_stage),
            }
            for contact in contacts
            if (contact.buying_role or "") == role.id
            or (role.id == "" and contact.buying_role not in {option.id for option in roles})
        ]
        if people:
            by_role.append({"role": role.label, "people": people})
    history = repo.account_history(
        session=ctx.db, account_id=account.id, limit=VISITS_ON_CARD, viewer=ctx.user
    )
    visits = []
    open_steps = []
    for visit, debrief in history:
        local = visit.planned_at.astimezone(ctx.zone) if visit.planned_at else None
        visits.append(
            {
                "when": local.strftime("%Y-%m-%d") if local else "—",
                "status": ctx.labels(f"status_{visit.status.value}"),
                "outcome": ctx.labels(f"outcome_{debrief.outcome.value}") if debrief else None,
                "objective": visit.objective_best,
            }
        )
        if debrief is not None and debrief.next_step and debrief.next_step_done_at is None:
            open_steps.append(
                {
                    "text": debrief.next_step,
                    "due": debrief.next_step_due.isoformat() if debrief.next_step_due else None,
                    "overdue": bool(debrief.next_step_due and debrief.next_step_due < ctx.today),
                }
            )
    return {
        "account": account.name,
        "account_id": account.id,
        "tier": options.label_of(options.tiers(ctx), account.tier),
        "lifecycle": options.label_of(options.account_stages(ctx), account.lifecycle_stage),
        "sales_stage": options.label_of(options.sales_stages(ctx), account.sales_stage),
        "cadence": _cadence(ctx, account.tier),
        "roles": by_role,
        "visits": visits,
        "open_steps": open_steps,
        "moves": [
            move_view(ctx, change, by)
            for change, by in repo.account_stage_moves(
                session=ctx.db, account_id=account.id, viewer=ctx.user, limit=MOVES_ON_CARD
            )
        ],
        "contact_count": len(contacts),
        "plan": plan_view(ctx),
    }


def _cadence(ctx: Ctx, tier_id: str | None) -> str | None:
    """How often the tier wants the account seen (its strategy is one tap away)."""
    tier = next((tier for tier in ctx.playbooks.accounts.tiers if tier.id == tier_id), None)
    return ctx.t(tier.cadence) if tier else None
