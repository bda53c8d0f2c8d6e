"""The debrief asks whether the sale moved, in one tap, and rarely the lifecycle (issue 13, 7).

"Still at «current»" is the fast path; "«next» reached" confirms the next selling step's
milestone, kept as the move's evidence; another stage or the relationship as a whole is one
more screen. Moves are stage changes with date and rep, on the card and in the feedback.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import Session, col, select

from bot.domain import Outcome, Role, StageSubject
from bot.engine.events import Tap, Text
from bot.figures import team_figures
from bot.storage.models import Account, Debrief, FlowState, StageChange, User, Visit
from tests.conftest import START
from tests.engine.chat import Chat, add_user, at_step, play
from tests.engine.records import another_debrief
from tests.engine.scripts import SCRIPTS, Step, cmd, say, tap, until
from tests.engine.test_input_counts import ADVANCE_DEBRIEF
from tests.engine.test_resilience import BAD_INPUTS

BIDDING = "A compliant bid is submitted, or direct negotiation is opened."
FINISH = [say("Pilot agreement draft", at="next_step"), tap("Tomorrow", at="next_step_due")]


def at_sale(chat: Chat, clock, language: str = "en") -> None:
    """Prepared yesterday (Proposal, Stable), debriefed today up to the stage screen."""
    prep, _ = SCRIPTS[language]
    play(chat, prep)
    clock.now = START + timedelta(days=1, hours=8)
    play(chat, until(ADVANCE_DEBRIEF, "sale") if language == "en" else ZH_TO_SALE)


ZH_TO_SALE: list[Step] = [
    cmd("debrief"),
    tap("推进：最佳目标", at="outcome"),
    tap("完成", at="asked"),
    tap("跳过", at="needs"),
    tap("没有变化", at="people_changed"),
]


def account_moves(database) -> list[tuple]:
    with Session(database) as session:
        changes = session.exec(
            select(StageChange)
            .where(col(StageChange.contact_id).is_(None))
            .order_by(col(StageChange.id))
        ).all()
        return [(c.subject, c.from_stage, c.to_stage, c.evidence) for c in changes]


def account(database) -> Account:
    with Session(database) as session:
        return session.exec(select(Account)).one()


def test_the_stage_screen_names_the_stage_and_the_next_steps_milestone(rep_en, clock) -> None:
    at_sale(rep_en, clock)
    assert "Did the sale move? Huadong Heavy Truck is at Proposal." in rep_en.text
    assert f"Bidding is reached when: {BIDDING}" in rep_en.text
    assert rep_en.labels[:3] == [
        "✔ Still at Proposal",
        "→ Bidding reached",
        "↕ Another stage, or the relationship…",
    ]


def test_the_chinese_stage_screen_reads_naturally(rep_zh, clock) -> None:
    at_sale(rep_zh, clock, "zh")
    assert "销售推进了吗？华东重卡目前在方案提案阶段。" in rep_zh.text
    assert "进入投标阶段的标志：按要求提交投标或进入议标。" in rep_zh.text
    assert rep_zh.labels[:3] == [
        "✔ 仍在方案提案阶段",
        "→ 已进入投标阶段",
        "↕ 其他阶段，或整体合作关系…",
    ]


def test_still_at_the_stage_is_one_tap_and_moves_nothing(rep_en, clock, database) -> None:
    at_sale(rep_en, clock)
    rep_en.tap("Still at Proposal")
    assert at_step(rep_en) == "next_step"
    play(rep_en, FINISH)
    assert "Saved: Huadong Heavy Truck · Advance" in rep_en.text
    assert "📈" not in rep_en.text
    assert account_moves(database) == []
    assert (account(database).sales_stage, account(database).lifecycle_stage) == (
        "proposal",
        "stable",
    )


def test_the_next_stage_reached_moves_the_sale_with_its_milestone_as_evidence(
    rep_en, clock, database
) -> None:
    at_sale(rep_en, clock)
    rep_en.tap("Bidding reached")
    play(rep_en, FINISH)
    assert "📈 Sales stage: Proposal → Bidding" in rep_en.text
    assert account_moves(database) == [(StageSubject.SALES, "proposal", "bidding", BIDDING)]
    with Session(database) as session:
        change = session.exec(select(StageChange)).one()
        visit = session.exec(select(Visit)).one()
        assert (change.visit_id, change.changed_by_id, change.changed_at) == (
            visit.id,
            rep_en.user_id,
            clock.now,
        )
        assert session.exec(select(Account)).one().sales_stage == "bidding"
    rep_en.command("accounts", str(visit.account_id))
    assert "Core · Stable · Bidding" in rep_en.text
    assert "📈 2026-11-25 · Sales stage: Proposal → Bidding (alice)" in rep_en.text


def _three_earlier_visits_without_a_move(database, rep_id: int) -> None:
    """Three visits at the account before this one, each debriefed, none moving a stage."""
    with Session(database) as session:
        planned = session.exec(select(Visit)).one().planned_at
    for weeks in (3, 2, 1):
        another_debrief(
            database, at=planned - timedelta(weeks=weeks), rep_id=rep_id, outcome=Outcome.ADVANCE
        )


@pytest.mark.parametrize(
    ("tapped", "without_move"), [("Bidding reached", 0), ("Still at Proposal", 4)]
)
def test_a_sales_move_counts_as_a_move_for_stages_not_moving(
    rep_en, clock, database, tapped: str, without_move: int
) -> None:
    at_sale(rep_en, clock)
    _three_earlier_visits_without_a_move(database, rep_en.user_id)
    rep_en.tap(tapped)
    play(rep_en, FINISH)
    with Session(database) as session:
        latest = session.exec(select(Debrief).order_by(col(Debrief.id).desc())).first()
    assert latest.facts["visits_without_stage_move"] == without_move


def test_another_stage_is_one_more_screen_without_evidence_claimed(
    rep_en, clock, database
) -> None:
    at_sale(rep_en, clock)
    rep_en.tap("Another stage")
    assert at_step(rep_en) == "sale_other"
    assert "Sales stage: Proposal\n" in rep_en.text
    assert "Relationship as a whole: Stable" in rep_en.text
    rep_en.tap("Negotiation")
    assert "Sales stage: Proposal → Negotiation" in rep_en.text
    assert "✅ Negotiation" in rep_en.labels
    rep_en.tap("Done")
    play(rep_en, FINISH)
    assert "📈 Sales stage: Proposal → Negotiation" in rep_en.text
    assert account_moves(database) == [(StageSubject.SALES, "proposal", "negotiation", None)]


def test_a_lost_bid_moves_the_sale_back_and_counts_as_a_move_down(
    rep_en, clock, database, playbooks
) -> None:
    at_sale(rep_en, clock)
    rep_en.tap("Another stage")
    rep_en.tap("Development")
    rep_en.tap("Done")
    play(rep_en, FINISH)
    assert account_moves(database) == [(StageSubject.SALES, "proposal", "development", None)]
    with Session(database) as session:
        rep = session.get(User, rep_en.user_id)
        figures = team_figures(
            session=session, playbooks=playbooks, viewer=rep, now=clock.now, days=7
        )
    assert (figures.team.sales_up, figures.team.sales_down) == (0, 1)


def test_an_order_proposes_the_signed_contract_stage_with_its_milestone(
    rep_en, clock, database
) -> None:
    prep, _ = SCRIPTS["en"]
    play(rep_en, prep)
    clock.now = START + timedelta(days=1, hours=8)
    play(
        rep_en,
        [
            cmd("debrief"),
            tap("Order", at="outcome"),
            tap("Done", at="asked"),
            tap("Skip", at="needs"),
            tap("No changes", at="people_changed"),
        ],
    )
    assert at_step(rep_en) == "sale"
    assert "Negotiation is reached when: The contract is approved and signed." in rep_en.text
    assert "→ Negotiation reached" in rep_en.labels, "not Bidding: an order is a signed contract"
    rep_en.tap("Negotiation reached")
    play(rep_en, [tap("Skip", at="next_step")])
    assert "📈 Sales stage: Proposal → Negotiation" in rep_en.text
    assert account_moves(database) == [
        (StageSubject.SALES, "proposal", "negotiation", "The contract is approved and signed.")
    ]


def test_the_lifecycle_alone_moves_on_the_other_screen(rep_en, clock, database) -> None:
    at_sale(rep_en, clock)
    rep_en.tap("Another stage")
    rep_en.tap("Deep partnership")
    assert "Relationship as a whole: Stable → Deep partnership" in rep_en.text
    rep_en.tap("Done")
    play(rep_en, FINISH)
    assert "📈 Relationship as a whole: Stable → Deep partnership" in rep_en.text
    assert account_moves(database) == [(StageSubject.ACCOUNT, "stable", "deep_partnership", None)]
    assert account(database).sales_stage == "proposal"
    rep_en.command("accounts", "1")
    assert "Relationship as a whole: Stable → Deep partnership (alice)" in rep_en.text


def test_reaching_the_closing_stage_ends_the_open_opportunity(
    rep_en, clock, database, playbooks
) -> None:
    at_sale(rep_en, clock)

    def open_now() -> int:
        with Session(database) as session:
            rep = session.get(User, rep_en.user_id)
            return team_figures(
                session=session, playbooks=playbooks, viewer=rep, now=clock.now, days=7
            ).team.open_opportunities

    assert open_now() == 1
    rep_en.tap("Another stage")
    rep_en.tap("Implementation")
    rep_en.tap("Stable")  # both answered: the screen is done
    assert at_step(rep_en) == "next_step"
    play(rep_en, FINISH)
    assert open_now() == 0
    assert account_moves(database) == [(StageSubject.SALES, "proposal", "implementation", None)], (
        "the lifecycle tapped at its own stage is no move"
    )


def test_an_account_with_no_sales_stage_is_given_one_here_without_a_move(rep_en, database) -> None:
    play(
        rep_en,
        [
            ("cmd", "debrief"),
            ("tap", "did not prepare"),
            ("say", "Blue Ocean Logistics"),
            ("tap", "Create"),
            ("say", "Sun Zongjian"),
            ("tap", "Done"),
            ("tap", "Continuation"),
            ("tap", "Skip"),
            ("tap", "Skip"),
            ("tap", "No changes"),
        ],
    )
    assert "Blue Ocean Logistics has no sales stage on file yet. Where is the sale?" in rep_en.text
    assert "Development is reached when: Accurate project information" in rep_en.text
    assert rep_en.labels[:2] == ["✔ Not sure yet", "→ Development reached"]
    rep_en.tap("Development reached")
    play(rep_en, FINISH)
    assert account(database).sales_stage == "development"
    assert account_moves(database) == [], "a first stage is where the sale starts"


def test_the_summary_is_typed_beside_the_stage_buttons(rep_en, clock, database) -> None:
    at_sale(rep_en, clock)
    rep_en.say("Good meeting")
    rep_en.say("Zhao wants the <b>pilot</b> *_[now]_*")
    assert "Summary noted" in rep_en.text
    assert "✅ Good meeting" in rep_en.labels
    rep_en.tap("✅ Good meeting")  # taken back
    assert "✅ Good meeting" not in rep_en.labels
    rep_en.tap("Still at Proposal")
    rep_en.tap("Back")  # from the next step: the summary is still there
    assert at_step(rep_en) == "sale"
    assert "✅ Zhao wants the <b>pilot</b> *_[now]_*" in rep_en.labels
    rep_en.tap("Still at Proposal")
    play(rep_en, FINISH)
    with Session(database) as session:
        assert (
            session.exec(select(Debrief)).one().summary == "Zhao wants the <b>pilot</b> *_[now]_*"
        )


def test_a_summary_over_the_limit_is_refused_and_nothing_is_lost(rep_en, clock) -> None:
    at_sale(rep_en, clock)
    rep_en.say("x" * 3000)
    rep_en.say("y" * 3000)  # together over 4,000 characters
    assert "the limit here is 4000" in rep_en.text
    assert at_step(rep_en) == "sale"
    assert len([label for label in rep_en.labels if label.startswith("✅ ")]) == 1


def test_bad_input_at_the_stage_screen_gets_an_answer_and_moves_nothing(
    rep_en, clock, database
) -> None:
    at_sale(rep_en, clock)
    for bad in BAD_INPUTS:
        replies = rep_en.send(bad)
        assert replies and all(reply.text.strip() for reply in replies), bad
        assert at_step(rep_en) == "sale", bad
        typed = [label for label in rep_en.labels if label.startswith("✅ ")]
        if typed:  # typed text is a summary: take it back
            rep_en.tap(typed[0])
    assert not [label for label in rep_en.labels if label.startswith("✅ ")]
    rep_en.tap("Still at Proposal")
    play(rep_en, FINISH)
    assert account_moves(database) == []
    with Session(database) as session:
        assert session.exec(select(Debrief)).one().summary is None


def test_a_forged_or_repeated_tap_at_the_stage_screen_moves_the_sale_once(
    rep_en, clock, database
) -> None:
    at_sale(rep_en, clock)
    bidding = rep_en.button("Bidding reached").value
    version = bidding.partition(".")[0]
    rep_en.send(Tap(f"{version}.o7"))  # no seventh option on this screen
    assert at_step(rep_en) == "sale"
    rep_en.send(Tap(bidding))
    assert at_step(rep_en) == "next_step"
    rep_en.send(Tap(bidding))  # the same tap again, from the old screen
    assert at_step(rep_en) == "next_step"
    play(rep_en, FINISH)
    assert account_moves(database) == [(StageSubject.SALES, "proposal", "bidding", BIDDING)]


@pytest.mark.parametrize("language", ["en", "zh"])
def test_a_restart_in_the_middle_of_the_other_stage_screen_keeps_the_tap(
    language, request, clock, database, make_engine_for
) -> None:
    chat: Chat = request.getfixturevalue(f"rep_{language}")
    at_sale(chat, clock, language)
    chat.tap("Another stage" if language == "en" else "其他阶段")
    chat.tap("Negotiation" if language == "en" else "商务谈判")
    chat.engine = make_engine_for()  # a new process
    chat.send(Text("?"))  # not understood: the same screen, the tap kept
    assert at_step(chat) == "sale_other"
    assert ("✅ Negotiation" if language == "en" else "✅ 商务谈判") in chat.labels
    chat.tap("Deep partnership" if language == "en" else "深度合作期")
    assert at_step(chat) == "next_step"
    chat.say("Pilot")
    chat.tap("Tomorrow" if language == "en" else "明天")
    assert account_moves(database) == [
        (StageSubject.SALES, "proposal", "negotiation", None),
        (StageSubject.ACCOUNT, "stable", "deep_partnership", None),
    ]
    with Session(database) as session:
        assert session.exec(select(FlowState)).first() is None


def test_the_card_shows_another_reps_move_only_to_whom_may_see_their_visit(
    rep_en, clock, database, team_id, make_engine_for
) -> None:
    at_sale(rep_en, clock)
    rep_en.tap("Bidding reached")
    play(rep_en, FINISH)
    bob = Chat(make_engine_for(), add_user(database, team_id, name="bob", language="en"))
    bob.command("accounts", "1")
    assert "Core · Stable · Bidding" in bob.text, "the stage itself is the account's"
    assert "📈" not in bob.text, "alice's visit is not bob's to see"
    boss = Chat(
        make_engine_for(),
        add_user(database, team_id, name="max", language="en", role=Role.MANAGER),
    )
    boss.command("accounts", "1")
    assert "📈 2026-11-25 · Sales stage: Proposal → Bidding (alice)" in boss.text
