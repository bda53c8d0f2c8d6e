"""What a debrief hears beyond the questions: risk signals (risks.yaml), one tap each from the
stage screen ("⚠ A risk signal…", then back to it), purchase criteria (needs.yaml, the need
funnel's third level) once an explicit need was heard, and a person's personal win
(people.yaml) when the rep ticks it as news about them."""

from __future__ import annotations

from typing import Any

from bot.engine.context import Ctx, Option

RISKS = "risks"


def risk_options(ctx: Ctx) -> list[Option]:
    return [Option(signal.id, ctx.t(signal.label)) for signal in ctx.playbooks.risks.signals]


def risks_context(ctx: Ctx) -> dict[str, Any]:
    """Each signal's first sign, so the rep knows which one they saw."""
    return {
        "signals": [
            {"label": ctx.t(signal.label), "sign": ctx.t(signal.signs[0])}
            for signal in ctx.playbooks.risks.signals
        ]
    }


def risks_wanted(ctx: Ctx) -> bool:
    return bool(ctx.get("sale") == RISKS)


def after_sale(ctx: Ctx) -> str | None:
    """ "⚠ A risk signal…" opens the signals; the stage screen comes back after them."""
    return RISKS if risks_wanted(ctx) else None


def heard_risks(ctx: Ctx) -> tuple[str, ...]:
    return tuple((ctx.get(RISKS) or {}).get("selected", []))


def criteria_options(ctx: Ctx) -> list[Option]:
    return [
        Option(category.id, ctx.t(category.label))
        for category in ctx.playbooks.needs.criteria.categories
    ]


def criteria_context(ctx: Ctx) -> dict[str, Any]:
    guide = ctx.playbooks.needs.criteria
    return {"what": ctx.t(guide.what), "prompt": ctx.t(guide.prompts[0])}


def explicit_need_heard(ctx: Ctx) -> bool:
    """Criteria follow an explicit need (the funnel's order): asked only once one was heard."""
    needs = ctx.get("needs")
    return bool(isinstance(needs, dict) and needs.get("explicit"))


def heard_criteria(ctx: Ctx) -> tuple[str, ...]:
    """The criteria ticked, while an explicit need still leads to them (Back may undo it)."""
    if not explicit_need_heard(ctx):
        return ()
    return tuple((ctx.get("criteria") or {}).get("selected", []))


def personal_win_options(ctx: Ctx) -> list[Option]:
    return [
        Option(win.id, ctx.t(win.label)) for win in ctx.playbooks.people.personal_wins.categories
    ]


def personal_win_context(ctx: Ctx) -> dict[str, Any]:
    """What a personal win is, the person's name, and what each kind means."""
    guide = ctx.playbooks.people.personal_wins
    return {
        "what": ctx.t(guide.what),
        "wins": [{"label": ctx.t(win.label), "what": ctx.t(win.what)} for win in guide.categories],
    }
