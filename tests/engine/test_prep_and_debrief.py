"""A rep prepares a visit and debriefs it, in English and in Chinese; the records are exact."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa
from sqlmodel import Session, col, select

from bot.domain import FlowStatus, Outcome, SnapshotPhase, Speaker, SpinType, VisitStatus
from bot.storage.models import (
    Account,
    Contact,
    Debrief,
    FlowSession,
    FlowState,
    SpinItem,
    StageChange,
    StakeholderSnapshot,
    TranscriptLine,
    Visit,
    VisitProblem,
)
from tests.engine.chat import Chat, every_page, play
from tests.engine.scripts import SCRIPTS

EXPECTED = {
    "en": {
        "account": "Huadong Heavy Truck",
        "people": ["Wang Gong", "Zhao Zong", "Liu Jingli", "Chen Shifu"],
        "title": "Chief engineer",
        "best": "Agrees to a site visit next week",
        "minimum": "Sends us the selection criteria",
        "own": "What does a day of downtime cost you?",
        "worksheet": [
            "Frequent breakdowns",
            "How many orders slip per breakdown?",
            "What would a 4-hour repair promise be worth?",
        ],
        "answer": "Grow <b>30%</b> & cut fuel cost *_[now]_*",
        "other": "How often do trucks wait for parts?",
        "implied": "Breakdowns cost them a lot",
        "summary": "Good meeting 😀",
        "next_step": "Site visit to the Wuxi plant",
        "plan_words": ["Call plan", "Best: Agrees to a site visit", "❗"],
        "feedback_words": [
            "Saved: Huadong Heavy Truck",
            "Advance",
            "👍 You asked implication questions",
            "Score 10/12 · ✗ Asked need-payoff questions",
            "❗ You made the problem felt",
        ],
    },
    "zh": {
        "account": "华东重卡",
        "people": ["王总工", "赵总", "刘经理", "陈师傅"],
        "title": "技术部总工程师",
        "best": "同意下周参观无锡样板工程",
        "minimum": "把选型标准发给我们",
        "own": "停机一天损失多少？",
        "worksheet": [
            "设备故障频繁",
            "每次故障耽误多少订单？",
            "如果承诺4小时到场修复，对你们价值多大？",
        ],
        "answer": "今年增长30%，<b>降低油耗</b>",
        "other": "配件要等多久？",
        "implied": "故障太多，损失很大",
        "summary": "会谈顺利😀",
        "next_step": "参观无锡工厂",
        "plan_words": ["拜访计划", "最佳目标：同意下周参观无锡样板工程", "❗"],
        "feedback_words": [
            "已保存：华东重卡",
            "推进",
            "👍",
            "评分10/12 · ✗ 问了需求效益问题",
            "❗",
        ],
    },
}


@pytest.mark.parametrize("language", ["en", "zh"])
def test_a_rep_prepares_then_debriefs_a_visit_and_every_field_is_stored(
    language: str, request: pytest.FixtureRequest, database: sa.Engine
) -> None:
    chat: Chat = request.getfixturevalue(f"rep_{language}")
    expected = EXPECTED[language]
    prep, debrief = SCRIPTS[language]

    play(chat, prep)
    for word in expected["plan_words"]:
        assert word in chat.text
    with Session(database) as session:
        account = session.exec(select(Account)).one()
        assert (account.name, account.tier, account.sales_stage, account.lifecycle_stage) == (
            expected["account"],
            "core",
            "proposal",
            "stable",
        )
        assert account.owner_id == chat.user_id
        wang, zhao = session.exec(select(Contact).order_by(col(Contact.id))).all()
        assert (
            wang.name,
            wang.title,
            wang.buying_role,
            wang.stance,
            wang.influence,
            wang.relationship_stage,
        ) == (
            expected["people"][0],
            expected["title"],
            "technical_evaluator",
            "supporter",
            "high",
            "personal_trust",
        )
        assert (
            zhao.name,
            zhao.title,
            zhao.buying_role,
            zhao.stance,
            zhao.influence,
            zhao.relationship_stage,
        ) == (
            expected["people"][1],
            None,
            "decision_maker",
            "neutral",
            "high",
            "familiar",
        )
        visit = session.exec(select(Visit)).one()
        assert visit.status == VisitStatus.PLANNED
        assert visit.planned_at == datetime(2026, 11, 25, 7, 0, tzinfo=UTC)  # 15:00 Shanghai
        assert (visit.objective_best, visit.objective_minimum) == (
            expected["best"],
            expected["minimum"],
        )
        items = session.exec(select(SpinItem).order_by(col(SpinItem.position))).all()
        types = [item.spin_type for item in items]
        assert types == sorted(types, key=list(SpinType).index), "plan is in SPIN order"
        assert sum(1 for item in items if item.bank_question_id) == 8
        own = [item for item in items if item.question == expected["own"]]
        assert [item.spin_type for item in own] == [SpinType.IMPLICATION]
        worksheet = {
            item.question: item.spin_type
            for item in items
            if item.question in expected["worksheet"]
        }
        assert worksheet == dict(
            zip(
                expected["worksheet"][1:],
                [SpinType.IMPLICATION, SpinType.NEED_PAYOFF],
                strict=True,
            )
        ), "the worksheet's questions are questions"
        problems = session.exec(select(VisitProblem)).all()
        assert [problem.text for problem in problems] == expected["worksheet"][:1], (
            "its problem is a problem, not a question"
        )
        assert all(item.planned and item.asked is None for item in items)
        snapshots = session.exec(select(StakeholderSnapshot)).all()
        assert {(s.contact_id, s.phase, s.stance) for s in snapshots} == {
            (wang.id, SnapshotPhase.PREP, "supporter"),
            (zhao.id, SnapshotPhase.PREP, "neutral"),
        }
        visit_id = visit.id

    play(chat, debrief)
    for word in expected["feedback_words"]:
        assert word in chat.text
    with Session(database) as session:
        visit = session.get(Visit, visit_id)
        assert visit.status == VisitStatus.DONE
        record = session.exec(select(Debrief)).one()
        assert (
            record.visit_id,
            record.outcome,
            record.implied_needs,
            record.explicit_needs,
            record.summary,
            record.next_step,
            record.next_step_due,
        ) == (
            visit_id,
            Outcome.ADVANCE,
            expected["implied"],
            None,
            expected["summary"],
            expected["next_step"],
            date(2026, 12, 2),
        )
        items = session.exec(select(SpinItem).order_by(col(SpinItem.position))).all()
        asked = [item for item in items if item.asked]
        assert len(asked) == 3
        goals = next(item for item in asked if item.answer)
        assert goals.answer == expected["answer"], (
            "stored exactly as typed, escaped only on display"
        )
        assert goals.spin_type == SpinType.SITUATION
        extra = next(item for item in items if not item.planned)
        assert (extra.question, extra.spin_type, extra.asked) == (
            expected["other"],
            SpinType.PROBLEM,
            True,
        )
        assert all(item.asked is False for item in items if item.planned and item not in asked)
        people = {c.name: c for c in session.exec(select(Contact)).all()}
        assert list(people) == expected["people"]
        assert people[expected["people"][0]].stance == "coach"
        assert (
            people[expected["people"][2]].buying_role,
            people[expected["people"][2]].stance,
        ) == ("purchaser", None)
        assert (
            people[expected["people"][3]].buying_role,
            people[expected["people"][3]].stance,
        ) == ("user", "supporter")
        after = session.exec(
            select(StakeholderSnapshot).where(StakeholderSnapshot.phase == SnapshotPhase.DEBRIEF)
        ).all()
        assert {(s.contact_id, s.attended, s.stance) for s in after} == {
            (people[expected["people"][0]].id, True, "coach"),
            (people[expected["people"][1]].id, True, "neutral"),
            (people[expected["people"][2]].id, True, None),
            (people[expected["people"][3]].id, True, "supporter"),
        }
        sessions = session.exec(select(FlowSession).order_by(col(FlowSession.id))).all()
        assert [(s.flow, s.status, s.visit_id) for s in sessions] == [
            ("prep", FlowStatus.DONE, visit_id),
            ("debrief", FlowStatus.DONE, visit_id),
        ]
        assert session.exec(select(FlowState)).first() is None
        transcript = session.exec(
            select(TranscriptLine)
            .where(TranscriptLine.session_id == sessions[1].id)
            .order_by(col(TranscriptLine.seq))
        ).all()
        assert [line.seq for line in transcript] == list(range(1, len(transcript) + 1))
        assert transcript[0].speaker == Speaker.USER
        assert any(
            line.text == expected["answer"] for line in transcript if line.speaker == Speaker.USER
        )
        assert any(
            expected["feedback_words"][0] in line.text
            for line in transcript
            if line.speaker == Speaker.BOT
        )


def test_a_stage_move_in_the_debrief_is_recorded_with_its_evidence(rep_en: Chat, database) -> None:
    prep, _ = SCRIPTS["en"]
    play(rep_en, prep)
    play(
        rep_en,
        [
            ("cmd", "debrief"),
            ("tap", "Huadong"),
            ("tap", "Yes"),  # planned for tomorrow: it has happened already
            ("tap", "Continuation"),
            ("tap", "Done"),
            ("tap", "Skip"),
            ("tap", "Someone changed"),
            ("tap", "Relationship stage"),
            ("tap", "Done"),
            ("tap", "Mutual interest"),
            ("say", "Pushed our proposal with his boss"),
            ("tap", "Did not attend"),
            ("tap", "Done"),
            ("tap", "Still at Proposal"),
            ("say", "Send the revised quote"),
            ("tap", "Tomorrow"),
        ],
    )
    assert "Saved" in rep_en.text
    with Session(database) as session:
        change = session.exec(select(StageChange)).one()
        wang = session.get(Contact, change.contact_id)
        assert (wang.name, change.from_stage, change.to_stage, change.evidence) == (
            "Wang Gong",
            "personal_trust",
            "mutual_interest",
            "Pushed our proposal with his boss",
        )
        assert wang.relationship_stage == "mutual_interest"
        absent = session.exec(
            select(StakeholderSnapshot).where(
                StakeholderSnapshot.phase == SnapshotPhase.DEBRIEF,
                col(StakeholderSnapshot.attended).is_(False),
            )
        ).one()
        assert session.get(Contact, absent.contact_id).name == "Zhao Zong"
        assert session.exec(select(Debrief)).one().next_step_due == date(2026, 11, 25)


def test_a_continuation_needs_a_next_step_but_no_sale_does_not(rep_en: Chat) -> None:
    prep, _ = SCRIPTS["en"]
    play(rep_en, prep)
    play(
        rep_en,
        [
            ("cmd", "debrief"),
            ("tap", "Huadong"),
            ("tap", "Yes"),
            ("tap", "Continuation"),
            ("tap", "Done"),
            ("tap", "Skip"),
            ("tap", "No changes"),
            ("tap", "Still at Proposal"),
        ],
    )
    assert "next step" in rep_en.text
    assert not any("Skip" in label for label in rep_en.labels)
    rep_en.say("skip")
    assert "can't be skipped" in rep_en.text


def test_an_unplanned_visit_is_debriefed_with_a_new_account(rep_en: Chat, database) -> None:
    play(
        rep_en,
        [
            ("cmd", "debrief"),
            ("tap", "did not prepare"),
            ("say", "Blue Ocean Logistics"),
            ("tap", "Create"),
            ("say", "Sun Zongjian"),
            ("tap", "Done"),
            ("tap", "No sale"),
            ("say", "S: How many warehouses do you run?"),
            ("tap", "Skip"),
            ("tap", "No changes"),
            ("tap", "Not sure yet"),  # a new account: no sales stage to move from
            ("tap", "Skip"),
        ],
    )
    assert "Saved: Blue Ocean Logistics" in rep_en.text
    assert "No sale" in rep_en.text
    with Session(database) as session:
        visit = session.exec(select(Visit)).one()
        assert visit.status == VisitStatus.DONE
        assert session.get(Account, visit.account_id).name == "Blue Ocean Logistics"
        assert session.exec(select(Contact)).one().name == "Sun Zongjian"
        assert session.exec(select(Debrief)).one().outcome == Outcome.NO_SALE
        item = session.exec(select(SpinItem)).one()
        assert (item.spin_type, item.planned, item.asked) == (SpinType.SITUATION, False, True)


def test_todays_visits_are_offered_first(rep_en: Chat, clock) -> None:
    prep, _ = SCRIPTS["en"]
    play(rep_en, prep)  # tomorrow 15:00
    play(
        rep_en,
        [
            ("cmd", "prep"),
            ("say", "Blue Ocean"),
            ("tap", "Create"),
            ("tap", "Done"),
            ("say", "Sun"),
            ("tap", "Done"),
            ("tap", "Done"),
            ("say", "a trial"),
            ("say", "a call back"),
            ("tap", "Done"),
            ("tap", "Skip"),
            ("tap", "Skip"),
            ("say", "16:00"),
        ],
    )
    assert "Call plan" in rep_en.text
    rep_en.command("debrief")
    labels = rep_en.labels
    assert labels[0].startswith("Today 16:00 · Blue Ocean")
    assert "Huadong Heavy Truck" in labels[1]
    assert "did not prepare" in labels[2]


def test_the_account_card_shows_the_decision_unit_visits_and_open_next_steps(rep_en: Chat) -> None:
    prep, debrief = SCRIPTS["en"]
    play(rep_en, prep)
    play(rep_en, debrief)
    rep_en.command("accounts")
    rep_en.say("huadong")
    rep_en.tap("Huadong Heavy Truck")  # part of a name is offered, not taken
    card, _ = every_page(rep_en)
    assert "Huadong Heavy Truck" in card and "Core · Stable · Bidding" in card
    assert "📈 2026-11-24 · Sales stage: Proposal → Bidding (alice)" in card
    assert "Decision maker\n🟡 Zhao Zong: Neutral · High · Familiar" in card
    assert "🟢 Wang Gong (Chief engineer): Coach (champion) · High · Personal trust" in card
    assert "Purchaser\n⚪ Liu Jingli" in card
    assert "2026-11-25 · Advance: Agrees to a site visit next week" in card
    assert "• Site visit to the Wuxi plant (2026-12-02)" in card


def test_the_language_can_be_switched_and_everything_follows(rep_en: Chat) -> None:
    rep_en.command("lang")
    rep_en.tap("中文")
    assert "之后我会用中文" in rep_en.text
    rep_en.command("prep")
    assert "拜访准备" in rep_en.text
    assert "✖ 取消" in rep_en.labels


def test_a_card_and_a_debrief_can_be_opened_directly_by_id(rep_en: Chat, database) -> None:
    prep, _ = SCRIPTS["en"]
    play(rep_en, prep)
    with Session(database) as session:
        visit = session.exec(select(Visit)).one()
    rep_en.command("accounts", str(visit.account_id))
    assert "🏢 Huadong Heavy Truck" in rep_en.text
    rep_en.command("debrief", str(visit.id))
    assert "The visit to Huadong Heavy Truck is planned for 11-25 15:00." in rep_en.text
    rep_en.tap("Yes")
    assert "Did the visit with Huadong Heavy Truck get what you aimed for?" in rep_en.text
    assert "🎯 Best: Agrees to a site visit next week" in rep_en.text
    rep_en.say("back")
    rep_en.say("back")
    assert "first question" in rep_en.text


def test_a_visit_still_to_come_is_not_debriefed_when_the_rep_says_it_has_not_happened(
    rep_en: Chat, database
) -> None:
    prep, _ = SCRIPTS["en"]
    play(rep_en, prep)  # planned for tomorrow 15:00
    rep_en.command("debrief")
    rep_en.tap("Huadong")
    assert "The visit to Huadong Heavy Truck is planned for 11-25 15:00." in rep_en.text
    rep_en.tap("No")
    assert "Then debrief it after the visit: I will remind you." in rep_en.text
    with Session(database) as session:
        assert session.exec(select(Visit)).one().status == VisitStatus.PLANNED
        assert session.exec(select(Debrief)).first() is None
        assert session.exec(select(FlowState)).first() is None


def test_no_changes_for_anyone_is_one_tap_and_the_needs_fit_one_message(
    rep_en: Chat, database
) -> None:
    prep, _ = SCRIPTS["en"]
    play(rep_en, prep)
    play(
        rep_en,
        [
            ("cmd", "debrief"),
            ("tap", "Huadong"),
            ("tap", "Yes"),
            ("tap", "Advance: the best"),
            ("tap", "Done"),
            ("say", "Too many breakdowns\nWe need a four-hour repair promise"),
            ("tap", "Done"),  # the purchase criteria an explicit need leads to: none heard
            ("tap", "No changes"),
            ("tap", "Still at Proposal"),
            ("say", "Send the revised quote"),
            ("tap", "Tomorrow"),
        ],
    )
    assert "Saved" in rep_en.text
    with Session(database) as session:
        debrief = session.exec(select(Debrief)).one()
        assert (debrief.implied_needs, debrief.explicit_needs) == (
            "Too many breakdowns",
            "We need a four-hour repair promise",
        )
        after = session.exec(
            select(StakeholderSnapshot).where(StakeholderSnapshot.phase == SnapshotPhase.DEBRIEF)
        ).all()
        assert len(after) == 2 and all(snapshot.attended for snapshot in after)
