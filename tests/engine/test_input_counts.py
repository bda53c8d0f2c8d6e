"""What a rep pays per visit, in inputs (a tap, a typed line, a command): the fastest honest path.

Each path skips what is optional and accepts every proposal, on the real engine. The targets
(issue 13): a repeat prep at most 10, a first visit with one new person at most 14, a debrief
ending in an advance with a dated next step at most 8. Where a target is not met yet, the
count would be held where it is, so it could only go down; all three are met now.
"""

from __future__ import annotations

from datetime import timedelta

from tests.conftest import START
from tests.engine.chat import Chat, at_step, play
from tests.engine.scripts import SCRIPTS, Step, cmd, say, tap

REPEAT_PREP = [
    cmd("prep"),
    tap("Huadong", at="account"),
    tap("Done", at="attendees"),  # the last visit's people, preselected
    say("Agrees to a pilot\nSends the fleet data", at="objective_best"),
    tap("Done", at="questions"),
    tap("Skip", at="own_questions"),
    tap("Skip", at="problem"),  # one Skip leaves the whole worksheet
    say("tomorrow 15:00", at="visit_day"),
]
FIRST_VISIT = [
    cmd("prep"),
    say("Blue Ocean Logistics", at="account"),
    tap("Create", at="account"),
    tap("Done", at="account_profile"),  # tier and both stages on one screen
    say("Sun Li", at="attendees"),  # nobody on file to take it for: added at once
    tap("Done", at="attendees"),
    tap("Done", at="profile"),  # title, role, stance, influence, stage on one screen
    say("Agrees to a trial\nA call back", at="objective_best"),
    tap("Done", at="questions"),
    tap("Skip", at="own_questions"),
    tap("Skip", at="problem"),
    say("tomorrow 15:00", at="visit_day"),
]
ADVANCE_DEBRIEF = [
    cmd("debrief"),  # the only visit due today is taken: the outcome screen names it
    tap("Advance: the best", at="outcome"),
    tap("Done", at="asked"),  # other questions asked would be typed here
    tap("Skip", at="needs"),
    tap("No changes", at="people_changed"),  # people met for the first time typed here
    tap("Still at Proposal", at="sale"),  # the sale did not move: one tap, the summary typed here
    say("Pilot agreement draft", at="next_step"),
    tap("Tomorrow", at="next_step_due"),
]


def inputs_to_finish(chat: Chat, path: list[Step]) -> int:
    """Play `path`; the flow must be finished by its last input."""
    play(chat, path)
    assert at_step(chat) is None, "the path ends the flow"
    return len(path)


def test_a_repeat_visit_is_prepared_in_at_most_10_inputs(rep_en: Chat) -> None:
    prep, debrief = SCRIPTS["en"]
    play(rep_en, prep + debrief)
    assert inputs_to_finish(rep_en, REPEAT_PREP) <= 10
    assert "Call plan · Huadong Heavy Truck" in rep_en.text
    assert "👤 Wang Gong" in rep_en.text and "👤 Zhao Zong" in rep_en.text


def test_a_first_visit_with_one_new_person_is_prepared_in_at_most_14_inputs(rep_en: Chat) -> None:
    assert inputs_to_finish(rep_en, FIRST_VISIT) <= 14
    assert "Call plan · Blue Ocean Logistics" in rep_en.text
    assert "Sun Li" in rep_en.text


def test_a_debrief_of_an_advance_with_a_dated_next_step_takes_at_most_8_inputs(
    rep_en: Chat, clock
) -> None:
    prep, _ = SCRIPTS["en"]
    play(rep_en, prep)
    clock.now = START + timedelta(days=1, hours=8)  # after the visit
    assert inputs_to_finish(rep_en, ADVANCE_DEBRIEF) <= 8
    assert "Saved: Huadong Heavy Truck · Advance" in rep_en.text
