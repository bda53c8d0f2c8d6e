"""/visits: the rep's planned visits, each one cancelled or moved to another day and time.

`/visits cancel:42` and `/visits move:42` (the debrief reminder's buttons) open visit 42 at that
action. A cancel is confirmed first; a move asks the day and time as /prep does (the same step
ids, so `prep_time`'s helpers read them) and the debrief reminder follows the visit. The
changes are `bot.changes`; the helpers are in `visit_changes`.
"""

from __future__ import annotations

from bot.engine.flow import Flow, answer_is
from bot.engine.steps.ask import Ask
from bot.engine.steps.ask_date import AskDate
from bot.engine.steps.choose import Choose
from bot.engine.steps.confirm import Confirm
from bot.engine.steps.info import Show
from bot.flows.prep_time import parse_future_when, parse_visit_time
from bot.flows.visit_changes import (
    PAGE_SIZE,
    action_not_given,
    cancel_confirmed,
    cancel_declined,
    cancel_visit,
    list_context,
    move_time_not_given,
    move_visit,
    moved_into_the_past,
    nothing_planned,
    planned_visits,
    start,
    time_suggestions,
    visit_actions,
    visit_context,
    visit_not_given,
)

FLOW = Flow(
    id="visits",
    start=start,
    steps=(
        Show("none", when=nothing_planned),
        Choose(
            "visit",
            options=planned_visits,
            columns=1,
            page_size=PAGE_SIZE,
            when=visit_not_given,
            getter=list_context,
        ),
        Choose(
            "action", options=visit_actions, columns=2, when=action_not_given, getter=visit_context
        ),
        Confirm("cancel_sure", when=answer_is("action", "cancel"), getter=visit_context),
        Show("cancelled", when=cancel_confirmed, on_done=cancel_visit),
        Show("kept", when=cancel_declined, getter=visit_context),
        AskDate("visit_day", when=answer_is("action", "move"), getter=visit_context),
        Ask(
            "visit_time",
            parse=parse_visit_time,
            when=move_time_not_given,
            suggestions=time_suggestions,
        ),
        Ask("visit_again", parse=parse_future_when, when=moved_into_the_past),
        Show("moved", when=answer_is("action", "move"), on_done=move_visit),
    ),
)
