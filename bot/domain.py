"""The fixed vocabulary the code itself depends on.

Ids here are stored in the database and never change. Everything a company may tailor (roles,
stances, stages, tiers, questions) is playbook data instead, validated against these where the
code needs to know a value.
"""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    """What a user may do: reps prepare and debrief, managers review, admins run the team."""

    REP = "rep"
    MANAGER = "manager"
    ADMIN = "admin"


class VisitStatus(StrEnum):
    """A visit is prepared (planned), then debriefed (done), or called off."""

    PLANNED = "planned"
    DONE = "done"
    CANCELLED = "cancelled"


class Outcome(StrEnum):
    """The four call outcomes of SPIN selling; only an advance or an order moves a sale on."""

    ADVANCE = "advance"
    CONTINUATION = "continuation"
    ORDER = "order"
    NO_SALE = "no_sale"


class ObjectiveMet(StrEnum):
    """How a visit ended against the plan's objective: its best commitment, its minimum, or
    neither. An order counts as the best (no commitment a visit aims for is more than one)."""

    BEST = "best"
    MINIMUM = "minimum"
    NEITHER = "neither"


class DebriefField(StrEnum):
    """What a rep may correct in a saved debrief; each is a column of the debrief row."""

    OUTCOME = "outcome"
    OBJECTIVE_MET = "objective_met"  # corrected with the outcome, never on its own
    SUMMARY = "summary"
    IMPLIED_NEEDS = "implied_needs"
    EXPLICIT_NEEDS = "explicit_needs"
    NEXT_STEP = "next_step"
    NEXT_STEP_DUE = "next_step_due"


CORRECTION_DAYS = 7  # how long after saving a debrief its rep may correct it


class SpinType(StrEnum):
    """The four SPIN question types, in the order a call usually uses them."""

    SITUATION = "situation"
    PROBLEM = "problem"
    IMPLICATION = "implication"
    NEED_PAYOFF = "need_payoff"


class TypedBy(StrEnum):
    """Who gave a SPIN question its type: a rep's own word wins over the coach's reading."""

    BANK = "bank"  # a question from the playbook's bank, typed there
    WORKSHEET = "worksheet"  # a worksheet row: its box says what it is
    REP = "rep"  # the rep marked it (S:, 暗示：) or changed what the coach read
    COACH = "coach"  # the coach read it and the rep kept it


class Speaker(StrEnum):
    """Who said a transcript line."""

    USER = "user"
    BOT = "bot"


class SnapshotPhase(StrEnum):
    """A stakeholder as the rep saw them before the visit and after it."""

    PREP = "prep"
    DEBRIEF = "debrief"


class StageSubject(StrEnum):
    """What a stage change moves: a person on the contact ladder, the account's lifecycle
    (relationship.yaml `account_stages`), or its sale along the selling steps (process.yaml).

    The column is a VARCHAR without a constraint, wide enough for every value: a new subject
    needs no migration.
    """

    CONTACT = "contact"
    ACCOUNT = "account"
    SALES = "sales"


class ReminderKind(StrEnum):
    """Why a reminder exists; the text it sends is chosen by kind."""

    DEBRIEF = "debrief"
    NEXT_STEP = "next_step"
    COMMENT = "comment"
    NUDGE = "nudge"  # proactive coaching: an account crossed a line of nudges.yaml


# The facts about a debriefed visit that coaching rules (coaching.yaml, scorecard.yaml) may test,
# by name, with what each means: the contract between the rules, which are data, and the code
# that computes the facts (`bot.coaching.facts.VisitFacts`). The playbook loader checks names.
FACTS = {
    "situation_asked": "situation questions asked",
    "problem_asked": "problem questions asked",
    "implication_asked": "implication questions asked",
    "need_payoff_asked": "need-payoff questions asked",
    "questions_asked": "all questions asked",
    "outcome": "advance, continuation, order or no_sale",
    "objective_met": "best, minimum or neither against the plan's objective; empty without one",
    "decision_maker_known": "someone at the account holds the decision maker role",
    "decision_maker_met": "a decision maker attended this visit",
    "coach_known": "someone at the account has the coach stance",
    "attendees": "people who attended this visit",
    "contacts_engaged": "people at the account who attended any debriefed visit",
    "next_step_dated": "the next step has a due date",
    "continuations_in_row": "continuation outcomes in a row at this account, this one included",
    "visits_without_stage_move": "debriefed visits in a row at the account with no stage move",
    "blockers": "people at the account with the blocker or enemy stance",
}


class FlowStatus(StrEnum):
    """How a coaching session ended, if it has."""

    ACTIVE = "active"
    DONE = "done"
    CANCELLED = "cancelled"


INVITATION_DAYS = 7.0  # how long an invitation code is valid unless told otherwise
