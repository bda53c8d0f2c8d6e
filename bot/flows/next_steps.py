"""/next: the rep's open next steps as tasks; each one done, given a new date, or its account.

Overdue steps come first. `/next done:42` and `/next date:42` (the overdue reminder's buttons)
open visit 42's step at that action directly. Marking done and moving are `bot.changes`, which
also settles the step's queued reminders; the helpers are in `next_step_tasks`.
"""

from __future__ import annotations

from bot.engine.flow import Flow, answer_is
from bot.engine.steps.ask import Ask
from bot.engine.steps.ask_date import AskDate
from bot.engine.steps.choose import Choose
from bot.engine.steps.info import Show
from bot.flows.account_card import CARD_PAGES
from bot.flows.next_step_tasks import (
    DATE_OFFSETS,
    PAGE_SIZE,
    account_card,
    action_not_given,
    due_passed,
    list_context,
    mark_done,
    move_due,
    nothing_open,
    parse_due_again,
    start,
    step_actions,
    step_context,
    step_not_given,
    steps_open,
)

FLOW = Flow(
    id="next",
    start=start,
    steps=(
        Show("none", when=nothing_open),
        Choose(
            "visit",
            options=steps_open,
            columns=1,
            page_size=PAGE_SIZE,
            when=step_not_given,
            getter=list_context,
        ),
        Choose(
            "action", options=step_actions, columns=2, when=action_not_given, getter=step_context
        ),
        Show("done", when=answer_is("action", "done"), on_done=mark_done),
        Show(
            "account",
            when=answer_is("action", "account"),
            getter=account_card,
            paged=CARD_PAGES,
        ),
        AskDate(
            "due", offsets=DATE_OFFSETS, when=answer_is("action", "date"), getter=step_context
        ),
        Ask("due_again", parse=parse_due_again, when=due_passed, getter=step_context),
        Show("moved", when=answer_is("action", "date"), on_done=move_due),
    ),
)
