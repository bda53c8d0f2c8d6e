"""The playbooks reach the rep: the coaching that fits is on the screen it helps, the rest one
tap away ("💡"), an aside that leaves the question in progress where it was.

The call plan gives each person one line of coaching (how to work with someone against us,
else how to win whoever holds their buying role), each open checklist item with its advice,
and every action and warning sign of the stages the people and the account are at; "💡
Coaching for these people" has each person's role, stance and stage in full and, with no coach
known, how to develop one. The proposed questions offer the four SPIN types' purpose, timing
and advice; the account card its tier's cadence and, one tap away, what its tier and stages
ask for; the debrief's "which stage now" what shows each rung reached. `/guide` shows any piece
of the playbooks in full, in pages of a phone's screen; a forged one says so politely.
"""

from __future__ import annotations

import pytest
from sqlmodel import Session

from bot.domain import Role
from bot.storage.models import Account, Team, Visit
from bot.text import plain
from tests.engine.chat import Chat, add_user, at_step, every_page, play, tap_link
from tests.engine.scripts import SCRIPTS, until

MORE = {"en": "More", "zh": "更多"}


def _t(text, language: str) -> str:
    return text.get(language)


@pytest.mark.parametrize("language", ["en", "zh"])
def test_the_call_plan_coaches_each_person_and_the_stages_and_the_rest_is_one_tap_away(
    request, language, playbooks
) -> None:
    chat = request.getfixturevalue(f"rep_{language}")
    prep, _ = SCRIPTS[language]
    play(chat, prep)
    chat.last = chat.last[-1:]  # the plan
    plan = every_page(chat, MORE[language], first=30)[0]
    unit, ladder = playbooks.decision_unit, playbooks.relationship
    roles = {role.id: role for role in unit.roles}
    evaluator = roles["technical_evaluator"]
    assert _t(evaluator.win[0], language) in plan, "Wang Gong: how to win an evaluator"
    assert _t(roles["decision_maker"].win[0], language) in plan, "Zhao Zong, the decision maker"
    coach_gap = next(item for item in unit.checklist if item.id == "coach_known")
    assert _t(coach_gap.advice, language) in plan, "an open checklist item comes with its advice"
    stages = {stage.id: stage for stage in ladder.contact_stages}
    for stage_id in ("personal_trust", "familiar"):
        texts = [*stages[stage_id].actions, *stages[stage_id].warnings]
        assert [t for t in texts if _t(t, language) not in plan] == [], "every action and sign"
    stable = next(stage for stage in ladder.account_stages if stage.id == "stable")
    assert [a for a in stable.actions if _t(a, language) not in plan] == []

    tap_link(chat, {"en": "Coaching for these people", "zh": "如何应对这几位"}[language])
    coaching = every_page(chat, MORE[language])[0]
    for role_id in ("technical_evaluator", "decision_maker"):
        role = roles[role_id]
        wanted = [role.concerns, role.ask[0], *role.win]
        assert [t for t in wanted if _t(t, language) not in coaching] == []
    stances = {stance.id: stance for stance in unit.stances}
    assert _t(stances["supporter"].approach, language) in coaching
    assert _t(stances["neutral"].approach, language) in coaching
    assert _t(stages["personal_trust"].goals[0], language) in coaching
    missing = [t for t in unit.coach.how_to_develop if _t(t, language) not in coaching]
    assert missing == [], "no coach among them: how to develop one"
    kinds = {kind.id: kind for kind in playbooks.people.kinds}
    assert _t(kinds["decision_maker"].how[0], language) in coaching, "Zhao Zong's kind"
    assert _t(kinds["influencer"].how[0], language) in coaching, "Wang Gong, an evaluator"


@pytest.mark.parametrize("language", ["en", "zh"])
def test_the_questions_offer_the_spin_advice_as_an_aside_and_the_ticks_are_kept(
    request, language, playbooks
) -> None:
    chat = request.getfixturevalue(f"rep_{language}")
    prep, _ = SCRIPTS[language]
    play(chat, until(prep, "questions"))
    chat.tap("2")  # drop the second proposal
    before = plain(chat.last[-1].text)
    tap_link(chat, {"en": "How to ask these", "zh": "这些问题怎么问"}[language])
    assert at_step(chat) == "questions"
    assert plain(chat.last[-1].text) == before, "the question again, its ticks as they were"
    advice = every_page(chat, MORE[language])[0]
    spin = playbooks.spin
    wanted = [
        text
        for guide in spin.types
        for text in (guide.purpose, guide.when_to_use, *guide.advice, guide.example)
    ]
    worked = [
        text
        for example in spin.worksheet.examples
        for text in (example.problem, example.implication, example.need_payoff)
    ]
    everything = [*wanted, *spin.worksheet.cautions, *worked]
    assert [t for t in everything if _t(t, language) not in advice] == []


@pytest.mark.parametrize("language", ["en", "zh"])
def test_the_card_shows_the_tiers_cadence_and_what_the_account_needs_is_one_tap_away(
    request, language, playbooks
) -> None:
    chat = request.getfixturevalue(f"rep_{language}")
    prep, _ = SCRIPTS[language]
    play(chat, prep)
    chat.command("accounts")
    chat.tap({"en": "Huadong", "zh": "华东"}[language])
    core = next(tier for tier in playbooks.accounts.tiers if tier.id == "core")
    assert _t(core.cadence, language) in chat.text
    tap_link(chat, {"en": "What this account needs now", "zh": "这个客户现在需要什么"}[language])
    needs = every_page(chat, MORE[language])[0]
    proposal = next(step for step in playbooks.process.steps if step.id == "proposal")
    stable = next(stage for stage in playbooks.relationship.account_stages if stage.id == "stable")
    wanted = [
        core.cadence,
        *core.strategy,
        proposal.milestone,
        *proposal.actions,
        *stable.goals,
        *stable.actions,
        *stable.warnings,
    ]
    assert [t for t in wanted if _t(t, language) not in needs] == []


def test_the_debriefs_stage_question_shows_what_each_rung_looks_like(rep_en, playbooks) -> None:
    prep, debrief = SCRIPTS["en"]
    play(rep_en, prep)
    play(rep_en, until(debrief, "changes", taken=0))
    rep_en.tap("Relationship stage")
    rep_en.tap("Done")
    assert at_step(rep_en) == "stage"
    tap_link(rep_en, "What each stage looks like")
    assert at_step(rep_en) == "stage", "the question waits"
    ladder = every_page(rep_en, MORE["en"])[0]
    for stage in playbooks.relationship.contact_stages:
        assert [t for t in [stage.summary, *stage.entry_evidence] if t.en not in ladder] == []


@pytest.mark.parametrize("language", ["en", "zh"])
def test_every_piece_of_the_playbooks_is_shown_in_full_by_guide_in_pages_of_a_phone(
    request, language, playbooks
) -> None:
    chat = request.getfixturevalue(f"rep_{language}")
    unit, ladder = playbooks.decision_unit, playbooks.relationship
    pieces = [
        *(
            (f"role:{role.id}", [role.task, role.duty, role.concerns, *role.ask, *role.win])
            for role in unit.roles
        ),
        *((f"stance:{s.id}", [s.name, s.description, s.approach]) for s in unit.stances),
        *(
            (f"{kind}:{stage.id}", [stage.summary, *stage.entry_evidence, *stage.goals])
            for kind, stages in (
                ("stage", ladder.contact_stages),
                ("lifecycle", ladder.account_stages),
            )
            for stage in stages
        ),
        *(
            (f"{kind}:{stage.id}", [*stage.actions, *stage.warnings])
            for kind, stages in (
                ("stage", ladder.contact_stages),
                ("lifecycle", ladder.account_stages),
            )
            for stage in stages
        ),
        *(
            (f"tier:{tier.id}", [*tier.criteria, tier.cadence, *tier.strategy])
            for tier in playbooks.accounts.tiers
        ),
        *(
            (f"step:{step.id}", [step.buying_step, step.milestone, *step.actions])
            for step in playbooks.process.steps
        ),
        (
            "wins:all",
            [
                playbooks.people.personal_wins.what,
                *playbooks.people.personal_wins.how_to_learn,
                *playbooks.people.personal_wins.cautions,
                *(win.deliver for win in playbooks.people.personal_wins.categories),
            ],
        ),
        (
            "needs:all",
            [
                *(level.what for level in playbooks.needs.levels),
                *(text for level in playbooks.needs.levels for text in level.how_to_learn),
                *(step.what for step in playbooks.needs.funnel),
                playbooks.needs.criteria.what,
                *playbooks.needs.criteria.prompts,
            ],
        ),
        *(
            (f"stage:{stage}", [action for barrier in barriers for action in barrier.actions])
            for stage in ("organisational_trust",)
            for barriers in [
                [b for b in playbooks.competition.barriers if stage in b.contact_stages]
            ]
        ),
        (
            "coach:all",
            [
                *unit.coach.what_they_do,
                *unit.coach.good_candidates,
                *unit.coach.how_to_develop,
                *unit.coach.warnings,
            ],
        ),
    ]
    for argument, texts in pieces:
        chat.command("guide", argument)
        shown = every_page(chat, MORE[language])[0]
        assert [t for t in texts if _t(t, language) not in shown] == [], argument


def test_a_forged_or_foreign_guide_says_so_and_changes_nothing(
    rep_en, database, make_engine_for
) -> None:
    prep, _ = SCRIPTS["en"]
    play(rep_en, prep)
    with Session(database) as session:
        other = Team(name="West")
        session.add(other)
        session.flush()
        account = Account(team_id=other.id, name="Elsewhere Ltd")
        session.add(account)
        session.commit()
        foreign_account, other_team = account.id, other.id
    outsider = Chat(make_engine_for(), add_user(database, other_team, name="olga", language="en"))
    for argument in (
        "visit:1",
        f"account:{foreign_account + 100}",
        "role:nobody",
        "x",
        "",
        "spin:1:2:3",
    ):
        outsider.command("guide", argument)
        assert "There is no such guide" in outsider.text, argument
    rep_en.command("guide", f"account:{foreign_account}")
    assert "There is no such guide" in rep_en.text, "another team's account"
    rep_en.command("guide", "visit:1")
    assert "Coaching · Huadong Heavy Truck" in rep_en.text


def test_a_manager_sees_the_coaching_of_a_reps_visit(
    rep_en, database, team_id, make_engine_for
) -> None:
    prep, _ = SCRIPTS["en"]
    play(rep_en, prep)
    manager = Chat(
        make_engine_for(),
        add_user(database, team_id, name="max", language="en", role=Role.MANAGER),
    )
    with Session(database) as session:
        visit_id = session.get(Visit, 1).id
    manager.command("guide", f"visit:{visit_id}")
    coaching = every_page(manager, MORE["en"])[0]
    assert "Zhao Zong" in coaching and "Wang Gong" in coaching
