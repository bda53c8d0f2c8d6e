"""/correct: the rep corrects a debrief saved in the last 7 days, one field or several.

Pick the debrief (newest first; `/correct 42` and the "✏️ Correct" button under a saved
debrief open visit 42's), then a field, its new value (the outcome by button, the words typed,
the due date as in /debrief), and back to the fields, each corrected one marked ✏️ with the
saved value beside the new, until Save. An outcome corrected to an advance or a continuation
where no next step was saved asks for one. Saving is `bot.records.correct_debrief`, which
keeps each field's value before and after with who and when; the helpers are in `correcting`.
"""

from __future__ import annotations

from bot.domain import DebriefField
from bot.engine.flow import Flow, answer_is
from bot.engine.steps.ask import Ask
from bot.engine.steps.ask_date import AskDate
from bot.engine.steps.choose import Choose
from bot.engine.steps.info import Show
from bot.flows.correcting import (
    SAVE,
    about,
    after_next_step,
    after_outcome,
    asks_due,
    asks_next_step,
    debrief_context,
    due_optional,
    field_options,
    late_context,
    list_context,
    nothing_to_correct,
    outcomes,
    recent_debriefs,
    save_corrections,
    start,
    too_late,
    visit_not_given,
)

FLOW = Flow(
    id="correct",
    start=start,
    steps=(
        Show("none", when=nothing_to_correct, getter=list_context),
        Choose(
            "visit", options=recent_debriefs, columns=1, when=visit_not_given, getter=list_context
        ),
        Choose("field", options=field_options, columns=2, getter=debrief_context),
        Choose(
            "outcome",
            options=outcomes,
            when=answer_is("field", "outcome"),
            getter=about(DebriefField.OUTCOME),
            next=after_outcome,
        ),
        Ask(
            "summary",
            when=answer_is("field", "summary"),
            getter=about(DebriefField.SUMMARY),
            next="field",
        ),
        Ask(
            "implied_needs",
            when=answer_is("field", "implied_needs"),
            getter=about(DebriefField.IMPLIED_NEEDS),
            next="field",
        ),
        Ask(
            "explicit_needs",
            when=answer_is("field", "explicit_needs"),
            getter=about(DebriefField.EXPLICIT_NEEDS),
            next="field",
        ),
        Ask(
            "next_step",
            when=asks_next_step,
            getter=about(DebriefField.NEXT_STEP),
            next=after_next_step,
        ),
        AskDate(
            "next_step_due",
            when=asks_due,
            optional=due_optional,
            getter=about(DebriefField.NEXT_STEP_DUE),
            next="field",
        ),
        Show("too_late", when=too_late, getter=late_context),
        Show("saved", when=answer_is("field", SAVE), on_done=save_corrections),
    ),
)
