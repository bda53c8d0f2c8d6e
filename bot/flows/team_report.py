"""The /team report: each rep's visits prepared and debriefed, advance rate, open flags, and
the nudges the coach sent them in the last week (`bot.nudges`).

The figures come from `bot.activity.team_activity` (grouped queries over the viewer's scope);
this module puts them in the user's words.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from bot.activity import team_activity
from bot.engine.context import Ctx
from bot.engine.steps.info import Paged, page_argument
from bot.nudges import sent_since
from bot.storage import repo

# Pages of a phone's screen; "More ▸" is `/team :<page>`.
NUDGES_SHOWN = timedelta(days=7)  # the nudges of the last week, beside each rep's figures
RISKS_SHOWN = timedelta(days=30)  # the risk signals their debriefs reported in the last month
TEAM_PAGES = Paged(flow="team", argument=lambda shown: "", first=20, rest=20, blocks=True)


def team_wanted(ctx: Ctx, argument: str) -> None:
    """`:2` is the report's second page."""
    ctx.answers["page"] = page_argument(argument)[1] or 1


def team_report(ctx: Ctx) -> dict[str, Any]:
    """One line per rep, from grouped queries: none of them runs once per rep."""
    activity = team_activity(session=ctx.db, playbooks=ctx.playbooks, viewer=ctx.user, now=ctx.now)
    nudged = sent_since(
        session=ctx.db,
        user_ids=[person.id or 0 for person in activity.people],
        since=ctx.now - NUDGES_SHOWN,
    )
    names: dict[str, str] = {nudge.id: ctx.t(nudge.name) for nudge in ctx.playbooks.nudges.nudges}
    signals = {signal.id: signal for signal in ctx.playbooks.risks.signals}
    risks: dict[int, list[dict[str, str]]] = {}
    for rep_id, account, risk in repo.risks_since(
        session=ctx.db,
        viewer=ctx.user,
        rep_ids=[person.id or 0 for person in activity.people],
        since=ctx.now - RISKS_SHOWN,
    ):
        if risk in signals:
            risks.setdefault(rep_id, []).append(
                {
                    "account": account,
                    "label": ctx.t(signals[risk].label),
                    "response": ctx.t(signals[risk].response[0]),
                }
            )
    rows = []
    for person in activity.people:
        line = activity.of(person)
        rows.append(
            {
                "name": person.display_name,
                "prepared": line.prepared,
                "debriefed": line.debriefed,
                "advance_rate": line.advance_rate,
                "flags": [ctx.t(rule.title) for rule in line.gaps],
                "risks": risks.get(person.id or 0, []),
                "nudges": [
                    {"account": account, "name": names.get(nudge, nudge)}
                    for account, nudge in nudged.get(person.id or 0, [])
                ],
            }
        )
    return {"rows": rows}
