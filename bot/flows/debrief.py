"""/debrief: turn a visit into a structured call record, then coach on it.

Pick the visit (today's planned first, then other open ones, or an unplanned visit), the
outcome, what was asked and heard, how each person moved, whether the sale moved (with the
summary on the same screen), the dated next step. Saving writes the debrief, SPIN items,
stakeholder snapshots, the account's stages and the stage changes in one transaction
(`debrief_record`); the feedback comes from the rules in coaching.yaml.
"""

from __future__ import annotations

from bot.engine.flow import Each, Flow
from bot.engine.steps.ask import Ask
from bot.engine.steps.ask_date import AskDate
from bot.engine.steps.beside import Beside
from bot.engine.steps.choose import Choose
from bot.engine.steps.choose_each import ChooseEach, Question
from bot.engine.steps.choose_many import ChooseMany
from bot.engine.steps.confirm import Confirm
from bot.engine.steps.info import Show
from bot.engine.steps.pick import Pick
from bot.flows import options
from bot.flows.correcting import correct_link
from bot.flows.debrief_people import (
    attendee_list,
    change_options,
    has_attendees,
    more_names,
    newcomer_is_close,
    newcomer_items,
    newcomer_same_options,
    people_changed_options,
    person_may_have_changed,
)
from bot.flows.debrief_record import (
    has_next_step,
    next_step_optional,
    parse_needs,
    save_call_record,
)
from bot.flows.debrief_signals import (
    RISKS,
    after_sale,
    criteria_context,
    criteria_options,
    explicit_need_heard,
    personal_win_context,
    personal_win_options,
    risk_options,
    risks_context,
    risks_wanted,
)
from bot.flows.debrief_stages import (
    more_summary,
    other_context,
    other_stage_wanted,
    sale_context,
    sale_options,
)
from bot.flows.debrief_visit import (
    after_outcome,
    asked_items,
    future_context,
    has_planned_questions,
    in_the_future,
    no_planned_questions,
    not_happened,
    open_visits,
    outcome_context,
    outcome_options,
    planned_options,
    start,
    unplanned,
    visit_not_given,
)
from bot.flows.guides import needs_link, wins_link
from bot.flows.own_questions import (
    check_types,
    more_questions,
    parse_own_questions,
    question_text,
)
from bot.flows.people import account_contacts, account_context, known_labels, team_accounts
from bot.flows.stakeholders import changed, stakeholder_questions

FLOW = Flow(
    id="debrief",
    start=start,
    steps=(
        Choose("visit", options=open_visits, columns=1, when=visit_not_given),
        Confirm("happened", when=in_the_future, getter=future_context),
        Show("not_yet", when=not_happened, getter=future_context),
        Pick("account", candidates=team_accounts, when=unplanned),
        ChooseMany(
            "attendees",
            options=account_contacts,
            allow_add=True,
            min_selected=1,
            when=unplanned,
            getter=account_context,
        ),
        Choose("outcome", options=outcome_options, getter=outcome_context, next=after_outcome),
        ChooseMany(
            "asked",
            options=planned_options,
            when=has_planned_questions,
            beside=Beside("other_questions", parse=more_questions, shown=question_text),
        ),
        Each("question", items=asked_items, steps=(Ask("answer", optional=True),)),
        Ask(
            "other_questions",
            parse=parse_own_questions,
            optional=True,
            lines=True,
            when=no_planned_questions,
        ),
        check_types("other_types", of="other_questions"),
        Ask("needs", parse=parse_needs, optional=True, lines=True, links=needs_link),
        ChooseMany(
            "criteria",
            options=criteria_options,
            when=explicit_need_heard,
            getter=criteria_context,
            links=needs_link,
        ),
        Choose(
            "people_changed",
            options=people_changed_options,
            when=has_attendees,
            beside=Beside("new_people", parse=more_names),
        ),
        Each(
            "person",
            items=attendee_list,
            steps=(
                ChooseMany(
                    "changes",
                    options=change_options,
                    getter=known_labels,
                    when=person_may_have_changed,
                ),
                *stakeholder_questions(when=changed),
                Choose(
                    "personal_win",
                    options=personal_win_options,
                    when=changed("personal_win"),
                    getter=personal_win_context,
                    links=wins_link,
                ),
                Ask("evidence", when=changed("stage")),
            ),
        ),
        Each(
            "newcomer",
            items=newcomer_items,
            steps=(
                Choose(
                    "newcomer_same",
                    options=newcomer_same_options,
                    columns=1,
                    when=newcomer_is_close,
                ),
                Choose("newcomer_role", options=options.roles, optional=True),
                Choose("newcomer_stance", options=options.stances, optional=True),
            ),
        ),
        Choose(
            "sale",
            options=sale_options,
            columns=1,
            getter=sale_context,
            beside=Beside("summary", parse=more_summary),
            next=after_sale,
        ),
        ChooseMany(
            RISKS, options=risk_options, when=risks_wanted, getter=risks_context, next="sale"
        ),
        ChooseEach(
            "sale_other",
            questions=(
                Question("sales_stage_to", options.sales_stages),
                Question("lifecycle_to", options.account_stages),
            ),
            when=other_stage_wanted,
            getter=other_context,
        ),
        Ask("next_step", optional=next_step_optional),
        AskDate("next_step_due", optional=next_step_optional, when=has_next_step),
        Show("feedback", on_done=save_call_record, links=correct_link),
    ),
)
