"""/correct: a rep corrects a debrief saved in the last 7 days; the record keeps what was first
saved beside the correction, with who and when, and the manager sees both."""

from __future__ import annotations

from datetime import date, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import Session, col, select

from bot import reminders
from bot.domain import ObjectiveMet, Outcome, ReminderKind, Role
from bot.engine.events import Tap
from bot.engine.pages import screen_lines
from bot.storage.models import Debrief, DebriefCorrection, Reminder
from bot.text import plain
from bot.visit_records import records
from tests.conftest import START
from tests.engine.chat import Chat, add_user, every_page, play
from tests.engine.records import another_debrief
from tests.engine.scripts import SCRIPTS
from tests.engine.test_resilience import BAD_INPUTS, OTHER_LANGUAGE, current_step

SHANGHAI = ZoneInfo("Asia/Shanghai")
NEXT_DAY = START + timedelta(days=1)  # Wednesday 25 November 09:30 in Shanghai
SCRIPTS_SUMMARY = {"en": "Good meeting 😀", "zh": "会谈顺利😀"}


def _debriefed(chat: Chat, language: str, clock) -> None:
    """A visit prepared and debriefed (an advance, next step due 2 December); a day later."""
    prep, debrief = SCRIPTS[language]
    play(chat, prep + debrief)
    clock.now = NEXT_DAY


def _debrief(database) -> Debrief:
    with Session(database) as session:
        return session.exec(select(Debrief)).one()


def _corrections(database) -> list[tuple]:
    with Session(database) as session:
        return [
            (c.field.value, c.old_value, c.new_value, c.corrected_by_id, c.corrected_at)
            for c in session.exec(select(DebriefCorrection).order_by(col(DebriefCorrection.id)))
        ]


def test_the_saved_debrief_offers_correct_and_a_corrected_outcome_keeps_the_first_one(
    rep_en: Chat, database, clock
) -> None:
    _debriefed(rep_en, "en", clock)
    assert rep_en.labels == ["✏️ Correct"], "the Saved message's only button"
    rep_en.tap("Correct")
    assert "Huadong Heavy Truck · visit of 11-25" in rep_en.text
    assert "Outcome: Advance · 🎯 the best planned" in rep_en.text
    assert "Open for corrections until 12-01 09:30." in rep_en.text
    assert "Save" not in " ".join(rep_en.labels), "nothing to save yet"
    rep_en.tap("Outcome")
    assert (
        "Saved outcome of the visit with Huadong Heavy Truck: Advance · 🎯 the best planned."
        in rep_en.text
    )
    assert rep_en.labels[:2] == ["🎯 Advance: the best", "◎ Advance: the minimum"], "from the plan"
    rep_en.tap("Continuation")
    assert "✏️ Outcome: Continuation (was: 🎯 Advance: the best)" in rep_en.text
    assert "1 correction not saved yet" in rep_en.text, "one line corrected, one correction"
    assert _debrief(database).outcome == Outcome.ADVANCE, "not saved before Save"
    rep_en.tap("Save")
    assert "Corrected: Huadong Heavy Truck" in rep_en.text
    assert "Outcome: Advance → Continuation" in rep_en.text
    assert "Against the plan: 🎯 the best planned → not what was planned" in rep_en.text
    assert "Score 10/12 → 8/12" in rep_en.text, "an advance counted; a continuation does not"
    debrief = _debrief(database)
    assert debrief.outcome == Outcome.CONTINUATION
    assert debrief.facts["outcome"] == "continuation"
    assert debrief.objective_met == ObjectiveMet.NEITHER
    assert debrief.facts["objective_met"] == "neither"
    assert _corrections(database) == [
        ("outcome", "advance", "continuation", rep_en.user_id, NEXT_DAY),
        ("objective_met", "best", "neither", rep_en.user_id, NEXT_DAY),
    ]


def test_several_fields_are_corrected_in_one_go_in_chinese(rep_zh: Chat, database, clock) -> None:
    _debriefed(rep_zh, "zh", clock)
    rep_zh.command("correct")
    assert "最近7天共保存1份，最新的在前。" in rep_zh.text
    rep_zh.tap("华东重卡")
    for field, value in (
        ("总结", "客户认可方案，但预算要到三月"),
        ("隐含需求", "停机损失大"),
        ("明确需求", "要求4小时到场"),
        ("下一步", "安排试驾"),
    ):
        rep_zh.tap(field)
        assert "已保存的" in rep_zh.text or "没有保存" in rep_zh.text, field
        rep_zh.say(value)
    rep_zh.tap("截止日期")
    rep_zh.say("12月9日")
    assert "还有5处更正未保存" in rep_zh.text
    assert "✏️ 截止日期：2026-12-09（原为：2026-12-02）" in rep_zh.text
    assert rep_zh.labels[:6] == [
        "拜访结果",
        "✏️ 总结",
        "✏️ 隐含需求",
        "✏️ 明确需求",
        "✏️ 下一步",
        "✏️ 截止日期",
    ]
    rep_zh.tap("保存")
    assert "已更正：华东重卡" in rep_zh.text
    assert "你的经理能看到每一处更正" in rep_zh.text
    debrief = _debrief(database)
    assert (debrief.summary, debrief.implied_needs, debrief.explicit_needs) == (
        "客户认可方案，但预算要到三月",
        "停机损失大",
        "要求4小时到场",
    )
    assert (debrief.next_step, debrief.next_step_due) == ("安排试驾", date(2026, 12, 9))
    assert [(field, old) for field, old, *_ in _corrections(database)] == [
        ("summary", "会谈顺利😀"),
        ("implied_needs", "故障太多，损失很大"),
        ("explicit_needs", None),
        ("next_step", "参观无锡工厂"),
        ("next_step_due", "2026-12-02"),
    ]


def test_the_same_value_again_is_no_correction_and_back_leaves_a_field_as_it_is(
    rep_en: Chat, database, clock
) -> None:
    _debriefed(rep_en, "en", clock)
    rep_en.command("correct")
    rep_en.tap("Huadong")
    rep_en.tap("Outcome")
    rep_en.tap("Advance: the best")
    assert "What needs correcting?" in rep_en.text
    assert "Save" not in " ".join(rep_en.labels)
    rep_en.tap("Summary")
    rep_en.tap("Back")
    assert "What needs correcting?" in rep_en.text
    rep_en.tap("Cancel")
    assert _corrections(database) == []


def test_correct_lists_only_the_reps_own_debriefs_of_the_last_7_days_newest_first(
    rep_en: Chat, database, team_id, clock
) -> None:
    _debriefed(rep_en, "en", clock)
    bob = add_user(database, team_id, name="bob", language="en")
    another_debrief(
        database, at=NEXT_DAY - timedelta(days=3), rep_id=rep_en.user_id, outcome="order"
    )
    too_old = NEXT_DAY - timedelta(days=8)  # too old to correct
    another_debrief(database, at=too_old, rep_id=rep_en.user_id)
    another_debrief(database, at=NEXT_DAY - timedelta(days=0.5), rep_id=bob)  # another rep's
    rep_en.command("correct")
    assert "2 saved in the last 7 days, newest first." in rep_en.text
    assert rep_en.labels[:2] == [
        "11-25 · Huadong Heavy Truck · Advance",
        "11-22 · Huadong Heavy Truck · Order",
    ]
    assert len(rep_en.labels) == 3, "the two, and Cancel"


def test_with_nothing_saved_lately_correct_says_so(rep_en: Chat) -> None:
    rep_en.command("correct")
    assert "No debrief of yours was saved in the last 7 days" in rep_en.text


def test_an_older_or_another_reps_debrief_and_forged_arguments_are_refused_politely(
    rep_en: Chat, database, team_id, make_engine_for, clock
) -> None:
    _debriefed(rep_en, "en", clock)
    old = another_debrief(database, at=NEXT_DAY - timedelta(days=9), rep_id=rep_en.user_id)
    rep_en.command("correct", str(old))
    assert "saved 11-16 09:30, more than 7 days ago, so it can no longer be corrected" in (
        rep_en.text
    )
    assert "1 saved in the last 7 days" in rep_en.text, "and the ones that can are listed"
    other = Chat(make_engine_for(), add_user(database, team_id, name="bob", language="en"))
    for argument in ("1", "999", "x", "1:2", "-1", "٣"):
        other.command("correct", argument)
        assert "couldn't find that debrief among yours" in other.text, argument
    other.send(Tap("m.correct:1"))  # a forged menu button
    assert "couldn't find that debrief among yours" in other.text
    assert _corrections(database) == []


def test_an_outcome_corrected_to_an_advance_asks_for_the_next_step_it_lacks(
    rep_en: Chat, database, clock
) -> None:
    _debriefed(rep_en, "en", clock)
    visit_id = another_debrief(
        database, at=NEXT_DAY - timedelta(days=1), rep_id=rep_en.user_id, outcome="no_sale"
    )
    rep_en.command("correct", str(visit_id))
    rep_en.tap("Outcome")
    rep_en.tap("Advance")
    assert "Advance calls for a next step, and none was saved. What was agreed?" in rep_en.text
    rep_en.say("Trial run at the Wuxi plant")
    assert "By when?" in rep_en.text and "Skip" in " ".join(rep_en.labels)
    rep_en.tap("Tomorrow")
    assert "3 corrections not saved yet" in rep_en.text
    rep_en.tap("Save")
    with Session(database) as session:
        debrief = session.exec(select(Debrief).where(Debrief.visit_id == visit_id)).one()
    assert (debrief.outcome, debrief.next_step, debrief.next_step_due) == (
        Outcome.ADVANCE,
        "Trial run at the Wuxi plant",
        date(2026, 11, 26),
    )


def test_saving_after_the_window_closed_is_refused_and_nothing_changes(
    rep_en: Chat, database, clock
) -> None:
    _debriefed(rep_en, "en", clock)
    clock.now = START + timedelta(days=6, hours=23)
    rep_en.command("correct")
    rep_en.tap("Huadong")
    rep_en.tap("Summary")
    rep_en.say("Too late")
    clock.now = START + timedelta(days=7, minutes=1)
    resumed = rep_en.engine.resume(user_id=rep_en.user_id)
    assert "The time to correct it is over: it can no longer be saved." in resumed[-1].text
    rep_en.tap("Save")
    assert "Not saved: this debrief was saved 11-24 09:30" in rep_en.text
    assert _corrections(database) == [] and _debrief(database).summary == "Good meeting 😀"


def test_a_corrected_due_date_is_not_reminded_by_a_reminder_queued_for_the_old_one(
    rep_en: Chat, database, clock, texts
) -> None:
    _debriefed(rep_en, "en", clock)
    clock.now = START + timedelta(days=6)  # 30 November: the step is due 2 December
    with Session(database) as session:
        session.add(
            Reminder(
                user_id=rep_en.user_id,
                kind=ReminderKind.NEXT_STEP,
                due_at=clock.now,
                visit_id=_debrief(database).visit_id,
                dedupe_key="next_step:queued",
            )
        )
        session.commit()
    rep_en.command("correct")
    rep_en.tap("Huadong")
    rep_en.tap("Due date")
    rep_en.say("12/9")
    rep_en.tap("Save")
    with Session(database) as session:
        queued = session.exec(select(Reminder).where(Reminder.kind == ReminderKind.NEXT_STEP))
        assert queued.one().fired_at == clock.now
    clock.now = START + timedelta(days=10)  # 4 December: overdue no longer
    with Session(database) as session:
        assert (
            reminders.queue_overdue_next_steps(
                session=session, now=clock.now, zone=SHANGHAI, at=START.time()
            )
            == 0
        )


def test_the_manager_sees_the_correction_beside_the_first_value_and_the_export_carries_both(
    rep_en: Chat, database, clock, playbooks
) -> None:
    _debriefed(rep_en, "en", clock)
    rep_en.command("correct")
    rep_en.tap("Huadong")
    rep_en.tap("Outcome")
    rep_en.tap("Continuation")
    rep_en.tap("Summary")
    rep_en.say("Friendly, <b>no</b> commitment *_[yet]_*")
    rep_en.tap("Save")
    clock.now += timedelta(hours=2)
    rep_en.command("correct")
    rep_en.tap("Huadong")
    rep_en.tap("Summary")
    rep_en.say("Friendly, no commitment before the budget")
    rep_en.tap("Save")
    manager = Chat(
        rep_en.engine, add_user(database, 1, name="max", language="en", role=Role.MANAGER)
    )
    manager.command("review")
    manager.say("alice")
    assert "11-25 · Huadong Heavy Truck · Continuation" in manager.labels[0]
    manager.tap("Huadong")
    text = manager.text
    assert "Continuation · not what was planned · Score 8/12\n" in text
    assert "✏️ Outcome corrected by alice 11-25 09:30, was: Advance · 🎯 the best planned" in text
    assert "Summary: Friendly, no commitment before the budget\n✏️ Summary corrected 2 times, " in (
        text
    )
    assert "last by alice 11-25 11:30; first saved: Good meeting 😀" in text
    with Session(database) as session:
        [record] = records(session=session, playbooks=playbooks)
    assert record["debrief"]["outcome"] == "continuation"
    assert record["debrief"]["corrections"] == [
        {
            "field": "outcome",
            "from": "advance",
            "to": "continuation",
            "corrected_by": {"id": rep_en.user_id, "name": "alice"},
            "corrected_at": "2026-11-25T01:30:00+00:00",
        },
        {
            "field": "objective_met",
            "from": "best",
            "to": "neither",
            "corrected_by": {"id": rep_en.user_id, "name": "alice"},
            "corrected_at": "2026-11-25T01:30:00+00:00",
        },
        {
            "field": "summary",
            "from": "Good meeting 😀",
            "to": "Friendly, <b>no</b> commitment *_[yet]_*",
            "corrected_by": {"id": rep_en.user_id, "name": "alice"},
            "corrected_at": "2026-11-25T01:30:00+00:00",
        },
        {
            "field": "summary",
            "from": "Friendly, <b>no</b> commitment *_[yet]_*",
            "to": "Friendly, no commitment before the budget",
            "corrected_by": {"id": rep_en.user_id, "name": "alice"},
            "corrected_at": "2026-11-25T03:30:00+00:00",
        },
    ]
    assert [t["flow"] for t in record["transcripts"]] == ["prep", "debrief", "correct", "correct"]


def test_typed_markup_and_emoji_are_kept_verbatim_and_shown_as_text(
    rep_en: Chat, database, clock
) -> None:
    _debriefed(rep_en, "en", clock)
    rep_en.command("correct")
    rep_en.tap("Huadong")
    rep_en.tap("Explicit needs")
    rep_en.say("<b>bold</b> *_[x]_* </i> 😀🎉")
    shown = rep_en.last[-1].text
    assert "&lt;b&gt;bold&lt;/b&gt; *_[x]_* &lt;/i&gt; 😀🎉" in shown
    rep_en.tap("Save")
    assert _debrief(database).explicit_needs == "<b>bold</b> *_[x]_* </i> 😀🎉"


@pytest.mark.parametrize("language", ["en", "zh"])
def test_bad_input_at_every_correct_question_gets_an_answer_and_changes_nothing(
    language: str, request: pytest.FixtureRequest, database, clock
) -> None:
    chat: Chat = request.getfixturevalue(f"rep_{language}")
    _debriefed(chat, language, clock)
    taps = {
        "en": ("Huadong", "Outcome", "Continuation", "Due date", None),
        "zh": ("华东重卡", "拜访结果", "继续联系", "截止日期", None),
    }[language]
    chat.command("correct")
    for tap in taps:
        before = current_step(database, chat.user_id)
        for bad in [*BAD_INPUTS, OTHER_LANGUAGE[language]]:
            replies = chat.send(bad)
            assert replies and all(reply.text.strip() for reply in replies), (bad, before)
            after = current_step(database, chat.user_id)
            assert after is not None and after[0] == before[0], (bad, before, after)
        if tap is not None:
            chat.tap(tap)
    assert _corrections(database) == [], "nothing saved by any of it"
    chat.send(Tap(chat.button("7").value))  # in 7 days
    chat.tap({"en": "Save", "zh": "保存"}[language])
    assert [c[0] for c in _corrections(database)] == ["outcome", "objective_met", "next_step_due"]


@pytest.mark.parametrize("language", ["en", "zh"])
def test_a_typed_answer_refuses_empty_too_long_and_not_text_and_keeps_the_question(
    language: str, request: pytest.FixtureRequest, database, clock
) -> None:
    chat: Chat = request.getfixturevalue(f"rep_{language}")
    _debriefed(chat, language, clock)
    chat.command("correct")
    chat.tap({"en": "Huadong", "zh": "华东重卡"}[language])
    chat.tap({"en": "Summary", "zh": "总结"}[language])
    before = current_step(database, chat.user_id)
    for bad in [BAD_INPUTS[0], BAD_INPUTS[1], *BAD_INPUTS[4:8]]:  # empty, 10,000, not text, taps
        replies = chat.send(bad)
        assert replies and all(reply.text.strip() for reply in replies), bad
        assert current_step(database, chat.user_id)[0] == before[0], bad
    assert "10000" in chat.send(BAD_INPUTS[1])[0].text, "the length is said"
    assert _debrief(database).summary == SCRIPTS_SUMMARY[language]


def test_a_restart_after_every_step_of_correct_loses_nothing(
    rep_en: Chat, database, clock, make_engine_for
) -> None:
    _debriefed(rep_en, "en", clock)
    steps = [
        ("tap", "Correct"),
        ("tap", "Outcome"),
        ("tap", "Continuation"),
        ("tap", "Next step"),
        ("say", "Call back in January"),
        ("tap", "Save"),
    ]
    for step in steps:
        rep_en.engine = make_engine_for()  # a new process: nothing carried over in memory
        play(rep_en, [step])
    debrief = _debrief(database)
    assert (debrief.outcome, debrief.next_step) == (Outcome.CONTINUATION, "Call back in January")
    rep_en.engine = make_engine_for()
    rep_en.command("correct")
    rep_en.tap("Huadong")
    rep_en.tap("Summary")
    rep_en.say("Kept across the restart")
    rep_en.engine = make_engine_for()
    replies = rep_en.engine.resume(user_id=rep_en.user_id)
    assert "✏️ Summary: Kept across the restart (was: Good meeting 😀)" in plain(replies[-1].text)


def test_a_repeated_save_is_applied_once(rep_en: Chat, database, clock) -> None:
    _debriefed(rep_en, "en", clock)
    rep_en.command("correct")
    rep_en.tap("Huadong")
    rep_en.tap("Outcome")
    rep_en.tap("Order")
    save = rep_en.button("Save")
    rep_en.send(Tap(save.value), event_id="u-1")
    assert rep_en.send(Tap(save.value), event_id="u-1") == []
    rep_en.send(Tap(save.value))  # the same button again, not a redelivery
    assert "earlier question" in rep_en.text
    assert [c[:3] for c in _corrections(database)] == [("outcome", "advance", "order")]


def test_correct_is_in_the_menu_and_help_for_reps(rep_en: Chat) -> None:
    rep_en.command("start")
    assert "✏️ Correct a debrief" in rep_en.labels
    rep_en.command("help")
    assert "/correct Correct a debrief of the last 7 days" in rep_en.text


def test_the_field_screen_fits_a_phone(rep_en: Chat, database, clock) -> None:
    _debriefed(rep_en, "en", clock)
    with Session(database) as session:
        debrief = session.exec(select(Debrief)).one()
        debrief.summary = "A very long summary " * 200
        session.add(debrief)
        session.commit()
    rep_en.command("correct")
    rep_en.tap("Huadong")
    assert screen_lines(rep_en.last[-1].text) <= 20
    assert max(len(line) for line in rep_en.text.splitlines()) <= 100, "a long summary is cut"


def test_the_field_screen_fits_a_phone_in_chinese_with_corrections_waiting(
    rep_zh: Chat, database, clock
) -> None:
    _debriefed(rep_zh, "zh", clock)
    with Session(database) as session:
        debrief = session.exec(select(Debrief)).one()
        debrief.summary = debrief.implied_needs = debrief.explicit_needs = "客户很满意" * 30
        debrief.next_step = "下周参观无锡工厂" * 20
        session.add(debrief)
        session.commit()
    rep_zh.command("correct")
    rep_zh.tap("华东重卡")
    assert screen_lines(rep_zh.last[-1].text) <= 20
    for field in ("总结", "隐含需求", "明确需求", "下一步"):
        rep_zh.tap(field)
        rep_zh.say("改成了新的内容" * 20)
    assert "4" in rep_zh.text
    assert screen_lines(rep_zh.last[-1].text) <= 20


def test_an_earlier_outcome_corrected_changes_the_repeated_continuations_the_manager_sees(
    rep_en: Chat, database, clock, playbooks
) -> None:
    _debriefed(rep_en, "en", clock)
    first, *_ = (
        another_debrief(
            database, at=NEXT_DAY + timedelta(days=day), rep_id=rep_en.user_id, saved_facts=True
        )
        for day in (1, 2, 3)
    )
    clock.now = NEXT_DAY + timedelta(days=4)
    manager = Chat(
        rep_en.engine, add_user(database, 1, name="max", language="en", role=Role.MANAGER)
    )
    assert _stalled_and_flagged(manager, database, playbooks) == (
        "• Huadong Heavy Truck (alice): 3 continuations in a row",
        [False, False, True, True],
    )
    rep_en.command("correct", str(first))
    rep_en.tap("Outcome")
    rep_en.tap("Advance")
    rep_en.say("Trial run at the Wuxi plant")
    rep_en.tap("Tomorrow")
    rep_en.tap("Save")
    assert "Corrected: Huadong Heavy Truck" in rep_en.text
    assert _stalled_and_flagged(manager, database, playbooks) == (
        "• Huadong Heavy Truck (alice): 2 continuations in a row",
        [False, False, False, True],
    ), "the second visit is no longer a repeat; the third is two in a row, not three"


def _stalled_and_flagged(manager: Chat, database, playbooks) -> tuple[str, list[bool]]:
    """The account's line in the manager's /stats, and which visits the export flags, oldest
    first, as repeated continuations."""
    manager.command("stats")
    manager.tap("30 days")
    report, _ = every_page(manager)
    [line] = [line for line in report.splitlines() if "continuations in a row" in line]
    with Session(database) as session:
        exported = records(session=session, playbooks=playbooks)
    flagged = [
        "repeated_continuations" in record["flags"]
        for record in sorted(exported, key=lambda record: record["planned_at"])
    ]
    return line.strip(), flagged
