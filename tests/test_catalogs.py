"""The catalogs: every message translated with its placeholders, nothing missing, all renders.

A translator edits `locale/<lang>/LC_MESSAGES/messages.po` (README, "Text and translation");
these specifications are what `pybabel extract` / `update` must leave true.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from bot.errors import Problem
from bot.text import CATALOG, LANGUAGES, Texts

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / "locale"
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")

# Representative contexts for every template: the sweep renders each in both languages. Where a
# template branches, a second context takes the other way.
PERSON_KNOWN = {"role": "Decision maker", "stance": "Neutral", "influence": "High", "stage": None}
NOTHING_KNOWN = {"role": None, "stance": None, "influence": None, "stage": None}
EXAMPLE = {"problem": "Breakdowns", "implication": "Orders lost?", "need_payoff": "Worth?"}
SECTIONS = {"situation": "S.", "problem": "P.", "implication": "I.", "need_payoff": "N."}
SCORE = {
    "points": 7,
    "maximum": 12,
    "lines": [
        {"label": "Asked implication questions", "met": True, "why": "It shows the cost."},
        {"label": "Decision maker met", "met": False, "why": "They decide."},
    ],
    "missing": ["Decision maker met"],
}
SPIN_CHECK: dict[str, Any] = {
    "checked": [
        {"number": 1, "question": "How many sites?", "label": "Situation", "by_rep": False,
         "statement": False, "example": "What do you run?"},
        {"number": 2, "question": "What happens then?", "label": "Problem", "by_rep": True,
         "statement": False, "example": "What does it cost?"},
    ],
    "unsure": 0,
    "marked": 1,
}  # fmt: skip
SPIN_CHECK_UNSURE: dict[str, Any] = {
    "checked": [
        {"number": 1, "question": "Old machines", "label": None, "by_rep": False,
         "statement": True, "example": "Are you satisfied with them?"},
    ],
    "unsure": 1,
    "marked": 0,
}  # fmt: skip
PEOPLE = [
    {
        "name": "Wang",
        "now": "User · Coach",
        "was": "Supporter",
        "attended": True,
        "moves": [
            {"name": "Wang", "from": "Familiar", "to": "Personal trust", "evidence": "Told us"}
        ],
    },
    {
        "name": "Zhao",
        "now": None,
        "was": None,
        "attended": False,
        "moves": [{"name": "Zhao", "from": None, "to": "Familiar", "evidence": None}],
    },
]
RECORD: dict[str, Any] = {
    "account": "Acme <Trucks> & Co",
    "rep": "Amy",
    "when": "2026-11-25 15:00",
    "outcome": "Advance",
    "status": "done",
    "score": SCORE,
    "best": "Site visit",
    "minimum": None,
    "summary": "Good meeting",
    "questions": [
        {
            "type": "Situation",
            "text": "Goals?",
            "planned": True,
            "asked": True,
            "answer": "30%",
            "read": None,
        },
        {
            "type": "Problem",
            "text": "Costs?",
            "planned": True,
            "asked": False,
            "answer": None,
            "read": None,
        },
        {
            "type": "Problem",
            "text": "Delays?",
            "planned": True,
            "asked": None,
            "answer": None,
            "read": None,
        },
        {
            "type": "Implication",
            "text": "Loss?",
            "planned": False,
            "asked": True,
            "answer": None,
            "read": None,
        },
        {
            "type": "Problem",
            "text": "Cost?",
            "planned": False,
            "asked": True,
            "answer": None,
            "read": "Implication",
        },
    ],
    "people": PEOPLE,
    "people_shown": PEOPLE,
    "people_more": 7,
    "moves": [{"name": "Sales stage", "from": "Proposal", "to": "Bidding", "evidence": None}],
    "implied": "Breakdowns",
    "explicit": "Faster repairs",
    "next_step": "Demo",
    "due": "2026-12-02",
    "step_done": {"when": "2026-12-03 09:30", "by": "Amy"},
    "comments": [{"author": "Bob", "when": "11-26 09:00", "text": "Well done"}],
    "risks": [{"label": "Contact turnover", "response": ["Meet the successor."]}],
    "asked_counts": {"planned": 3, "asked": 1, "unplanned": 2},
    "corrected": {
        "outcome": {"field": "Outcome", "was": "Continuation", "count": 1, "by": "Amy",
                    "when": "11-26 08:00"},
        "summary": {"field": "Summary", "was": "<b>Good</b>", "count": 2, "by": "Amy",
                    "when": "11-27 08:00"},
        "implied_needs": {"field": "Implied needs", "was": "—", "count": 1, "by": "Amy",
                          "when": "11-26 08:00"},
        "explicit_needs": {"field": "Explicit needs", "was": "Speed", "count": 1, "by": "Amy",
                           "when": "11-26 08:00"},
        "next_step": {"field": "Next step", "was": "Call", "count": 1, "by": "Amy",
                      "when": "11-26 08:00"},
        "next_step_due": {"field": "Due date", "was": "2026-12-01", "count": 1, "by": "Amy",
                          "when": "11-26 08:00"},
    },
}  # fmt: skip
BARE_RECORD = RECORD | {
    "people_shown": [],
    "people_more": 0,
    "corrected": {},
    "step_done": None,
    "outcome": None,
    "score": None,
    "best": None,
    "summary": None,
    "questions": [],
    "people": [],
    "moves": [],
    "implied": None,
    "explicit": None,
    "next_step": None,
    "due": None,
    "comments": [],
}
MOVE = {
    "what": "Sales stage",
    "from": "Proposal",
    "to": "Bidding",
    "evidence": "A compliant bid is submitted.",
    "when": "2026-11-25",
    "by": "Amy",
}
SALE = {
    "account": "Acme",
    "current": "Proposal",
    "next": "Bidding",
    "milestone": "A compliant bid is submitted.",
    "lifecycle": "Stable",
    "typed": [],
}
ROW = {
    "name": "Amy",
    "debriefs": 3,
    "advance_rate": 50,
    "judged": 2,
    "objective_met": 1,
    "planned": [40, 30, 20, 10],
    "asked": [None, None, None, None],
    "planned_total": 10,
    "asked_total": 0,
    "open": 2,
    "dm_share": 50,
    "coach_share": None,
    "stalled": 1,
    "up": 2,
    "down": 0,
    "sales_up": 1,
    "sales_down": 1,
}
LABELS = {
    "types": {"situation": "Situation", "problem": "Problem"},
    "roles": {"user": "User"},
    "stances": {"coach": "Coach"},
    "items": {"coach_known": "Coach identified"},
    "flags": {"no_coach": "No coach", "single_threaded": "Single-threaded"},
    "outcomes": {"advance": "Advance"},
    "objectives": {"best": "🎯 the best planned", "neither": "not what was planned"},
    "fields": {"outcome": "Outcome", "objective_met": "Against the plan", "summary": "Summary"},
}
VISIT = {
    "account": {"name": "Acme"},
    "rep": {"name": "Amy"},
    "team": "East",
    "planned_at": None,
    "status": "done",
    "objective": {"best": "Site visit", "minimum": None},
    "attendees": [
        {"name": "Wang", "title": "CTO", "prep": {"buying_role": "user"}, "debrief": None},
        {
            "name": "Zhao",
            "title": None,
            "prep": None,
            "debrief": {"buying_role": "user", "stance": "coach", "attended": False},
        },
    ],
    "spin_items": [
        {
            "type": "situation",
            "question": "Goals?",
            "planned": False,
            "asked": True,
            "answer": "A",
        },
        {"type": "problem", "question": "Costs?", "planned": True, "asked": True, "answer": None},
        {"type": "problem", "question": "Why?", "planned": True, "asked": False, "answer": None},
        {"type": "problem", "question": "How?", "planned": True, "asked": None, "answer": None},
    ],
    "debrief": {
        "outcome": "advance",
        "objective_met": "best",
        "next_step": "Demo",
        "next_step_due": None,
    },
    "score": {"points": 1, "maximum": 2, "items": [{"id": "coach_known", "met": True}]},
    "flags": ["no_coach", "single_threaded"],
    "comments": [{"author": "Bob", "created_at": "2026-11-26", "text": "Good"}],
    "corrected": [
        {"field": "outcome", "from": "continuation", "to": "advance", "by": "Amy", "at": "x"},
        {"field": "objective_met", "from": None, "to": "best", "by": "Amy", "at": "x"},
        {"field": "summary", "from": "<b>Good</b>", "to": "", "by": "Amy", "at": "x"},
    ],
    "transcripts": [
        {"flow": "debrief", "lines": [{"speaker": "bot", "text": "<b>Hi</b>"}]},
        {"flow": "prep", "lines": [{"speaker": "user", "text": "<b>typed</b>"}]},
    ],
}
INVITATION = {
    "id": 4,
    "team": "East",
    "role": "rep",
    "created": "2026-12-01 10:00",
    "expires": "2026-12-08 10:00",
    "used": "2026-12-02 11:00",
    "used_by": "Amy",
    "revoked": "2026-12-03 12:00",
}
MEMBER = {
    "id": 7,
    "name": "Amy",
    "team": "East",
    "role": "rep",
    "active": True,
    "joined": "2026-12-01",
    "telegram": True,
    "handle": None,
}

PLAN_VIEW = {
    "account": "Acme <b>",
    "account_id": 3,
    "views": [
        {"id": "background", "name": "Background", "text": "Two new lines next year."},
        {"id": "risks", "name": "Risks", "text": None},
    ],
    "filled": 1,
    "account_type": "Strategic",
    "our_position": "Challenger",
    "orientation": "Trusted supplier",
    "strategy": "Flank",
    "competitors": ["Sany", "XCMG"],
}
BARE_PLAN = PLAN_VIEW | {
    "filled": 0,
    "account_type": None,
    "our_position": None,
    "orientation": None,
    "strategy": None,
    "competitors": [],
}
PROFILE_CHOICE = {
    "choices": [{"name": "Strategic", "what": "Buys for the long run."}],
    "now": "Strategic",
}
NUDGES = (
    "risk_signal",
    "cadence_passed",
    "blocker_unaddressed",
    "no_decision_maker_met",
    "single_threaded",
)
NUDGE_FACTS = {"days": 45, "every": 30, "names": ["Sun", "Li"], "visits": 3, "name": "Wang"}
SAMPLES: dict[str, list[dict[str, Any]]] = {
    "access/code_invalid": [{}],
    "access/deactivated": [{"id": 7, "name": "Amy"}],
    "access/invitation_already_used": [
        {"id": 3, "name": "Amy", "user_id": 7},
        {"id": 3, "name": None, "user_id": 7},
    ],
    "access/invitation_unknown": [{"code": "X1"}],
    "access/member_ambiguous": [
        {"name": "Li Na", "people": [(1, "Li Na", "East"), (2, "Li Na", "West")]}
    ],
    "access/member_unknown": [
        {"name": "Li Nan", "close": [(1, "Li Na"), (2, "Li Ning")]},
        {"name": "Li Nan", "close": []},
    ],
    "access/refused": [{}],
    "access/team_exists": [{"name": "East"}],
    "access/team_name_empty": [{}],
    "access/team_unknown": [{"name": "East"}],
    "access/too_many_tries": [{}],
    "accounts/account": [{}],
    "accounts/card": [
        {
            "account": "Acme",
            "tier": "Core",
            "lifecycle": None,
            "sales_stage": "Proposal",
            "contact_count": 4,
            "roles": [
                {
                    "role": "Decision maker",
                    "people": [
                        {"name": "Zhao", "title": "CEO", "support": None, "stance": None}
                        | {"influence": None, "stage": None},
                        {"name": "Wang", "title": None, "support": 1, "stance": "Coach"}
                        | {"influence": "High", "stage": "Familiar"},
                    ],
                },
                {
                    "role": "User",
                    "people": [
                        {"name": "Li", "title": None, "support": 0, "stance": "Neutral"}
                        | {"influence": None, "stage": None},
                        {"name": "Sun", "title": None, "support": -1, "stance": "Blocker"}
                        | {"influence": None, "stage": None},
                    ],
                },
            ],
            "visits": [
                {"when": "11-25", "outcome": "Advance", "status": "done", "objective": "Demo"},
                {"when": "12-01", "outcome": None, "status": "planned", "objective": None},
            ],
            "open_steps": [
                {"text": "Demo", "due": "12-02", "overdue": True},
                {"text": "Call", "due": None, "overdue": False},
            ],
            "moves": [MOVE, MOVE | {"what": "Relationship as a whole", "by": None}],
            "cadence": "Face to face at least monthly.",
            "plan": PLAN_VIEW,
        },
        {
            "account": "Acme",
            "tier": None,
            "lifecycle": None,
            "sales_stage": None,
            "cadence": None,
            "plan": BARE_PLAN,
            "contact_count": 0,
            "roles": [],
            "visits": [],
            "open_steps": [],
            "moves": [],
        },
    ],
    "cli/config_error": [
        {"problems": [Problem("spin.yaml", "config/file_missing")]},
        {
            "problems": [
                Problem("accounts.yaml", "config/file_missing"),
                Problem("SALESCOACH_BOT_TOKEN", "config/token_missing"),
            ]
        },
    ],
    "config/bad_bot_api_url": [{"where": "SALESCOACH_BOT_API_URL"}],
    "config/bad_database_url": [{"where": "SALESCOACH_DATABASE_URL"}],
    "config/bad_date": [{"where": "--since", "given": "yesterday"}],
    "config/bad_listen": [{"where": "--listen", "given": "8443"}],
    "config/bad_reminder_hours": [{"where": "SALESCOACH_DEBRIEF_REMINDER_HOURS"}],
    "config/bad_time_of_day": [{"where": "SALESCOACH_NEXT_STEP_REMINDER_TIME"}],
    "config/bad_webhook_secret": [{"where": "--secret"}],
    "config/bad_webhook_url": [{"where": "SALESCOACH_WEBHOOK_URL"}],
    "config/detail": [
        {"where": "SALESCOACH_DEFAULT_LANGUAGE", "detail": "Input should be 'zh' or 'en'"},
        {"where": "spin.yaml: worksheet", "detail": "examples: 3 given", "line": 89},
    ],
    "config/detail_given": [
        {"where": "spin.yaml: questions[21].type", "detail": "Input should be 'problem'"}
        | {"given": "'pain'"},
        {"where": "spin.yaml: worksheet.min_problems", "detail": "Input should be an integer"}
        | {"given": "'three'", "line": 93},
    ],
    "config/directory_missing": [{"where": "/srv/playbooks"}],
    "config/duplicate_id": [
        {"where": "spin.yaml: questions[1].id", "given": "s_goals", "first": "questions[0]"},
        {"where": "spin.yaml: questions[1].id", "given": "s_goals", "first": "questions[0]"}
        | {"line": 159},
    ],
    "config/empty_text": [
        {"where": "relationship.yaml: contact_stages[0].name.zh"},
        {"where": "relationship.yaml: contact_stages[0].name.zh", "line": 8},
    ],
    "config/file_missing": [{"where": "accounts.yaml"}],
    "config/missing": [
        {"where": "spin.yaml: types[1].example.zh"},
        {"where": "spin.yaml: types[1].example.zh", "line": 45},
    ],
    "config/needs_entry": [
        {"where": "process.yaml: steps"},
        {"where": "process.yaml: steps", "line": 1},
    ],
    "config/no_sections": [{"where": "spin.yaml"}],
    "config/not_yaml": [{"where": "spin.yaml", "error": "UnicodeDecodeError"}],
    "config/required_by_rules": [{"where": "decision_unit.yaml: stances", "given": "enemy"}],
    "config/token_missing": [{"where": "SALESCOACH_BOT_TOKEN"}],
    "config/unknown_contact_stage": [
        {"where": "spin.yaml: questions[0].contact_stages[1]"} | {"given": "acquaintance"}
    ],
    "config/unknown_key": [
        {"where": "relationship.yaml: contact_stages[0].acitons"},
        {"where": "relationship.yaml: contact_stages[0].acitons", "line": 19},
    ],
    "config/unknown_fact": [
        {"where": "coaching.yaml: rules[0].when[0].fact", "given": "x", "known": "a, b"}
    ],
    "config/unknown_role": [{"where": "spin.yaml: questions[2].roles[0]", "given": "buyer"}],
    "config/unknown_sales_stage": [
        {"where": "spin.yaml: questions[0].sales_stages[1]", "given": "closing"}
    ],
    "config/unknown_timezone": [{"where": "SALESCOACH_TIMEZONE", "given": "Nowhere/City"}],
    "config/webhook_needs": [{"where": "SALESCOACH_WEBHOOK_SECRET (or --secret TOKEN)"}],
    "config/yaml_error": [
        {"where": "spin.yaml", "line": 3, "column": 5, "detail": "found duplicate key"}
    ],
    "cli/db_current": [
        {"database": "sqlite:///coach.db", "revision": "0007", "head": "0007"},
        {"database": "sqlite:///coach.db", "revision": None, "head": "0007"},
        {"database": "sqlite:///coach.db", "revision": "0005", "head": "0007"},
    ],
    "cli/db_downgraded": [
        {"database": "sqlite:///coach.db", "revision": "0001"},
        {"database": "sqlite:///coach.db", "revision": None},
    ],
    "cli/db_revision": [{"path": "bot/storage/migrations/versions/0008_x.py"}],
    "cli/db_upgraded": [
        {"database": "sqlite:///coach.db", "revision": "0007", "previous": None},
        {"database": "sqlite:///coach.db", "revision": "0007", "previous": "0005"},
        {"database": "sqlite:///coach.db", "revision": "0007", "previous": "0007"},
    ],
    "cli/invitation_revoked": [{"id": 4, "team": "East", "role": "rep"}],
    "cli/invitations": [
        {"rows": [], "team": None},
        {"rows": [], "team": "East"},
        {"rows": [INVITATION | {"status": "unused"}], "team": "East"},
        {
            "rows": [
                INVITATION | {"status": "used"},
                INVITATION | {"status": "used", "used_by": None},
                INVITATION | {"status": "revoked"},
                INVITATION | {"status": "expired"},
            ],
            "team": None,
        },
    ],
    "cli/invited": [
        {"id": 4, "team": "East", "role": "rep", "expires": "12-08", "code": "C0DE", "link": None},
        {"id": 4, "team": "East", "role": "rep", "expires": "12-08", "code": "C0DE"}
        | {"link": "https://t.me/coach_bot?start=C0DE"},
    ],
    "cli/member_changed": [
        {"change": change, "id": 7, "name": "Amy", "team": "East", "role": "manager"}
        for change in ("deactivated", "reactivated", "role", "moved")
    ],
    "cli/members": [
        {"rows": [], "team": None},
        {"rows": [], "team": "East"},
        {"rows": [MEMBER], "team": "East"},
        {"rows": [MEMBER, MEMBER | {"active": False, "telegram": False}], "team": None},
    ],
    "cli/playbooks_ok": [
        {
            "directory": "playbooks",
            "counts": {
                "spin_types": 4,
                "questions": 84,
                "questions_situation": 21,
                "questions_problem": 21,
                "questions_implication": 21,
                "questions_need_payoff": 21,
                "worksheet_problems": 3,
                "roles": 4,
                "stances": 5,
                "influence_levels": 3,
                "checklist_items": 8,
                "contact_stages": 5,
                "account_stages": 4,
                "tiers": 5,
                "process_steps": 6,
                "coaching_rules": 16,
                "scorecard_items": 8,
                "nudges": 4,
                "plan_views": 5,
                "account_types": 3,
                "positions": 3,
                "strategies": 4,
                "barriers": 3,
                "risk_signals": 8,
                "need_levels": 3,
                "criteria_categories": 14,
                "kinds_of_people": 4,
                "personal_wins": 10,
                "orientations": 3,
                "propositions": 4,
                "scorecard_points": 12,
            },
        }
    ],
    "cli/team_created": [{"name": "East"}],
    "cli/unexpected": [{}],
    "debrief/account": [{}],
    "debrief/answer": [{"item": {"question": "What does a day of downtime cost?"}}],
    "debrief/asked": [{}],
    "debrief/attendees": [{"account": "Acme"}],
    "debrief/changes": [
        {"item": {"name": "Zhao"}, "known": PERSON_KNOWN},
        {"item": {"name": "Zhao"}, "known": NOTHING_KNOWN},
    ],
    "debrief/evidence": [{"item": {"name": "Wang"}}],
    "debrief/sale": [
        SALE,
        SALE | {"typed": ["Good <b>meeting</b>"]},
        SALE | {"current": None, "next": "Development"},
        SALE | {"next": None, "milestone": None},
    ],
    "debrief/sale_other": [
        SALE | {"fields": {"sales_stage_to": None, "lifecycle_to": None}},
        SALE | {"fields": {"sales_stage_to": "Bidding", "lifecycle_to": "Deep partnership"}},
        SALE
        | {"current": None, "lifecycle": None}
        | {"fields": {"sales_stage_to": "Bidding", "lifecycle_to": None}},
    ],
    "debrief/feedback": [
        {
            "account": "Acme",
            "outcome": "Advance",
            "asked": 1,
            "next_step": "Demo",
            "due": "12-02",
            "score": SCORE,
            "strengths": ["Asked implication questions."],
            "gaps": [
                {"message": "No coach.", "action": "Find one."},
                {"message": "M", "action": None},
            ],
            "visit_id": 9,
            "moves": [MOVE],
        },
        {
            "account": "Acme",
            "outcome": "No sale",
            "asked": 0,
            "next_step": None,
            "due": None,
            "score": SCORE | {"lines": [], "missing": []},
            "strengths": [],
            "gaps": [],
            "visit_id": 9,
            "moves": [],
        },
        {
            "account": "Acme",
            "outcome": "Continuation",
            "asked": 2,
            "next_step": "Call",
            "due": None,
            "score": SCORE,
            "strengths": [],
            "gaps": [],
            "visit_id": 9,
            "moves": [],
        },
    ],
    "debrief/influence": [{"item": {"name": "Wang"}}],
    "debrief/newcomer_role": [{"item": {"name": "Liu"}}],
    "debrief/newcomer_same": [{"item": {"name": "Zhao"}}],
    "debrief/newcomer_stance": [{"item": {"name": "Liu"}}],
    "debrief/next_step": [{}],
    "debrief/next_step_due": [{}],
    "debrief/other_questions": [{}],
    "debrief/other_types": [SPIN_CHECK, SPIN_CHECK_UNSURE],
    "debrief/outcome": [
        {
            "account": "Acme",
            "best": "A pilot",
            "minimum": "Criteria",
            "picked_at": "15:00",
            "judged": True,
        },
        {
            "account": "Acme",
            "best": None,
            "minimum": "Criteria",
            "picked_at": None,
            "judged": True,
        },
        {"account": "Acme", "best": None, "minimum": None, "picked_at": "15:00", "judged": False},
        {"account": "Acme", "best": None, "minimum": None, "picked_at": None, "judged": False},
    ],
    "debrief/happened": [{"account": "Acme", "when": "11-25 15:00"}],
    "debrief/not_yet": [{"account": "Acme", "when": "11-25 15:00"}],
    "debrief/needs": [{}],
    "debrief/people_changed": [{"typed": []}, {"typed": ["Liu Fang", "Chen <b>"]}],
    "debrief/role": [{"item": {"name": "Wang"}}],
    "debrief/stage": [{"item": {"name": "Wang"}}],
    "debrief/stance": [{"item": {"name": "Wang"}}],
    "debrief/summary": [{}],
    "debrief/visit": [{}],
    "errors/account_not_found": [{}],
    "errors/bad_date": [{}],
    "errors/bad_time": [{}],
    "errors/cannot_go_back": [{}],
    "errors/choose_more": [{"minimum": 2}],
    "errors/label_each": [{"count": 1}, {"count": 3}],
    "errors/no_question": [{}],
    "errors/tap_a_label": [{}],
    "errors/too_many_questions": [{"count": 14, "limit": 12}],
    "errors/did_you_mean": [{"name": "ap"}, {}],
    "errors/did_you_mean_many": [{}],
    "errors/edited": [{}],
    "errors/empty": [{}],
    "errors/name_close": [{"name": "Sun"}],
    "errors/name_new": [{"name": "Sun"}],
    "errors/no_choice": [
        {"number": 9, "count": 5, "names": True},
        {"number": 9, "count": 5, "names": False},
    ],
    "errors/no_flow": [{}],
    "errors/no_match": [{"name": "ABB"}],
    "errors/not_a_name": [{}],
    "errors/not_a_title": [{}],
    "errors/button_or_typed": [{"text": "no <b>change"}],
    "errors/not_allowed": [{"command": "team"}],
    "errors/not_optional": [{}],
    "errors/not_text": [{"kind": "a photo"}],
    "errors/not_understood": [{}],
    "errors/stale_button": [{}],
    "errors/time_passed": [{}],
    "errors/too_long": [{"length": 201, "limit": 200}],
    "errors/unexpected": [{}],
    "errors/unknown_command": [{"name": "frobnicate"}],
    "errors/visit_not_found": [{}],
    "errors/yes_or_no": [{}],
    "export/exported": [{"count": 1}, {"count": 2}],
    "export/format": [{}],
    "export/report": [
        {"exported_at": "2026-11-24 01:30 UTC", "labels": LABELS, "visits": []},
        {"exported_at": "2026-11-24 01:30 UTC", "labels": LABELS, "visits": [VISIT]},
        {
            "exported_at": "2026-11-24 01:30 UTC",
            "labels": LABELS,
            "visits": [
                VISIT
                | {"debrief": None, "score": None, "flags": [], "comments": [], "corrected": []}
            ],
        },
    ],
    "help/general": [
        {"in_flow": False, "commands": [("prep", "Prepare a visit"), ("help", "How to use")]},
        {"in_flow": True, "commands": []},
    ],
    "lang/changed": [{}],
    "lang/language": [{}],
    "menu/cancelled": [{}],
    "menu/done": [{}],
    "menu/main": [{}],
    "menu/nothing_to_cancel": [{}],
    "menu/resumed": [{}],
    "menu/switch_asked": [{"current": "debrief", "target": "accounts"}],
    "menu/switched": [{}],
    "menu/welcome": [{"name": "Amy"}],
    "prep/account": [{"progress": "1/9"}],
    "prep/already_happened": [{"when": "11-24 09:00"}],
    "prep/attendees": [
        {"account": "Acme", "has_contacts": True, "progress": "2/9"},
        {"account": "Acme", "has_contacts": False, "progress": "2/9"},
    ],
    "prep/implication": [
        {"item": {"number": 2}, "problem": "Breakdowns", "sections": SECTIONS, "example": EXAMPLE}
    ],
    "prep/need_payoff": [
        {"item": {"number": 2}, "problem": "Breakdowns", "sections": SECTIONS, "example": EXAMPLE}
    ],
    "prep/objective_best": [
        {
            "account": "Acme",
            "progress": "6/9",
            "next_step": "Site visit",
            "gaps": [
                {"question": "A coach?", "advice": "Find one.", "names": []},
                {"question": "Every role?", "advice": "Ask.", "names": ["Purchaser", "User"]},
            ],
        },
        {
            "account": "Acme",
            "progress": "6/9",
            "next_step": None,
            "gaps": [{"question": f"Gap {n}?", "advice": "Do.", "names": []} for n in range(6)],
        },
        {"account": "Acme", "progress": "6/9", "next_step": None, "gaps": []},
    ],
    "prep/objective_minimum": [{}],
    "prep/own_questions": [{}],
    "prep/own_types": [SPIN_CHECK, SPIN_CHECK_UNSURE],
    "prep/account_profile": [
        {"account": "Acme", "fields": {"tier": None, "sales_stage": None, "account_stage": None}},
        {"account": "Acme", "fields": {"sales_stage": "Proposal"}},
    ],
    "prep/profile": [
        {
            "item": {"name": "Zhao"},
            "known": NOTHING_KNOWN,
            "fields": {
                "title": None,
                "role": None,
                "stance": None,
                "influence": None,
                "stage": None,
            },
        },
        {"item": {"name": "Zhao"}, "known": PERSON_KNOWN, "fields": {"stance": "Coach"}},
    ],
    "prep/plan": [
        {
            "account": "Acme",
            "when": "11-25 15:00",
            "tier": "Core",
            "sales_stage": None,
            "people": [
                {
                    "name": "Wang",
                    "title": "CTO",
                    "role": "User",
                    "stance": None,
                    "stage": None,
                    "tip": "Show the daily gain.",
                },
                {
                    "name": "Zhao",
                    "title": None,
                    "role": None,
                    "stance": "Neutral",
                    "stage": "New",
                    "tip": None,
                },
            ],
            "best": "Site visit",
            "minimum": "Criteria",
            "questions": [
                {"mark": "S", "text": "Goals?"},
                {"mark": "P", "text": "Costs <b>?"},
            ],
            "problems": ["Breakdowns <b>often</b>"],
            "stage_people": [
                {
                    "stage": "Familiar",
                    "names": ["Wang", "Zhao"],
                    "actions": ["Invite them."],
                    "warnings": ["Small talk only."],
                },
            ],
            "account_stage": {
                "stage": "Development",
                "actions": ["Report value."],
                "warnings": ["No order yet."],
            },
            "gaps": [{"question": "A coach?", "advice": "Look among supporters."}],
            "warnings": ["no_questions", "no_implication", "no_need_payoff", "only_situation"],
            "happened": False,
            "visit_id": 5,
        },
        {
            "account": "Acme",
            "when": None,
            "tier": None,
            "sales_stage": None,
            "people": [],
            "best": "Site visit",
            "minimum": "Criteria",
            "questions": [],
            "problems": [],
            "stage_people": [],
            "account_stage": None,
            "gaps": [],
            "warnings": [],
            "happened": True,
            "visit_id": 5,
        },
    ],
    "plan/none": [{}],
    "plan/plan": [
        {
            "account": "Acme",
            "when": None,
            "tier": "Core",
            "sales_stage": "Proposal",
            "people": [],
            "best": "Site visit",
            "minimum": "Criteria",
            "questions": [{"mark": "N", "text": "Worth?"}],
            "problems": [],
            "stage_people": [],
            "account_stage": None,
            "gaps": [],
            "warnings": [],
            "happened": False,
            "visit_id": 5,
        },
    ],
    "prep/problem": [
        {"item": {"number": 1, "of": 3}, "intro": "Plan.", "sections": SECTIONS}
        | {"example": EXAMPLE},
        {"item": {"number": 2, "of": 3}, "intro": "Plan.", "sections": SECTIONS}
        | {"example": EXAMPLE},
    ],
    "prep/questions": [
        {
            "types": {"g": "Situation", "c": "Problem"},
            "listed": [
                {"number": 1, "id": "g", "label": "Goals <b>?", "ticked": True},
                {"number": 2, "id": "c", "label": "Costs?", "ticked": False},
            ],
            "progress": "7/9",
        }
    ],
    "prep/visit_again": [{}],
    "prep/visit_day": [{}],
    "prep/visit_time": [{}],
    "reminders/comment": [{"author": "Bob", "account": "Acme", "comment": "Well done"}],
    "reminders/nudge": [
        {
            "account": "Acme",
            "nudge": nudge,
            "name": "Single-threaded",
            "action": "Ask for introductions.",
            "facts": NUDGE_FACTS,
            "signals": [{"label": "Late payment", "response": "Call finance."}]
            if nudge == "risk_signal"
            else [],
        }
        for nudge in NUDGES
    ],
    "reminders/debrief": [{"account": "Acme", "when": "11-25 15:00"}],
    "reminders/next_step": [{"account": "Acme", "step": "Demo", "due": "12-02"}],
    "review/action": [{"record": "📄 <b>Acme</b> · Amy · 2026-12-01 10:00"}],
    "review/record_page": [{"item": {"number": 2, "of": 2, "text": "📄 <b>Acme</b> · 2/2"}}],
    "comments/none": [{}],
    "comments/comments": [
        {"account": "Acme", "comments": RECORD["comments"]},
        {"account": "Acme", "comments": []},
    ],
    "review/comment": [{}],
    "review/rep": [{}],
    "review/reviewed": [{"commented": True, "rep": "Amy"}, {"commented": False, "rep": "Amy"}],
    "review/people_page": [{"item": {"number": 1, "of": 2, "people": PEOPLE}}],
    "review/questions_page": [
        {"item": {"number": 1, "of": 2, "questions": RECORD["questions"]}},
        {"item": {"number": 2, "of": 2, "questions": []}},
    ],
    "review/transcript_page": [
        {
            "item": {
                "number": 1,
                "of": 2,
                "lines": [
                    {"who": "bot", "text": "Hello", "continued": False},
                    {"who": "user", "text": "/prep", "continued": False},
                    {"who": "user", "text": "goes on", "continued": True},
                ],
            }
        }
    ],
    "review/visit": [{"empty": True, "rep": "Amy"}, {"empty": False, "rep": "Amy"}],
    "shared/person": [
        {"item": {"name": "Zhao"}, "known": PERSON_KNOWN},
        {"item": {"name": "Zhao"}, "known": NOTHING_KNOWN},
    ],
    "shared/attendee": [{"p": person} for person in PEOPLE],
    "shared/record": [RECORD, BARE_RECORD],
    "shared/spin_check": [SPIN_CHECK, SPIN_CHECK_UNSURE],
    "stats/period": [{}],
    "stats/report": [
        {
            "days": 30,
            "since": "2026-10-25",
            "until": "2026-11-24",
            "spin_names": ["Situation", "Problem", "Implication", "Need-payoff"],
            "team": ROW | {"name": "Whole team"},
            "rows": [
                ROW,
                ROW | {"open": 0, "advance_rate": None, "planned_total": 0, "judged": 0},
            ],
            "stalled": [
                {"name": "Acme", "owner": "Amy", "repeated": True, "continuations": 3}
                | {"too_long": True, "days": 40},
                {"name": "Beta", "owner": None, "repeated": False, "continuations": 0}
                | {"too_long": True, "days": None},
                {"name": "Gamma", "owner": None, "repeated": True, "continuations": 2}
                | {"too_long": False, "days": None},
            ],
            "stalled_more": 4,
        },
        {
            "days": 7,
            "since": "2026-11-17",
            "until": "2026-11-24",
            "spin_names": ["Situation", "Problem", "Implication", "Need-payoff"],
            "team": ROW | {"name": "Whole team"},
            "rows": [],
            "stalled": [],
            "stalled_more": 0,
        },
    ],
    "team/report": [
        {
            "rows": [
                {"name": "Amy", "prepared": (1, 3), "debriefed": (1, 2), "advance_rate": 50}
                | {"flags": ["No coach", "Single-threaded"]}
                | {"nudges": [{"account": "Acme", "name": "Decision maker not met"}]}
                | {"risks": [{"account": "Acme", "label": "Late payment", "response": "Call."}]},
                {"name": "Bob", "prepared": (0, 0), "debriefed": (0, 0), "advance_rate": None}
                | {"flags": [], "nudges": [], "risks": []},
            ]
        },
        {"rows": []},
    ],
    "thread/replied": [{"sent": True}, {"sent": False}],
    "thread/reply": [
        RECORD | {"earlier": 0, "total": 1, "cut": False},
        RECORD | {"earlier": 3, "total": 4, "cut": True},
    ],
}

NEXT_STEP = {
    "account": "Acme",
    "step": "Demo <b>now</b>",
    "due": "2026-12-02",
    "overdue": True,
    "visited": "2026-11-25",
}
NEXT_STEP_UNDATED = NEXT_STEP | {"due": None, "overdue": False, "visited": None}
PLANNED_VISIT = {"account": "Acme", "when": "Tomorrow 15:00", "best": "A site visit"}
SAMPLES |= {
    "shared/next_step": [NEXT_STEP, NEXT_STEP_UNDATED, NEXT_STEP | {"overdue": False}],
    "next/none": [{}],
    "next/visit": [
        {"count": 3, "overdue": 1},
        {"count": 25, "overdue": 0},
    ],
    "next/action": [NEXT_STEP, NEXT_STEP_UNDATED],
    "next/done": [
        NEXT_STEP | {"already": False, "when": "2026-12-03 09:30", "by": "Amy", "left": 2},
        NEXT_STEP | {"already": False, "when": "2026-12-03 09:30", "by": "Amy", "left": 0},
        NEXT_STEP | {"already": True, "when": "2026-12-03 09:30", "by": "Amy", "left": 2},
    ],
    "next/account": SAMPLES["accounts/card"],
    "next/due": [NEXT_STEP, NEXT_STEP_UNDATED],
    "next/due_again": [{}],
    "next/moved": [NEXT_STEP | {"due": "2026-12-10", "overdue": False}],
    "shared/planned_visit": [PLANNED_VISIT, PLANNED_VISIT | {"best": None}],
    "visits/none": [{}],
    "visits/visit": [{"count": 2}, {"count": 30}],
    "visits/action": [PLANNED_VISIT],
    "visits/cancel_sure": [PLANNED_VISIT],
    "visits/cancelled": [PLANNED_VISIT],
    "visits/kept": [PLANNED_VISIT],
    "visits/visit_day": [PLANNED_VISIT, PLANNED_VISIT | {"best": None}],
    "visits/visit_time": [{}],
    "visits/visit_again": [{}],
    "visits/moved": [PLANNED_VISIT | {"when": "12-04 10:00", "before": "Tomorrow 15:00"}],
    "errors/next_step_not_found": [{}],
    "errors/date_passed": [{}],
}

CORRECTING = {
    "account": "Acme <Trucks>",
    "saved": "Advance",
    "outcome": "Advance",
    "best": None,
    "minimum": None,
}
DEBRIEF_FIELDS = {
    "account": "Acme <Trucks>",
    "visited": "11-25",
    "fields": [
        {"label": "Outcome", "saved": "Advance", "new": "Continuation"},
        {"label": "Summary", "saved": "Good <b>meeting</b> *_[", "new": None},
        {"label": "Explicit needs", "saved": None, "new": None},
        {"label": "Next step", "saved": None, "new": "Demo"},
    ],
    "pending": 2,
    "until": "12-01 09:30",
    "open": True,
}
SAMPLES |= {
    "correct/none": [{"days": 7}],
    "correct/visit": [
        {"count": 2, "listed": 2, "days": 7},
        {"count": 30, "listed": 20, "days": 7},
    ],
    "correct/field": [
        DEBRIEF_FIELDS,
        DEBRIEF_FIELDS | {"pending": 1},
        DEBRIEF_FIELDS | {"pending": 0, "open": False},
    ],
    "correct/outcome": [CORRECTING, CORRECTING | {"best": "A pilot <b>", "minimum": "Criteria"}],
    "correct/summary": [CORRECTING, CORRECTING | {"saved": None}],
    "correct/implied_needs": [CORRECTING, CORRECTING | {"saved": None}],
    "correct/explicit_needs": [CORRECTING, CORRECTING | {"saved": None}],
    "correct/next_step": [CORRECTING, CORRECTING | {"saved": None}],
    "correct/next_step_due": [CORRECTING, CORRECTING | {"saved": None}],
    "correct/too_late": [{"days": 7, "saved": "11-20 09:30"}],
    "correct/saved": [
        {
            "account": "Acme <Trucks>",
            "changes": [
                {"label": "Outcome", "was": "Advance", "now": "Continuation"},
                {"label": "Explicit needs", "was": None, "now": "Faster <b>repairs</b>"},
            ],
            "score": {"was": 6, "now": 5, "maximum": 8},
        },
        {
            "account": "Acme",
            "changes": [{"label": "Summary", "was": "a", "now": "b"}],
            "score": None,
        },
        {"account": "Acme", "changes": [], "score": None},
    ],
    "errors/debrief_not_found": [{"days": 7}],
    "errors/correction_closed": [{"days": 7, "saved": "11-10 09:30"}],
}


def _strings(text: str | tuple[str, ...]) -> tuple[str, ...]:
    return (text,) if isinstance(text, str) else tuple(text)


def _placeholders(text: str) -> set[str]:
    return set(PLACEHOLDER.findall(text))


def _catalog(language: str) -> Catalog:
    with (LOCALE / language / CATALOG).open("rb") as file:
        return read_po(file)


def _entries(catalog: Catalog) -> set[tuple[str, Any]]:
    return {(message.context or "", message.id) for message in catalog if message.id}


def _extracted() -> set[tuple[str, Any]]:
    """What `pybabel extract -F babel.cfg` finds, run the same way here."""
    with (ROOT / "babel.cfg").open(encoding="utf-8") as file:
        method_map, options_map = parse_mapping_cfg(file)
    found = set()
    for _file, _line, message, _comments, context in extract_from_dir(
        ROOT, method_map, options_map
    ):
        found.add((context or "", message))
    return found


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_is_translated_with_the_same_placeholders(language: str) -> None:
    catalog = _catalog(language)
    problems = [
        (message.id, [str(error) for error in errors]) for message, errors in catalog.check()
    ]
    assert problems == []
    fuzzy = [message.id for message in catalog if message.id and message.fuzzy]
    assert fuzzy == []
    # Babel's check only refuses a placeholder the msgid lacks; a dropped one is refused here.
    dropped = [
        (message.id, text)
        for message in catalog
        if message.id
        for text in _strings(message.string)
        if text and _placeholders(text) != set().union(*map(_placeholders, _strings(message.id)))
    ]
    assert dropped == []
    if language == "en":
        return  # English is the source: an empty msgstr shows the msgid, which is the English
    empty = [message.id for message in catalog if message.id and not all(_strings(message.string))]
    assert empty == []


ROLE_GUIDE = {
    "name": "Decision maker",
    "task": "Decides.",
    "duty": "Holds the budget.",
    "concerns": "Returns <b>and</b> risk.",
    "ask": ["Which goal?", "How judged?"],
    "win": ["Talk results.", "Bring a peer."],
}
STANCE_GUIDE = {"name": "Supporter", "description": "On our side.", "approach": "Keep close."}
STAGE_GUIDE = {
    "barriers": [{"name": "Process embedding", "actions": ["Join their planning."]}],
    "name": "Familiar",
    "summary": "Nodding terms.",
    "entry_evidence": ["Takes calls."],
    "goals": ["Learn their goals."],
    "actions": ["Visit regularly.", "Keep promises."],
    "warnings": ["Small talk only."],
    "span": None,
}
COACH_GUIDE = {
    "name": "Inside coach",
    "what_they_do": ["Informs us."],
    "good_candidates": ["Likes us."],
    "how_to_develop": ["Help first.", "Ask advice."],
    "warnings": ["One coach only."],
}
SAMPLES |= {
    "guide/none": [{}],
    "guide/role": [ROLE_GUIDE],
    "guide/stance": [STANCE_GUIDE],
    "guide/stage": [STAGE_GUIDE],
    "guide/lifecycle": [STAGE_GUIDE | {"span": "3-12 months"}, STAGE_GUIDE],
    "guide/stages": [{"stages": [STAGE_GUIDE, STAGE_GUIDE | {"name": "Trust"}]}],
    "guide/coach": [COACH_GUIDE],
    "guide/spin": [
        {
            "types": [
                {
                    "name": "Situation",
                    "purpose": "Facts.",
                    "when_to_use": "Early.",
                    "advice": ["Few."],
                    "example": "How old?",
                }
            ],
            "cautions": ["Do not interrogate."],
            "examples": [{"problem": "Stops.", "implication": "Cost?", "need_payoff": "Worth?"}],
        }
    ],
    "guide/tier": [
        {
            "name": "Core",
            "criteria": ["Top tenth."],
            "cadence": "Monthly.",
            "strategy": ["Dedicated team."],
            "days": 30,
        },
        {
            "name": "Other",
            "criteria": ["Rest."],
            "cadence": "When needed.",
            "strategy": ["Serve."],
            "days": None,
        },
    ],
    "guide/step": [
        {
            "name": "Proposal",
            "buying_step": "Set criteria",
            "milestone": "Criteria.",
            "actions": ["Write them."],
        }
    ],
    "guide/wins": [
        {
            "what": "What they gain.",
            "how_to_learn": ["Ask what success means for them."],
            "cautions": ["Never money."],
            "wins": [{"label": "Less risk", "what": "A safe choice.", "deliver": "References."}],
        }
    ],
    "guide/needs": [
        {
            "levels": [{"name": "Business", "what": "Goals.", "how_to_learn": ["Read."]}],
            "funnel": [
                {
                    "name": "Implied",
                    "what": "A complaint.",
                    "example": "Slow.",
                    "next_move": "Ask.",
                },
                {"name": "Criteria", "what": "How judged.", "example": "4h.", "next_move": None},
            ],
            "criteria": "What they judge by.",
            "prompts": ["What decides it?"],
        }
    ],
    "guide/account": [
        {
            "account": "Acme",
            "tier": {"name": "Core", "cadence": "Monthly.", "days": 30, "strategy": ["Defend."]},
            "step": {"name": "Proposal", "milestone": "Criteria set.", "actions": ["Write them."]},
            "lifecycle": STAGE_GUIDE,
            "strategy": {"name": "Flank", "what": "Where they are weak.", "actions": ["Find it."]},
            "barriers": [{"name": "Technical", "what": "Our specs.", "actions": ["Write them."]}],
            "orientation": {
                "name": "Price",
                "what_matters": "Cost.",
                "hints": ["Show TCO."],
                "propositions": [{"name": "Total cost", "promise": "Lower over five years."}],
            },
        },
        {
            "account": "Acme",
            "tier": None,
            "step": None,
            "lifecycle": None,
            "strategy": None,
            "barriers": [],
            "orientation": None,
        },
    ],
    "guide/visit": [
        {
            "account": "Acme",
            "people": [
                {
                    "name": "Wang",
                    "known": ["Decision maker", "Supporter", "Familiar"],
                    "role": ROLE_GUIDE,
                    "kind": {"name": "Decision maker", "how": "Meet them as a peer."},
                    "stance": STANCE_GUIDE,
                    "stage": STAGE_GUIDE,
                },
                {
                    "name": "Zhao",
                    "known": [],
                    "role": None,
                    "kind": None,
                    "stance": None,
                    "stage": None,
                },
            ],
            "coach": COACH_GUIDE,
        },
        {"account": "Acme", "people": [], "coach": None},
    ],
}


SAMPLES |= {
    "debrief/risks": [{"signals": [{"label": "Contact turnover", "sign": "Our contact leaves."}]}],
    "debrief/criteria": [{"what": "What they judge by.", "prompt": "What decides it?"}],
    "debrief/personal_win": [
        {
            "item": {"name": "Zhao"},
            "what": "What they gain.",
            "wins": [{"label": "Less risk", "what": "Safe choice."}],
        }
    ],
    "account/account": [{}],
    "account/part": [PLAN_VIEW, BARE_PLAN],
    "account/saved": [PLAN_VIEW | {"changed": True}, BARE_PLAN | {"changed": False}],
    "account/text": [
        {
            "name": "Background",
            "purpose": "Where it heads.",
            "prompts": ["What changes?"],
            "example": "Two lines.",
            "now": "Old <b>text</b>",
        },
        {
            "name": "Risks",
            "purpose": "What may go.",
            "prompts": ["Who?"],
            "example": "X.",
            "now": None,
        },
    ],
    "account/account_type": [PROFILE_CHOICE | {"field": "account_type"}],
    "account/our_position": [PROFILE_CHOICE | {"field": "our_position", "now": None}],
    "account/orientation": [PROFILE_CHOICE | {"field": "orientation"}],
    "account/competitors": [{}],
    "shared/account_plan": [PLAN_VIEW, BARE_PLAN],
    "shared/plan_profile": [
        PROFILE_CHOICE | {"field": field} for field in ("account_type", "orientation")
    ],
}


def test_both_catalogs_hold_the_same_messages() -> None:
    assert _entries(_catalog("zh")) == _entries(_catalog("en"))


def test_the_catalogs_and_the_template_hold_exactly_what_the_templates_say() -> None:
    extracted = _extracted()
    assert extracted, "the extractor found nothing: is babel.cfg right?"
    with (LOCALE / "messages.pot").open("rb") as file:
        template = read_po(file)
    for catalog in (template, *(_catalog(language) for language in LANGUAGES)):
        assert _entries(catalog) - extracted == set(), "in the catalog, gone from the templates"
        assert extracted - _entries(catalog) == set(), "in the templates, not in the catalog"


def test_every_template_has_a_sample_context() -> None:
    assert set(SAMPLES) == Texts().keys("en")


# templates that only place a page of another one's text (the record cut into pages)
PLACING = {"review/action", "review/record_page"}


@pytest.mark.parametrize("key", sorted(SAMPLES))
def test_every_template_renders_in_both_languages(texts: Texts, key: str) -> None:
    rendered = [
        {language: texts.render(key, language, **context) for language in LANGUAGES}
        for context in SAMPLES[key]
    ]
    assert all(text["en"] and text["zh"] for text in rendered)
    translated = any(text["en"] != text["zh"] for text in rendered)
    assert translated or key in PLACING, "the Chinese is still English"


def test_english_counts_one_question_and_two_questions(texts: Texts) -> None:
    def asked(count: int, language: str) -> str:
        context = SAMPLES["debrief/feedback"][1] | {"asked": count}
        return texts.render("debrief/feedback", language, **context).splitlines()[0]

    assert asked(1, "en").endswith("· 1 question asked")
    assert asked(2, "en").endswith("· 2 questions asked")
    assert asked(0, "en").endswith("· 0 questions asked")
    assert asked(1, "zh").endswith("· 问了1个问题")
    assert asked(2, "zh").endswith("· 问了2个问题")


def test_english_counts_one_visit_and_the_configuration_problems(texts: Texts) -> None:
    assert texts.render("export/exported", "en", count=1).startswith("1 visit exported")
    assert texts.render("export/exported", "en", count=3).startswith("3 visits exported")
    assert texts.render("export/exported", "zh", count=3) == "已导出3次拜访，文件如下。"
    a, b = Problem("a.yaml", "config/file_missing"), Problem("b.yaml", "config/file_missing")
    one = texts.render("cli/config_error", "en", problems=[a])
    two = texts.render("cli/config_error", "en", problems=[a, b])
    assert "has 1 problem." in one
    assert "has 2 problems." in two
    assert "配置中有2处问题" in texts.render("cli/config_error", "zh", problems=[a, b])


def test_a_label_takes_its_placeholders_in_either_language(texts: Texts) -> None:
    assert texts.label("in_days", "en", days=3, date="12/5") == "In 3 days (12/5)"
    assert texts.label("in_days", "zh", days=3, date="12/5") == "3天后（12/5）"
    assert texts.label("create", "en", name="ABB") == "➕ Create “ABB”"
    assert texts.label("done", "zh") == "完成 ✔"
    assert "stats_chart_more" in texts.label_keys("zh")


def test_typed_words_come_from_the_catalogs(texts: Texts) -> None:
    assert texts.words("yes", "en") == ("y", "yes", "yeah", "ok")
    assert texts.words("yes", "zh") == ("是", "是的", "对", "好", "有", "可以", "行")
    assert texts.words("no", "en") == ("n", "no", "nope")
    assert texts.words("no", "zh") == ("否", "不", "不是", "没有", "没", "不用")
    prefixes = {
        kind: {word for language in LANGUAGES for word in texts.words(f"prefix_{kind}", language)}
        for kind in ("situation", "problem", "implication", "need_payoff")
    }
    assert prefixes == {
        "situation": {"s", "背景", "背景问题"},
        "problem": {"p", "难点", "难点问题"},
        "implication": {"i", "暗示", "暗示问题"},
        "need_payoff": {"n", "需求效益", "效益", "需求效益问题", "需求-效益"},
    }


def test_a_fuzzy_or_missing_translation_shows_the_english(tmp_path: Path) -> None:
    (tmp_path / "templates" / "x").mkdir(parents=True)
    (tmp_path / "templates" / "x" / "a.j2").write_text(
        "{% trans %}Hello {{ name }}{% endtrans %} · {% trans %}Bye{% endtrans %}"
        " · {% trans %}New{% endtrans %}",
        encoding="utf-8",
    )
    catalog = tmp_path / "locale" / "zh" / "LC_MESSAGES"
    catalog.mkdir(parents=True)
    (catalog / "messages.po").write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=utf-8\\n"\n'
        '"Plural-Forms: nplurals=1; plural=0;\\n"\n\n'
        'msgid "Hello %(name)s"\nmsgstr "你好 %(name)s"\n\n'
        '#, fuzzy\nmsgid "Bye"\nmsgstr "再见"\n\n'
        'msgid "New"\nmsgstr ""\n',
        encoding="utf-8",
    )
    texts = Texts(tmp_path / "templates", catalogs=tmp_path / "locale")
    assert texts.render("x/a", "zh", name="<王>") == "你好 &lt;王&gt; · Bye · New"


def test_a_configuration_problem_is_printed_in_the_readers_language(texts: Texts) -> None:
    problems = [
        Problem("accounts.yaml", "config/file_missing"),
        Problem("spin.yaml: questions[2].roles[0]", "config/unknown_role", given="<buyer>"),
        Problem("spin.yaml: types[1].example.zh", "config/missing", line=45),
    ]
    english = texts.render("cli/config_error", "en", problems=problems).splitlines()
    chinese = texts.render("cli/config_error", "zh", problems=problems).splitlines()
    assert english[1:4] == [
        "  - accounts.yaml: file missing",
        "  - spin.yaml: questions[2].roles[0]: '&lt;buyer&gt;' is not a buying role in"
        " decision_unit.yaml",
        "  - spin.yaml: types[1].example.zh: missing (line 45)",
    ]
    assert chinese[1:4] == [
        "  - accounts.yaml：文件缺失",
        "  - spin.yaml: questions[2].roles[0]：“&lt;buyer&gt;”不是decision_unit.yaml中的采购角色",
        "  - spin.yaml: types[1].example.zh：缺失（第45行）",
    ]
