"""What a debrief hears beyond the questions, each one tap where it belongs and never on the
fast path: risk signals from the stage screen ("⚠ A risk signal…", then back to it), which
the manager sees in /review and /team with the playbook's response; purchase criteria once an
explicit need was heard (the need funnel's third level); a person's personal win, ticked as
news about them. The checklist's "criteria known" and "personal wins known" then close.
"""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from bot.domain import Role
from bot.storage.models import AccountCriterion, Contact, DebriefRisk
from tests.engine.chat import Chat, add_user, at_step, every_page, play
from tests.engine.scripts import SCRIPTS, say, tap, until

RISK = {
    "en": {"open": "A risk signal", "turnover": "Contact changed", "late": "Late payment"},
    "zh": {"open": "发现风险信号", "turnover": "联系人变动", "late": "付款拖延"},
}


def _with_risks(debrief: list, language: str) -> list:
    """The scripted debrief with two risk signals ticked from the stage screen first."""
    words = RISK[language]
    at = next(index for index, step in enumerate(debrief) if step.at == "sale") + 1  # summary
    done = {"en": "Done", "zh": "完成"}[language]
    return [
        *debrief[:at],
        tap(words["open"], at="sale"),
        tap(words["turnover"], at="risks"),
        tap(words["late"], at="risks"),
        tap(done, at="risks"),
        *debrief[at:],
    ]


@pytest.mark.parametrize("language", ["en", "zh"])
def test_risk_signals_heard_reach_the_manager_with_the_playbooks_response(
    request, language, database, team_id, make_engine_for, playbooks
) -> None:
    chat = request.getfixturevalue(f"rep_{language}")
    prep, debrief = SCRIPTS[language]
    play(chat, prep + _with_risks(debrief, language))
    with Session(database) as session:
        heard = sorted(session.exec(select(DebriefRisk.risk_id)).all())
    assert heard == ["contact_turnover", "late_payment"]
    signals = {signal.id: signal for signal in playbooks.risks.signals}
    manager = Chat(
        make_engine_for(),
        add_user(database, team_id, name="max", language=language, role=Role.MANAGER),
    )
    manager.command("team")
    turnover = signals["contact_turnover"]
    assert f"{turnover.label.get(language)} → {turnover.response[0].get(language)}" in manager.text
    manager.command("review")
    manager.say({"en": "alice", "zh": "zhangwei"}[language])
    manager.tap({"en": "Huadong", "zh": "华东"}[language])
    record = manager.text
    if {"en": "More", "zh": "更多"}[language] in " ".join(manager.labels):
        manager.tap({"en": "More", "zh": "更多"}[language])
        record += manager.text
    assert f"⚠️ {turnover.label.get(language)}" in record
    assert signals["late_payment"].response[0].get(language) in record


def test_the_stage_screen_comes_back_after_the_signals_with_the_summary_kept(rep_en) -> None:
    prep, debrief = SCRIPTS["en"]
    play(rep_en, prep + until(debrief, "sale", taken=1))  # the summary typed
    rep_en.tap("A risk signal")
    assert at_step(rep_en) == "risks"
    rep_en.tap("Usage dropping")
    rep_en.tap("Done")
    assert at_step(rep_en) == "sale"
    assert "Good meeting" in " ".join(rep_en.labels), "the typed summary still there"


def test_the_fast_debrief_is_never_asked_about_signals_or_criteria(rep_en, database) -> None:
    prep, debrief = SCRIPTS["en"]
    play(rep_en, prep + debrief)
    with Session(database) as session:
        assert session.exec(select(DebriefRisk)).all() == []
        assert session.exec(select(AccountCriterion)).all() == []


def _with_explicit_needs_and_a_win(debrief: list) -> list:
    """Needs on two lines (implied, explicit) and a criterion ticked; Zhao Zong's personal
    win ticked as his news (the script's last "Done" at the changes is his)."""
    at = next(index for index, step in enumerate(debrief) if step.at == "needs")
    steps = [
        *debrief[:at],
        say("Breakdowns cost them a lot\nA trial before the budget", at="needs"),
        tap("Delivery time", at="criteria"),
        tap("Done", at="criteria"),
        *debrief[at + 1 :],
    ]
    zhao = max(index for index, step in enumerate(steps) if step.at == "changes")
    return [
        *steps[:zhao],
        tap("Personal win", at="changes"),
        tap("Done", at="changes"),
        tap("Less risk", at="personal_win"),
        *steps[zhao + 1 :],
    ]


def test_criteria_and_a_personal_win_are_kept_and_close_their_checklist_items(
    rep_en, database
) -> None:
    prep, debrief = SCRIPTS["en"]
    play(rep_en, prep)
    rep_en.last = rep_en.last[-1:]  # the plan, in pages
    plan = every_page(rep_en, first=30)[0]
    assert "Do we know the customer's buying criteria" in plan
    assert "what they want to gain personally?" in plan
    play(rep_en, _with_explicit_needs_and_a_win(debrief))
    with Session(database) as session:
        assert session.exec(select(AccountCriterion.criterion_id)).all() == ["delivery"]
        wins = {c.name: c.personal_win for c in session.exec(select(Contact)).all()}
    assert wins["Zhao Zong"] == "less_risk"
    rep_en.command("plan", "1")
    replan = every_page(rep_en, first=30)[0]
    assert "Do we know the customer's buying criteria" not in replan, "heard now"
    assert "what they want to gain personally?" in replan, "Wang Gong, a coach now, still open"


def test_criteria_undone_by_going_back_to_one_line_of_needs_are_not_saved(
    rep_en, database
) -> None:
    prep, debrief = SCRIPTS["en"]
    at = next(index for index, step in enumerate(debrief) if step.at == "needs")
    play(rep_en, prep + debrief[:at])
    rep_en.say("Breakdowns cost them a lot\nA trial before the budget")
    rep_en.tap("Delivery time")
    rep_en.tap("Done")
    rep_en.tap("Back")  # to the criteria
    rep_en.tap("Back")  # to the needs
    assert at_step(rep_en) == "needs"
    play(rep_en, debrief[at:])
    with Session(database) as session:
        assert session.exec(select(AccountCriterion)).all() == []


def test_a_manager_sees_only_the_risks_of_visits_made_in_their_team(
    rep_en, database, team_id, make_engine_for
) -> None:
    from bot.domain import Outcome, VisitStatus
    from bot.storage.models import Account, Debrief, Team, User, Visit

    prep, debrief = SCRIPTS["en"]
    play(rep_en, prep + _with_risks(debrief, "en"))
    with Session(database) as session:
        west = Team(name="West")
        session.add(west)
        session.flush()
        alice = session.get(User, rep_en.user_id)
        alice.team_id = west.id  # she moves to another team
        elsewhere = Account(team_id=west.id, name="Elsewhere Mining")
        session.add_all([alice, elsewhere])
        session.flush()
        visit = Visit(
            account_id=elsewhere.id, rep_id=alice.id, team_id=west.id, status=VisitStatus.DONE
        )
        session.add(visit)
        session.flush()
        later = Debrief(
            visit_id=visit.id, rep_id=alice.id, team_id=west.id, outcome=Outcome.NO_SALE
        )
        session.add(later)
        session.flush()
        session.add(DebriefRisk(debrief_id=later.id, risk_id="usage_drop"))
        session.commit()
    manager = Chat(
        make_engine_for(),
        add_user(database, team_id, name="max", language="en", role=Role.MANAGER),
    )
    manager.command("team")
    assert "Huadong Heavy Truck: Contact changed" in manager.text, "made in this team"
    assert "Elsewhere Mining" not in manager.text, "made in her new team: not this manager's"
