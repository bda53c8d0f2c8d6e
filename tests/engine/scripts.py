"""Whole conversations as data: the steps a rep takes, in English and Chinese.

`tap` presses the first button whose label contains the argument; `say` types text; `cmd`
sends a slash command. Each step names the question it answers (`at`, the step's id), so a
script reads as the dialog it is and a test starts "at the attendees" rather than at a
position; `play` checks that the flow is there before acting. The same scripts drive the happy
path, the restart-after-every-step test and the bad-input-at-every-step test.
"""

from __future__ import annotations


class Step(tuple[str, str]):
    """(kind, argument), which is how every driver unpacks it, plus the question it answers."""

    at: str | None
    only_there: bool  # taken only if the flow is at `at` (a question that depends on the clock)

    def __new__(
        cls, kind: str, argument: str, at: str | None = None, *, only_there: bool = False
    ) -> Step:
        step = super().__new__(cls, (kind, argument))
        step.at = at
        step.only_there = only_there
        return step


def cmd(name: str) -> Step:
    return Step("cmd", name)


def say(text: str, *, at: str) -> Step:
    return Step("say", text, at)


def tap(label: str, *, at: str, only_there: bool = False) -> Step:
    return Step("tap", label, at, only_there=only_there)


def until(script: list[Step], at: str, *, taken: int = 0) -> list[Step]:
    """The steps before the first one that answers `at`, plus `taken` of those that do."""
    start = next(index for index, step in enumerate(script) if getattr(step, "at", None) == at)
    return script[: start + taken]


def after(script: list[Step], at: str) -> list[Step]:
    """The steps after the first one that answers `at`."""
    return script[len(until(script, at)) + 1 :]


PREP_EN: list[Step] = [
    cmd("prep"),
    say("Huadong Heavy Truck", at="account"),
    tap("Create “Huadong Heavy Truck”", at="account"),
    tap("Core", at="account_profile"),
    tap("Proposal", at="account_profile"),
    tap("Stable", at="account_profile"),
    say("Wang Gong", at="attendees"),  # a new account has nobody to take it for: added
    say("Zhao Zong", at="attendees"),
    tap("Done", at="attendees"),
    say("Chief engineer", at="profile"),
    tap("Technical evaluator", at="profile"),
    tap("Supporter", at="profile"),
    tap("High", at="profile"),
    tap("Personal trust", at="profile"),
    tap("Decision maker", at="profile"),
    tap("Neutral", at="profile"),
    say("high", at="profile"),
    tap("Familiar", at="profile"),
    tap("Done", at="profile"),  # no title: Done for the rest
    say("Agrees to a site visit next week", at="objective_best"),
    say("Sends us the selection criteria", at="objective_minimum"),
    tap("Done", at="questions"),
    say("What does a day of downtime cost you?", at="own_questions"),
    tap("Continue", at="own_types"),
    say("Frequent breakdowns", at="problem"),
    say("How many orders slip per breakdown?", at="implication"),
    say("What would a 4-hour repair promise be worth?", at="need_payoff"),
    tap("Skip", at="problem"),
    say("tomorrow 15:00", at="visit_day"),
]

DEBRIEF_EN: list[Step] = [
    cmd("debrief"),
    tap("Huadong", at="visit", only_there=True),  # the only visit due today is taken
    tap("Yes", at="happened", only_there=True),  # asked while the visit's time is ahead
    tap("Advance: the best", at="outcome"),
    tap("business goals", at="asked"),
    tap("day of downtime", at="asked"),
    say("P: How often do trucks wait for parts?", at="asked"),  # one not in the plan
    tap("Done", at="asked"),
    say("Grow <b>30%</b> & cut fuel cost *_[now]_*", at="answer"),
    tap("Skip", at="answer"),
    say("Breakdowns cost them a lot", at="needs"),
    say("Liu Jingli, Chen Shifu", at="people_changed"),  # met for the first time
    tap("Someone changed", at="people_changed"),
    tap("Stance", at="changes"),
    tap("Done", at="changes"),
    tap("Coach", at="stance"),
    tap("Done", at="changes"),
    tap("Purchaser", at="newcomer_role"),
    tap("Skip", at="newcomer_stance"),
    tap("User", at="newcomer_role"),
    tap("Supporter", at="newcomer_stance"),
    say("Good meeting 😀", at="sale"),  # the summary, typed beside the stage buttons
    tap("Bidding reached", at="sale"),  # the next step's milestone confirmed
    say("Site visit to the Wuxi plant", at="next_step"),
    say("12/2", at="next_step_due"),
]

PREP_ZH: list[Step] = [
    cmd("prep"),
    say("华东重卡", at="account"),
    tap("新建“华东重卡”", at="account"),
    tap("核心价值客户", at="account_profile"),
    say("方案提案", at="account_profile"),
    tap("稳定合作期", at="account_profile"),
    say("王总工", at="attendees"),
    say("赵总", at="attendees"),
    tap("完成", at="attendees"),
    say("技术部总工程师", at="profile"),
    say("技术评估者", at="profile"),
    tap("支持者", at="profile"),
    tap("高", at="profile"),
    tap("个人信任", at="profile"),
    tap("决策者", at="profile"),
    tap("中立者", at="profile"),
    tap("高", at="profile"),
    tap("熟悉", at="profile"),
    tap("完成", at="profile"),
    say("同意下周参观无锡样板工程", at="objective_best"),
    say("把选型标准发给我们", at="objective_minimum"),
    tap("完成", at="questions"),
    say("停机一天损失多少？", at="own_questions"),
    tap("继续", at="own_types"),
    say("设备故障频繁", at="problem"),
    say("每次故障耽误多少订单？", at="implication"),
    say("如果承诺4小时到场修复，对你们价值多大？", at="need_payoff"),
    tap("跳过", at="problem"),
    say("明天下午3点", at="visit_day"),
]

DEBRIEF_ZH: list[Step] = [
    cmd("debrief"),
    tap("华东重卡", at="visit", only_there=True),
    tap("是", at="happened", only_there=True),
    tap("推进：最佳目标", at="outcome"),
    tap("经营目标", at="asked"),
    tap("停机一天", at="asked"),
    say("难点：配件要等多久？", at="asked"),
    tap("完成", at="asked"),
    say("今年增长30%，<b>降低油耗</b>", at="answer"),
    tap("跳过", at="answer"),
    say("故障太多，损失很大", at="needs"),
    say("刘经理、陈师傅", at="people_changed"),
    tap("有人有变化", at="people_changed"),
    tap("立场", at="changes"),
    tap("完成", at="changes"),
    tap("教练", at="stance"),
    tap("完成", at="changes"),
    tap("采购者", at="newcomer_role"),
    tap("跳过", at="newcomer_stance"),
    tap("使用者", at="newcomer_role"),
    tap("支持者", at="newcomer_stance"),
    say("会谈顺利😀", at="sale"),
    tap("其他阶段", at="sale"),
    tap("商务谈判", at="sale_other"),
    tap("深度合作期", at="sale_other"),  # both answered: the screen is done
    say("参观无锡工厂", at="next_step"),
    say("12月2日", at="next_step_due"),
]

SCRIPTS = {"en": (PREP_EN, DEBRIEF_EN), "zh": (PREP_ZH, DEBRIEF_ZH)}
