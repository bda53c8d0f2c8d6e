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


class SpinType(StrEnum):
    """The four SPIN question types, in the order a call usually uses them."""

    SITUATION = "situation"
    PROBLEM = "problem"
    IMPLICATION = "implication"
    NEED_PAYOFF = "need_payoff"


class Speaker(StrEnum):
    """Who said a transcript line."""

    USER = "user"
    BOT = "bot"


class SnapshotPhase(StrEnum):
    """A stakeholder as the rep saw them before the visit and after it."""

    PREP = "prep"
    DEBRIEF = "debrief"


class StageSubject(StrEnum):
    """Relationship stages move for a person (contact ladder) and for a whole account."""

    CONTACT = "contact"
    ACCOUNT = "account"


class ReminderKind(StrEnum):
    """Why a reminder exists; the text it sends is chosen by kind."""

    DEBRIEF = "debrief"
    NEXT_STEP = "next_step"
    COMMENT = "comment"


class FlowStatus(StrEnum):
    """How a coaching session ended, if it has."""

    ACTIVE = "active"
    DONE = "done"
    CANCELLED = "cancelled"
