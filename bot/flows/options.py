"""Choice lists drawn from the playbooks, in the user's language."""

from __future__ import annotations

from collections.abc import Sequence

from bot.domain import Outcome, SpinType
from bot.engine.context import Ctx, Option
from bot.playbooks.schema import Named


def _named(items: Sequence[Named], ctx: Ctx) -> list[Option]:
    return [Option(item.id, ctx.t(item.name)) for item in items]


def roles(ctx: Ctx) -> list[Option]:
    """Buying roles: decision maker, purchaser, technical evaluator, user."""
    return _named(ctx.playbooks.decision_unit.roles, ctx)


def stances(ctx: Ctx) -> list[Option]:
    """Stances from coach to enemy."""
    return _named(ctx.playbooks.decision_unit.stances, ctx)


def influence(ctx: Ctx) -> list[Option]:
    """Influence levels."""
    return _named(ctx.playbooks.decision_unit.influence, ctx)


def contact_stages(ctx: Ctx) -> list[Option]:
    """The contact relationship ladder."""
    return _named(ctx.playbooks.relationship.contact_stages, ctx)


def account_stages(ctx: Ctx) -> list[Option]:
    """The account lifecycle."""
    return _named(ctx.playbooks.relationship.account_stages, ctx)


def tiers(ctx: Ctx) -> list[Option]:
    """Account tiers."""
    return _named(ctx.playbooks.accounts.tiers, ctx)


def sales_stages(ctx: Ctx) -> list[Option]:
    """Selling steps, which are the account's sales stage."""
    return [Option(step.id, ctx.t(step.selling_step)) for step in ctx.playbooks.process.steps]


def spin_types(ctx: Ctx) -> list[Option]:
    """The four SPIN question types."""
    return [Option(guide.id, ctx.t(guide.name)) for guide in ctx.playbooks.spin.types]


def spin_marks(ctx: Ctx) -> dict[SpinType, str]:
    """Each SPIN type as the short mark a rep types for it ("S", "背景"): compact lists."""
    return {
        kind: ctx.texts.words(f"prefix_{kind.value}", ctx.language)[0].upper() for kind in SpinType
    }


def outcomes(ctx: Ctx) -> list[Option]:
    """Call outcomes."""
    return [Option(outcome.value, ctx.labels(f"outcome_{outcome.value}")) for outcome in Outcome]


def label_of(options: list[Option], option_id: str | None) -> str | None:
    """The label of an id, or None when unset or no longer in the playbook."""
    return next((option.label for option in options if option.id == option_id), None)


SPIN_ORDER = {spin_type.value: index for index, spin_type in enumerate(SpinType)}
