"""Chinese that reads as written by a person: the typography and the words of every zh text.

Every template rendered in Chinese with the sample contexts of test_catalogs, every label and
every playbook string is held to what a Chinese reader expects:

- no space between two CJK characters, nor between a CJK character and a number, nor around a
  Latin word or name set inside a Chinese sentence ("和 Acme 的" is "和Acme的");
- full-width punctuation next to CJK characters: no ASCII `:,;?()!` touching one;
- a contact is the contact's name or 对方, never 他/她.

Commands (/debrief), URLs, `salescoach …` command lines and what a placeholder filled in are the
reader's own ASCII, so they may keep their spaces and their punctuation.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from pydantic import BaseModel

from bot.playbooks.loader import load_playbooks
from bot.playbooks.schema import Localized
from bot.shipped import shipped_dir
from bot.text import Texts, plain
from tests.test_catalogs import SAMPLES

HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
CJK = f"[{HAN}\u3001-\u303f！（），．：；？［］～]"  # ideographs, CJK and full-width punctuation
NEUTRAL = "□"  # stands in for what may keep its ASCII: neither CJK nor ASCII
# What the reader types or copies as it is: its spaces and punctuation are its own.
VERBATIM = re.compile(
    r"[a-z][a-z0-9+.-]*://[^\s“”（）。，]*"  # URLs
    r"|salescoach(?: +[-\w|.%]+)*"  # command lines, with their arguments
    r"|(?<![\w/])/[a-z_]+"  # bot commands
    r"|^ *#\d+ +"  # a list's id column: "#7  Amy · East"
)
SPACED = re.compile(
    rf"(?P<left>{CJK}) +(?P<right>{CJK})"  # 我们 和
    rf"|(?P<before>{CJK}) +(?P<word>[A-Za-z0-9#+][!-~]*(?: +[!-~]+)*?) +(?P<after>{CJK})"
    rf"|[{HAN}] +[0-9]|[0-9] +[{HAN}]"  # 近 7 天, 截止 12-02
)
ASCII_PUNCTUATION = re.compile(rf"(?<={CJK})[:,;?()!]|[:,;?()!](?={CJK})")
PRONOUN = re.compile(r"(?<!其)[他她]")


def spacing_problems(text: str) -> list[str]:
    """Each place in `text` where a space sits beside CJK that a Chinese reader would not space."""
    lines = [VERBATIM.sub(NEUTRAL, line) for line in text.splitlines()]
    return [match.group(0) for line in lines for match in SPACED.finditer(line)]


def punctuation_problems(text: str, *, filled: tuple[str, ...] = ()) -> list[str]:
    """Each ASCII :,;?()! touching CJK in `text`; what a placeholder `filled` in keeps its own."""
    masked = "\n".join(VERBATIM.sub(NEUTRAL, line) for line in text.splitlines())
    for value in sorted(filled, key=len, reverse=True):
        masked = masked.replace(value, NEUTRAL)
    return [
        masked[max(0, match.start() - 1) : match.end() + 1]
        for match in ASCII_PUNCTUATION.finditer(masked)
    ]


def pronouns(text: str) -> list[str]:
    """Each 他/她 in `text` (其他 "other" is not a pronoun)."""
    return [text[max(0, m.start() - 4) : m.end() + 4] for m in PRONOUN.finditer(text)]


# What a label's placeholders are filled with; a name is Latin, as in the samples.
LABEL_SAMPLE = {
    "days": "3",
    "date": "12/5",
    "text": "Acme",
    "name": "Acme",
    "stage": "Proposal",
    "page": "2",
    "pages": "3",
    "count": "4",
    "since": "11-01",
    "until": "11-30",
}
CHINESE_NAME = "星河"


@dataclass(frozen=True)
class Chinese:
    """One Chinese text and where it comes from, so a failure names the string to fix."""

    where: str
    text: str
    filled: tuple[str, ...] = ()  # what placeholders were filled with


def everything() -> list[Chinese]:
    """Every Chinese text a user may read: templates rendered, labels, playbook strings."""
    texts = Texts()
    return [*_templates(texts), *_labels(texts), *_playbooks()]


def _templates(texts: Texts) -> Iterator[Chinese]:
    """Each sample as test_catalogs has it (Latin names: "和 Acme 的" shows), and again with
    its names and labels in Chinese (a space beside a placeholder then sits between CJK)."""
    for key in sorted(SAMPLES):
        for number, context in enumerate(SAMPLES[key]):
            for where, filled in (
                (f"template {key} (sample {number})", context),
                (f"template {key} (sample {number}, names in Chinese)", _in_chinese(context)),
            ):
                text = plain(texts.render(key, "zh", **filled))
                yield Chinese(where, text, tuple(_values(filled)))


def _labels(texts: Texts) -> Iterator[Chinese]:
    for key in sorted(texts.label_keys("zh")):
        text = texts.label(key, "zh", **LABEL_SAMPLE)
        yield Chinese(f"label:{key}", text, tuple(LABEL_SAMPLE.values()))


def _playbooks() -> Iterator[Chinese]:
    playbooks = load_playbooks(shipped_dir("playbooks"))
    for part in type(playbooks).__dataclass_fields__:
        for path, text in _localized(getattr(playbooks, part), part):
            yield Chinese(f"playbook {path}", text.zh)


def _in_chinese(node: Any) -> Any:
    """A sample context with every name and label ("Acme", "Decision maker") in Chinese."""
    if isinstance(node, str):
        return CHINESE_NAME if re.match("[A-Z]", node) else node
    if isinstance(node, dict):
        return {key: _in_chinese(value) for key, value in node.items()}
    if isinstance(node, list | tuple):
        return type(node)(_in_chinese(value) for value in node)
    return node


def _values(node: Any) -> Iterator[str]:
    """Every string a sample context holds, however deep."""
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for value in node.values():
            yield from _values(value)
    elif isinstance(node, list | tuple):
        for value in node:
            yield from _values(value)
    elif node is not None and not isinstance(node, bool | int | float):
        yield from _values(vars(node))  # a Problem: its fields


def _localized(node: object, path: str) -> Iterator[tuple[str, Localized]]:
    """Every text of a playbook with its place: relationship.contact_stages[familiar].goals[0]."""
    if isinstance(node, Localized):
        yield path, node
    elif isinstance(node, BaseModel):
        for field in type(node).model_fields:
            yield from _localized(getattr(node, field), f"{path}.{field}")
    elif isinstance(node, list | tuple):
        for index, item in enumerate(node):
            yield from _localized(item, f"{path}[{getattr(item, 'id', index)}]")


def _report(found: list[tuple[Chinese, list[str]]]) -> str:
    """One line per string to fix: where it comes from, what is wrong, the whole text."""
    return "\n".join(f"{item.where}: {problems} in {item.text!r}" for item, problems in found)


@pytest.fixture(scope="module")
def chinese() -> list[Chinese]:
    return everything()


def test_the_sweep_reaches_templates_labels_and_playbooks(chinese: list[Chinese]) -> None:
    kinds = {item.where.split(" ")[0].split(":")[0] for item in chinese}
    assert kinds == {"template", "label", "playbook"}
    assert len(chinese) > 1000


def test_no_space_sits_between_chinese_and_a_name_or_a_number(chinese: list[Chinese]) -> None:
    found = [(item, spacing_problems(item.text)) for item in chinese]
    found = [(item, problems) for item, problems in found if problems]
    assert not found, _report(found)


def test_chinese_is_punctuated_full_width(chinese: list[Chinese]) -> None:
    found = [(item, punctuation_problems(item.text, filled=item.filled)) for item in chinese]
    found = [(item, problems) for item, problems in found if problems]
    assert not found, _report(found)


def test_a_contact_is_named_or_called_duifang_never_ta(chinese: list[Chinese]) -> None:
    found = [(item, pronouns(item.text)) for item in chinese]
    found = [(item, problems) for item, problems in found if problems]
    assert not found, _report(found)


@pytest.mark.parametrize(
    "text",
    [
        "我们和Acme的整体合作",
        "近7天（11-01至11-30）",
        "于11-26 08:00更正",
        "⬅ 返回",
        "＋ 再写一行",
        "#7  星河 · 东区",
        "📊 Excel（XLSX）",
        "用 /prep 添加。",
        "运行“salescoach invite list”可查看。",
        "请先运行：salescoach team create 名称",
        "必须以 http:// 或 https:// 开头",
        "链接：https://t.me/coach_bot?start=C0DE",
        "数据库 sqlite:///coach.db 已回退到版本0001。",
        "Stage · 推进率50%",
    ],
)
def test_the_detector_passes_chinese_spaced_as_a_reader_expects(text: str) -> None:
    assert spacing_problems(text) == []
    assert punctuation_problems(text) == []


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("我们和 Acme 的整体合作", ["和 Acme 的"]),
        ("和 Acme <Trucks> & Co 的拜访", ["和 Acme <Trucks> & Co 的"]),
        ("拜访 准备", ["访 准"]),
        ("近 7 天", ["近 7 天"]),
        ("截止 2026-12-02", ["止 2"]),
        ("共 3", ["共 3"]),
        ("邀请 #4 已被使用", ["请 #4 已"]),
        ("团队提问的 SPIN 结构", ["的 SPIN 结"]),
    ],
)
def test_the_detector_finds_spaces_a_reader_would_not_write(text: str, found: list[str]) -> None:
    assert spacing_problems(text) == found


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("导出时间: 11-30", ["间: "]),
        ("(未参加)", ["(未", "加)"]),
        ("真的吗?", ["吗?"]),
        ("背景,难点", ["景,难"]),
        ("（或 S: P: I: N:）", ["N:）"]),
    ],
)
def test_the_detector_finds_ascii_punctuation_beside_chinese(text: str, found: list[str]) -> None:
    assert punctuation_problems(text) == found


def test_what_a_placeholder_filled_in_keeps_its_own_punctuation() -> None:
    assert punctuation_problems("问题：Goals?（计划外）") == ["s?（"]
    assert punctuation_problems("问题：Goals?（计划外）", filled=("Goals?",)) == []


def test_the_detector_finds_ta_but_not_qita() -> None:
    assert pronouns("先帮他解决一个问题") == ["先帮他解决一个"]
    assert pronouns("她的意见") == ["她的意见"]
    assert pronouns("其他部门和其他人") == []


def test_the_second_sweep_names_people_and_labels_in_chinese_and_keeps_ids() -> None:
    sample = {"account": "Acme", "people": [("Wang", "East")], "status": "done", "count": 3}
    assert _in_chinese(sample) == {
        "account": "星河",
        "people": [("星河", "星河")],
        "status": "done",
        "count": 3,
    }
