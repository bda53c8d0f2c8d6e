"""The /stats report: team figures over a period, as the text's context and as a PNG chart."""

from __future__ import annotations

from typing import Any

from bot import charts
from bot.domain import Role, SpinType
from bot.engine.context import Ctx, Option
from bot.engine.output import Attachment
from bot.engine.steps.info import Paged, page_argument
from bot.figures import Figures, TeamFigures, mix, team_figures
from bot.flows import options
from bot.storage.models import User

PERIODS = (7, 30, 90, 365)
STALLED_LISTED = 10


def periods(ctx: Ctx) -> list[Option]:
    """The periods a manager can look back over, in days."""
    return [Option(str(days), ctx.labels(f"stats_days_{days}")) for days in PERIODS]


# Pages of a phone's screen; "More ▸" is `/stats <days>:<page>`.
STATS_PAGES = Paged(
    flow="stats", argument=lambda shown: str(shown["days"]), first=20, rest=20, blocks=True
)


def stats_wanted(ctx: Ctx, argument: str) -> None:
    """`30:2` is page 2 of the last 30 days (a period not offered is asked for instead)."""
    days, page = page_argument(argument)
    if days in {str(offered) for offered in PERIODS}:
        ctx.answers["period"] = days
        ctx.answers["period_given"] = True
    ctx.answers["page"] = page or 1


def period_to_ask(ctx: Ctx) -> bool:
    """The period is asked unless the command (a "More ▸" button) gave it."""
    return not ctx.get("period_given")


def make_report(ctx: Ctx) -> dict[str, Any]:
    """Compute the figures once; the text and the chart are both drawn from them (the chart
    with the first page only)."""
    days = int(ctx.get("period") or PERIODS[2])
    figures = team_figures(
        session=ctx.db, playbooks=ctx.playbooks, viewer=ctx.user, now=ctx.now, days=days
    )
    report = report_context(ctx, figures, days)
    if int(ctx.get("page") or 1) == 1:
        stamp = ctx.now.astimezone(ctx.zone).strftime("%Y%m%d-%H%M")
        ctx.attach(Attachment(f"salescoach-stats-{stamp}.png", chart(ctx, report), image=True))
    return report


def report_context(ctx: Ctx, figures: TeamFigures, days: int) -> dict[str, Any]:
    """What the report template shows: the team first, then each person, then stalled accounts."""
    names = {person.id: person.display_name for person in figures.people}
    return {
        "days": days,
        "since": figures.since.astimezone(ctx.zone).strftime("%Y-%m-%d"),
        "until": figures.until.astimezone(ctx.zone).strftime("%Y-%m-%d"),
        "spin_names": _spin_names(ctx),
        "team": _row(ctx.labels("stats_team"), figures.team),
        "rows": [
            _row(person.display_name, figures.by_person[person.id])
            for person in _shown(figures)
            if person.id is not None
        ],
        "stalled": [
            {
                "name": account.name,
                "owner": names.get(account.owner_id),
                "continuations": account.continuations,
                "repeated": account.repeated,
                "days": account.days_since_visit,
                "too_long": account.too_long,
            }
            for account in figures.stalled[:STALLED_LISTED]
        ],
        "stalled_more": max(0, len(figures.stalled) - STALLED_LISTED),
    }


def _shown(figures: TeamFigures) -> list[User]:
    """Every rep, and managers only when they have figures of their own."""
    return [
        person
        for person in figures.people
        if person.role == Role.REP or not figures.by_person[person.id or 0].idle
    ]


def _row(name: str, figures: Figures) -> dict[str, Any]:
    return {
        "name": name,
        "debriefs": figures.debriefs,
        "advance_rate": figures.advance_rate,
        "judged": figures.judged,
        "objective_met": figures.objective_met,
        "planned": list(mix(figures.planned).values()),
        "asked": list(mix(figures.asked).values()),
        "planned_total": sum(figures.planned.values()),
        "asked_total": sum(figures.asked.values()),
        "open": figures.open_opportunities,
        "dm_share": figures.decision_maker_share,
        "coach_share": figures.coach_share,
        "stalled": figures.stalled,
        "up": figures.moves_up,
        "down": figures.moves_down,
        "sales_up": figures.sales_up,
        "sales_down": figures.sales_down,
    }


def _spin_names(ctx: Ctx) -> list[str]:
    kinds = options.spin_types(ctx)
    return [options.label_of(kinds, kind.value) or kind.value for kind in SpinType]


def chart(ctx: Ctx, report: dict[str, Any]) -> bytes:
    """The PNG, drawn from the report's own rows: the team's SPIN mix, then each person's rates."""
    team = report["team"]
    spin = [
        charts.Bar(ctx.labels("stats_planned"), team["planned"]),
        charts.Bar(ctx.labels("stats_asked"), team["asked"]),
    ]
    busiest_first = sorted(report["rows"], key=lambda row: -row["debriefs"])
    rates = [
        charts.Bar(row["name"], [row["advance_rate"], row["dm_share"], row["coach_share"]])
        for row in busiest_first
    ]
    hidden = max(0, len(rates) - charts.PEOPLE_SHOWN)
    text = charts.ChartText(
        title=ctx.texts.label(
            "stats_chart_title",
            ctx.language,
            days=report["days"],
            since=report["since"],
            until=report["until"],
        ),
        spin_title=ctx.labels("stats_chart_spin"),
        spin_names=report["spin_names"],
        rates_title=ctx.labels("stats_chart_rates"),
        rate_names=[
            ctx.labels("stats_advance_rate"),
            ctx.labels("stats_dm_share"),
            ctx.labels("stats_coach_share"),
        ],
        more_people=(
            ctx.texts.label("stats_chart_more", ctx.language, count=hidden) if hidden else ""
        ),
        empty=ctx.labels("stats_chart_empty"),
    )
    return charts.stats_chart(text=text, spin=spin, rates=rates)
