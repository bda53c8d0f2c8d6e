"""What /guide shows: a piece of the playbooks in full, one tap from the screen it helps.

`/guide role:decision_maker` is a buying role's task, duty, concerns, what to ask and how to
win its holder; `stance:<id>`, `stage:<id>` (a contact's relationship stage), `lifecycle:<id>`
(the account's), `tier:<id>`, `step:<id>` (a sales stage); `coach:all` (the inside coach),
`spin:all` (the four question types and the worksheet's cautions), `stages:all` (the contact
ladder and what shows each rung reached), `wins:all` (personal wins), `needs:all` (need levels,
the need funnel, purchase criteria); `visit:42` the coaching that fits the people of
visit 42, `account:12` what account 12's tier and stages ask for. A third part is the page
(`role:purchaser:2`, the "More ▸" under a long guide).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bot.coaching.competition import strategy_of
from bot.engine.context import Ctx
from bot.engine.steps.base import Link
from bot.engine.steps.info import Paged
from bot.flows import options
from bot.flows.people import is_row_id
from bot.flows.record import visible_visit
from bot.playbooks.loader import Playbooks
from bot.playbooks.schema import BuyingRole, RelationshipStage, Stance
from bot.storage import repo
from bot.storage.models import Account

GUIDE_PAGES = Paged(
    flow="guide",
    argument=lambda shown: f"{shown['kind']}:{shown['subject']}",
    first=20,
    rest=20,
    blocks=True,
)
NOT_FOUND = "none"


def guide_wanted(ctx: Ctx, argument: str) -> None:
    """Which guide (and page) the argument names; an unknown one shows "none"."""
    parts = argument.split(":")
    page = int(parts.pop()) if len(parts) == 3 and parts[2].isdecimal() else 1
    kind, key = [*parts, ""][:2]
    found = GUIDES[kind](ctx, key) if kind in GUIDES else None
    ctx.answers.update(guide=kind if found is not None else NOT_FOUND, key=key, page=page)


def guide_is(kind: str) -> Callable[[Ctx], bool]:
    return lambda ctx: ctx.get("guide") == kind


def guide_context(ctx: Ctx) -> dict[str, Any]:
    kind, key = ctx.get("guide"), ctx.get("key")
    found = GUIDES[kind](ctx, key) if kind in GUIDES else None
    return {"kind": kind, "subject": key, **(found or {})}


def role_guide(ctx: Ctx, role: BuyingRole) -> dict[str, Any]:
    """A buying role: what its holder does and cares about, what to ask, how to win them."""
    return {
        "name": ctx.t(role.name),
        "task": ctx.t(role.task),
        "duty": ctx.t(role.duty),
        "concerns": ctx.t(role.concerns),
        "ask": [ctx.t(text) for text in role.ask],
        "win": [ctx.t(text) for text in role.win],
    }


def stance_guide(ctx: Ctx, stance: Stance) -> dict[str, Any]:
    return {
        "name": ctx.t(stance.name),
        "description": ctx.t(stance.description),
        "approach": ctx.t(stance.approach),
    }


def stage_guide(ctx: Ctx, stage: RelationshipStage) -> dict[str, Any]:
    """A rung of a relationship ladder: how it looks, what shows it, what to aim for and do,
    and the barriers to switching worth building there (competition.yaml)."""
    return {
        "barriers": [
            {"name": ctx.t(barrier.name), "actions": [ctx.t(text) for text in barrier.actions]}
            for barrier in ctx.playbooks.competition.barriers
            if stage.id in (*barrier.contact_stages, *barrier.account_stages)
        ],
        "name": ctx.t(stage.name),
        "summary": ctx.t(stage.summary),
        "entry_evidence": [ctx.t(text) for text in stage.entry_evidence],
        "goals": [ctx.t(text) for text in stage.goals],
        "actions": [ctx.t(text) for text in stage.actions],
        "warnings": [ctx.t(text) for text in stage.warnings],
        "span": ctx.t(stage.span) if hasattr(stage, "span") else None,
    }


def coach_guide(ctx: Ctx) -> dict[str, Any]:
    coach = ctx.playbooks.decision_unit.coach
    return {
        "name": ctx.t(coach.name),
        "what_they_do": [ctx.t(text) for text in coach.what_they_do],
        "good_candidates": [ctx.t(text) for text in coach.good_candidates],
        "how_to_develop": [ctx.t(text) for text in coach.how_to_develop],
        "warnings": [ctx.t(text) for text in coach.warnings],
    }


def _kind(ctx: Ctx, role_id: str | None, stance: Stance | None) -> dict[str, str] | None:
    """The kind of person the role makes them (people.yaml: a bystander without one), and how
    to treat them; for someone against us, how to treat that."""
    kinds = ctx.playbooks.people.kinds
    kind = next((k for k in kinds if role_id in k.roles), None) or next(
        (k for k in kinds if not k.roles), None
    )
    if kind is None:
        return None
    against = stance is not None and stance.support < 0
    return {
        "name": ctx.t(kind.name),
        "how": ctx.t(kind.against_us) if against else ctx.t(kind.how[0]),
    }


def _by_id(entries: Any, key: str) -> Any:
    return next((entry for entry in entries if entry.id == key), None)


def _one(
    entries: Callable[[Playbooks], Any], shape: Callable[[Ctx, Any], dict[str, Any]]
) -> Callable[[Ctx, str], dict[str, Any] | None]:
    """The guide to one playbook entry, found by its id among `entries`."""

    def guide(ctx: Ctx, key: str) -> dict[str, Any] | None:
        entry = _by_id(entries(ctx.playbooks), key)
        return shape(ctx, entry) if entry is not None else None

    return guide


_role = _one(lambda playbooks: playbooks.decision_unit.roles, role_guide)
_stance = _one(lambda playbooks: playbooks.decision_unit.stances, stance_guide)
_stage = _one(lambda playbooks: playbooks.relationship.contact_stages, stage_guide)
_lifecycle = _one(lambda playbooks: playbooks.relationship.account_stages, stage_guide)


def _stages(ctx: Ctx, key: str) -> dict[str, Any] | None:
    ladder = [stage_guide(ctx, s) for s in ctx.playbooks.relationship.contact_stages]
    return {"stages": ladder} if key == "all" else None


def _coach(ctx: Ctx, key: str) -> dict[str, Any] | None:
    return coach_guide(ctx) if key == "all" else None


def _spin(ctx: Ctx, key: str) -> dict[str, Any] | None:
    if key != "all":
        return None
    spin = ctx.playbooks.spin
    return {
        "types": [
            {
                "name": ctx.t(guide.name),
                "purpose": ctx.t(guide.purpose),
                "when_to_use": ctx.t(guide.when_to_use),
                "advice": [ctx.t(text) for text in guide.advice],
                "example": ctx.t(guide.example),
            }
            for guide in spin.types
        ],
        "cautions": [ctx.t(text) for text in spin.worksheet.cautions],
        "examples": [
            {
                "problem": ctx.t(example.problem),
                "implication": ctx.t(example.implication),
                "need_payoff": ctx.t(example.need_payoff),
            }
            for example in spin.worksheet.examples
        ],
    }


def _wins(ctx: Ctx, key: str) -> dict[str, Any] | None:
    """Personal wins: what one is, how to learn it, cautions, and how to deliver each kind."""
    if key != "all":
        return None
    guide = ctx.playbooks.people.personal_wins
    return {
        "what": ctx.t(guide.what),
        "how_to_learn": [ctx.t(text) for text in guide.how_to_learn],
        "cautions": [ctx.t(text) for text in guide.cautions],
        "wins": [
            {"label": ctx.t(win.label), "what": ctx.t(win.what), "deliver": ctx.t(win.deliver)}
            for win in guide.categories
        ],
    }


def _needs(ctx: Ctx, key: str) -> dict[str, Any] | None:
    """Needs at three levels, the need funnel to purchase criteria, and how to capture them."""
    if key != "all":
        return None
    needs = ctx.playbooks.needs
    return {
        "levels": [
            {
                "name": ctx.t(level.name),
                "what": ctx.t(level.what),
                "how_to_learn": [ctx.t(text) for text in level.how_to_learn],
            }
            for level in needs.levels
        ],
        "funnel": [
            {
                "name": ctx.t(step.name),
                "what": ctx.t(step.what),
                "example": ctx.t(step.example),
                "next_move": ctx.t(step.next_move) if step.next_move else None,
            }
            for step in needs.funnel
        ],
        "criteria": ctx.t(needs.criteria.what),
        "prompts": [ctx.t(text) for text in needs.criteria.prompts],
    }


def _tier(ctx: Ctx, key: str) -> dict[str, Any] | None:
    tier = _by_id(ctx.playbooks.accounts.tiers, key)
    if tier is None:
        return None
    return {
        "name": ctx.t(tier.name),
        "criteria": [ctx.t(text) for text in tier.criteria],
        "cadence": ctx.t(tier.cadence),
        "strategy": [ctx.t(text) for text in tier.strategy],
        "days": tier.visit_within_days,
    }


def _step(ctx: Ctx, key: str) -> dict[str, Any] | None:
    step = _by_id(ctx.playbooks.process.steps, key)
    if step is None:
        return None
    return {
        "name": ctx.t(step.selling_step),
        "buying_step": ctx.t(step.buying_step),
        "milestone": ctx.t(step.milestone),
        "actions": [ctx.t(text) for text in step.actions],
    }


def _account(ctx: Ctx, key: str) -> dict[str, Any] | None:
    """An account of the user's team: its tier's cadence and strategy, what its sales stage
    asks for, and its lifecycle stage's goals and actions (None when none of them is set)."""
    account = ctx.db.get(Account, int(key)) if is_row_id(key) else None
    if account is None or account.team_id != ctx.user.team_id:
        return None
    shown = {
        "account": account.name,
        "tier": _tier(ctx, account.tier or ""),
        "step": _step(ctx, account.sales_stage or ""),
        "lifecycle": _lifecycle(ctx, account.lifecycle_stage or ""),
        "strategy": _strategy(ctx, account),
        "barriers": _barriers(ctx, account),
        "orientation": _orientation(ctx, account.orientation or ""),
    }
    return shown if any(value for key, value in shown.items() if key != "account") else None


def _strategy(ctx: Ctx, account: Account) -> dict[str, Any] | None:
    """The competitive strategy the account's type and our position there choose."""
    strategy = strategy_of(ctx.playbooks, account)
    if strategy is None:
        return None
    return {
        "name": ctx.t(strategy.name),
        "what": ctx.t(strategy.what),
        "actions": [ctx.t(text) for text in strategy.actions],
    }


def _barriers(ctx: Ctx, account: Account) -> list[dict[str, Any]]:
    """The barriers to switching worth building now: those for the account's lifecycle or
    sales stage, or the relationship stage of one of its people."""
    stages = {
        contact.relationship_stage
        for contact in repo.account_contacts(session=ctx.db, account_id=account.id or 0)
    }
    return [
        {
            "name": ctx.t(barrier.name),
            "what": ctx.t(barrier.what),
            "actions": [ctx.t(text) for text in barrier.actions],
        }
        for barrier in ctx.playbooks.competition.barriers
        if account.lifecycle_stage in barrier.account_stages
        or account.sales_stage in barrier.sales_stages
        or stages & set(barrier.contact_stages)
    ]


def _orientation(ctx: Ctx, key: str) -> dict[str, Any] | None:
    """What an account of this buying orientation puts first, and hints for the visit."""
    found = _by_id(ctx.playbooks.segments.orientations, key)
    if found is None:
        return None
    propositions = {item.id: item for item in ctx.playbooks.segments.propositions}
    return {
        "name": ctx.t(found.name),
        "what_matters": ctx.t(found.what_matters),
        "hints": [ctx.t(text) for text in found.hints],
        "propositions": [
            {"name": ctx.t(item.name), "promise": ctx.t(item.promise)}
            for item in (propositions[key] for key in found.propositions if key in propositions)
        ],
    }


def _visit(ctx: Ctx, key: str) -> dict[str, Any] | None:
    """The coaching that fits each person of the visit (their role, stance and stage), and
    the inside-coach guide when none of them is a coach."""
    visit = visible_visit(ctx, key)
    if visit is None or visit.id is None:
        return None
    account = ctx.db.get(Account, visit.account_id)
    du, ladder = ctx.playbooks.decision_unit, ctx.playbooks.relationship.contact_stages
    people = []
    contacts = repo.visit_attendees(session=ctx.db, visit_id=visit.id)
    for contact in contacts:
        role = _by_id(du.roles, contact.buying_role or "")
        stance = _by_id(du.stances, contact.stance or "")
        stage = _by_id(ladder, contact.relationship_stage or "")
        people.append(
            {
                "name": contact.name,
                "known": [
                    label
                    for label in (
                        options.label_of(options.roles(ctx), contact.buying_role),
                        options.label_of(options.stances(ctx), contact.stance),
                        options.label_of(options.contact_stages(ctx), contact.relationship_stage),
                    )
                    if label
                ],
                "role": role_guide(ctx, role) if role else None,
                "kind": _kind(ctx, contact.buying_role, stance),
                "stance": stance_guide(ctx, stance) if stance else None,
                "stage": stage_guide(ctx, stage) if stage else None,
            }
        )
    coached = any(contact.stance == "coach" for contact in contacts)
    return {
        "account": account.name if account else "",
        "people": people,
        "coach": None if coached else coach_guide(ctx),
    }


GUIDES: dict[str, Callable[[Ctx, str], dict[str, Any] | None]] = {
    "role": _role,
    "stance": _stance,
    "stage": _stage,
    "lifecycle": _lifecycle,
    "stages": _stages,
    "coach": _coach,
    "spin": _spin,
    "tier": _tier,
    "step": _step,
    "visit": _visit,
    "account": _account,
    "wins": _wins,
    "needs": _needs,
}


# --- the links that open a guide, from the screens it helps -----------------------------------


def _link(ctx: Ctx, label: str, argument: str, **words: Any) -> Link:
    return Link(ctx.texts.label(label, ctx.language, **words), "guide", argument)


def plan_links(ctx: Ctx, shown: dict[str, Any]) -> list[Link]:
    """Under a call plan with people: the coaching for each of them, in full."""
    if not shown.get("people") or not shown.get("visit_id"):
        return []
    return [_link(ctx, "guide_people", f"visit:{shown['visit_id']}")]


def spin_link(ctx: Ctx, shown: dict[str, Any]) -> list[Link]:
    """Beside the proposed questions: what each type is for, when to ask it, how."""
    return [_link(ctx, "guide_spin", "spin:all")]


def wins_link(ctx: Ctx, shown: dict[str, Any]) -> list[Link]:
    """Beside a person's personal win: what one is and how to learn it."""
    return [_link(ctx, "guide_wins", "wins:all")]


def needs_link(ctx: Ctx, shown: dict[str, Any]) -> list[Link]:
    """Beside the needs and the criteria heard: the three levels and the need funnel."""
    return [_link(ctx, "guide_needs", "needs:all")]


def stages_link(ctx: Ctx, shown: dict[str, Any]) -> list[Link]:
    """Beside "which relationship stage now": what shows each rung reached."""
    return [_link(ctx, "guide_stages", "stages:all")]


def card_links(ctx: Ctx, shown: dict[str, Any]) -> list[Link]:
    """Under an account card: its plan, and (with a tier or a stage) their coaching."""
    plan = Link(ctx.labels("menu_account"), "account", str(shown["account_id"]))
    if not _account(ctx, str(shown.get("account_id", ""))):
        return [plan]
    return [plan, _link(ctx, "guide_account", f"account:{shown['account_id']}")]
