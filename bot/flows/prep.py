"""/prep: prepare a visit and leave with a one-page call plan.

Account, attendees (asking only what is unknown about each), the decision-unit checklist, the
objective as an Advance, the SPIN plan with the worksheet, the relationship-stage actions, and
the time. Nothing is written until the plan is shown (`prep_plan`), so a cancelled prep leaves
no half-made records behind; every answer is in the flow state and the transcript meanwhile.
"""

from __future__ import annotations

from bot.domain import SpinType
from bot.engine.flow import Each, Flow
from bot.engine.steps.ask import Ask, free_text
from bot.engine.steps.ask_date import AskDate
from bot.engine.steps.choose_each import ChooseEach, Question, TextQuestion
from bot.engine.steps.choose_many import ChooseMany
from bot.engine.steps.confirm import Confirm
from bot.engine.steps.info import Show
from bot.engine.steps.pick import Pick
from bot.flows import options
from bot.flows.guides import plan_links, spin_link
from bot.flows.own_questions import check_types, parse_own_questions
from bot.flows.people import account_contacts, account_context, known_labels, team_accounts
from bot.flows.plan_pages import PLAN_PAGES
from bot.flows.prep_account import (
    account_lacks,
    attendees_context,
    is_new_person,
    parse_title,
    picked_attendees,
)
from bot.flows.prep_coaching import checklist_context
from bot.flows.prep_history import (
    last_attendees,
    minimum_missing,
    objective_suggestions,
    parse_objective,
)
from bot.flows.prep_plan import save_plan
from bot.flows.prep_questions import (
    all_proposed,
    has_problem,
    proposed_questions,
    questions_context,
    row_is_open,
    worksheet_context,
    worksheet_items,
    worksheet_proposals,
)
from bot.flows.prep_time import (
    did_not_happen,
    in_the_past,
    no_time_given,
    parse_future_when,
    parse_visit_time,
    passed_context,
    time_suggestions,
)
from bot.flows.stakeholders import stakeholder_fields, unknown

FLOW = Flow(
    id="prep",
    steps=(
        Pick("account", candidates=team_accounts),
        ChooseEach(
            "account_profile",
            questions=(
                Question("tier", options.tiers, when=account_lacks("tier"), columns=3),
                Question("sales_stage", options.sales_stages, when=account_lacks("sales_stage")),
                Question(
                    "account_stage", options.account_stages, when=account_lacks("lifecycle_stage")
                ),
            ),
            getter=account_context,
        ),
        ChooseMany(
            "attendees",
            options=account_contacts,
            allow_add=True,
            min_selected=1,
            preselect=last_attendees,
            getter=attendees_context,
        ),
        Each(
            "person",
            items=picked_attendees,
            steps=(
                ChooseEach(
                    "profile",
                    questions=stakeholder_fields(when=unknown),
                    text=TextQuestion("title", parse_title, when=is_new_person),
                    getter=known_labels,
                ),
            ),
        ),
        Ask(
            "objective_best",
            parse=parse_objective,
            lines=True,
            suggestions=objective_suggestions,
            getter=checklist_context,
        ),
        Ask("objective_minimum", parse=free_text, when=minimum_missing),
        ChooseMany(
            "questions",
            options=proposed_questions,
            preselect=all_proposed,
            getter=questions_context,
            compact=True,
            links=spin_link,
        ),
        Ask("own_questions", parse=parse_own_questions, optional=True, lines=True),
        check_types("own_types", of="own_questions"),
        Each(
            "problem",
            items=worksheet_items,
            steps=(
                Ask("problem", optional=True, when=row_is_open, getter=worksheet_context),
                Ask(
                    "implication",
                    optional=True,
                    when=has_problem,
                    getter=worksheet_context,
                    suggestions=worksheet_proposals(SpinType.IMPLICATION),
                    columns=1,
                ),
                Ask(
                    "need_payoff",
                    optional=True,
                    when=has_problem,
                    getter=worksheet_context,
                    suggestions=worksheet_proposals(SpinType.NEED_PAYOFF),
                    columns=1,
                ),
            ),
        ),
        AskDate("visit_day"),
        Ask(
            "visit_time",
            parse=parse_visit_time,
            optional=True,
            when=no_time_given,
            suggestions=time_suggestions,
        ),
        Confirm("already_happened", when=in_the_past, getter=passed_context),
        Ask("visit_again", parse=parse_future_when, when=did_not_happen),
        Show("plan", on_done=save_plan, paged=PLAN_PAGES, links=plan_links),
    ),
)
