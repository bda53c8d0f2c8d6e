"""Every screen fits a phone: at most 20 lines at 45 columns, the call plan at most 30.

A Chinese character takes two columns. The call plan puts what matters first (the objective,
the people and the gaps, then the questions); what does not fit is one "More" away, and every
page of it fits too. Nothing is lost to the paging: every planned question is on some page.
The long cases are built here too: a 10,000-character answer in the transcript (split over
pages, never cut), twelve people at a visit (the record shows who changed, '👥 People' shows
everyone), fifteen next steps and fifteen planned visits (eight buttons a page, "More ▸"), an
account card of twelve people (paged). A list's buttons count as lines: a row each.
"""

from __future__ import annotations

from datetime import time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import Session, select

from bot import records, reminders
from bot.domain import ObjectiveMet, Outcome, Role, Speaker, VisitStatus
from bot.engine.events import Tap
from bot.engine.pages import screen_lines, split_pages
from bot.storage import repo
from bot.storage.drafts import CorrectionDraft
from bot.storage.models import CoachingComment, SpinItem, User, Visit
from bot.text import plain
from tests.conftest import START
from tests.engine.chat import Chat, add_user, at_step, play
from tests.engine.records import another_debrief
from tests.engine.scripts import SCRIPTS, say, tap, until

SCREEN = 20
CALL_PLAN = 30


def _lines_of_every_reply(chat: Chat, steps) -> list[tuple[int, str]]:
    """Play `steps`, noting each reply's length and first line."""
    seen = []
    for step in steps:
        kind, argument = step
        if getattr(step, "only_there", False) and at_step(chat) != step.at:
            continue
        if kind == "cmd":
            replies = chat.command(argument)
        elif kind == "say":
            replies = chat.say(argument)
        else:
            replies = chat.tap(argument)
        seen += [(screen_lines(reply.text), reply.text.split("\n", 1)[0]) for reply in replies]
    return seen


@pytest.mark.parametrize("language", ["en", "zh"])
def test_every_screen_of_a_prep_and_a_debrief_fits_a_phone(request, language) -> None:
    chat = request.getfixturevalue(f"rep_{language}")
    prep, debrief = SCRIPTS[language]
    seen = _lines_of_every_reply(chat, prep + debrief)
    too_long = [
        (lines, first)
        for lines, first in seen
        if lines > (CALL_PLAN if first.startswith("📋") else SCREEN)
    ]
    assert too_long == []


@pytest.mark.parametrize("language", ["en", "zh"])
def test_a_long_call_plan_is_paged_and_every_question_is_on_a_page(
    request, language, database
) -> None:
    chat = request.getfixturevalue(f"rep_{language}")
    prep, _ = SCRIPTS[language]
    _lines_of_every_reply(chat, prep)
    pages = [chat.last[-1]]
    while more := [b for b in pages[-1].all_buttons() if "More" in b.label or "更多" in b.label]:
        assert more[0].value.startswith("m.plan:")
        pages.append(chat.send(Tap(more[0].value))[-1])
    assert len(pages) >= 2, "the scripted plan is longer than a screen"
    assert screen_lines(pages[0].text) <= CALL_PLAN
    assert all(screen_lines(page.text) <= SCREEN for page in pages[1:])
    assert pages[1].text.split("\n", 1)[0].endswith(f"· 2/{len(pages)}"), "the title, numbered"
    shown = "\n".join(plain(page.text) for page in pages)
    heading = {"en": "Stage actions", "zh": "阶段动作"}[language]
    assert shown.count(heading) == 1, "every section on some page, once"
    titles = [page.text.split("\n", 1)[0] for page in pages[1:]]
    body = [line for page in pages for line in page.text.split("\n") if line not in titles]
    assert len(body) == len(set(body)), "no line shown twice"
    with Session(database) as session:
        planned = session.exec(select(SpinItem.question)).all()
    assert planned and all(question in shown for question in planned)


@pytest.mark.parametrize("language", ["en", "zh"])
def test_the_managers_record_is_one_screen_and_its_questions_pages_fit_too(
    request, language, database, team_id, make_engine_for
) -> None:
    chat = request.getfixturevalue(f"rep_{language}")
    prep, debrief = SCRIPTS[language]
    _lines_of_every_reply(chat, prep + debrief)
    manager = _reviewing(chat, language, database, team_id, make_engine_for)
    assert screen_lines(manager.last[-1].text) <= SCREEN
    manager.tap({"en": "Questions", "zh": "提问"}[language])
    pages = [manager.last[-1].text]
    while "·" in pages[-1].split("\n", 1)[0] and at_step(manager) == "questions_page":
        manager.tap({"en": "Continue", "zh": "继续"}[language])
        pages.append(manager.last[-1].text)
    assert all(screen_lines(page) <= SCREEN for page in pages)


def test_an_old_more_button_tapped_mid_debrief_shows_the_page_and_keeps_the_debrief(
    rep_en,
) -> None:
    prep, _ = SCRIPTS["en"]
    _lines_of_every_reply(rep_en, prep)
    [more] = [b for b in rep_en.last[-1].all_buttons() if "More" in b.label]
    rep_en.command("debrief")
    rep_en.tap("Huadong")
    rep_en.tap("Yes")
    assert at_step(rep_en) == "outcome"
    replies = rep_en.send(Tap(more.value))
    assert "Call plan · Huadong Heavy Truck · 2/" in plain(replies[0].text)
    assert at_step(rep_en) == "outcome", "the debrief goes on where it was"
    assert "closed your unfinished" not in rep_en.text


def test_the_plan_is_shown_again_by_plan_and_refused_for_another_reps_visit(
    rep_en, database, team_id, make_engine_for
) -> None:
    prep, _ = SCRIPTS["en"]
    _lines_of_every_reply(rep_en, prep)
    rep_en.command("plan")  # the next planned visit
    assert "Call plan · Huadong Heavy Truck" in rep_en.text
    other = Chat(make_engine_for(), add_user(database, team_id, name="bob", language="en"))
    other.command("plan", "1:2")
    assert "no plan of yours to show" in other.text
    assert "Huadong" not in other.text


def test_pages_are_cut_between_lines_and_later_ones_repeat_the_title() -> None:
    text = "<b>Title</b>\n" + "\n".join(f"line {n}" for n in range(1, 8))
    pages = split_pages(text, first=4, rest=3)
    assert pages[0] == "<b>Title</b>\nline 1\nline 2\nline 3"
    assert pages[1].startswith("<b>Title</b> · 2/")
    assert [line for page in pages for line in page.split("\n")[1:]] == [
        f"line {n}" for n in range(1, 8)
    ]
    assert all(screen_lines(page) <= 4 for page in pages)


def test_a_heading_is_never_the_last_line_of_a_page() -> None:
    text = "T\na\nb\n<b>Section</b>\nc\nd"
    pages = split_pages(text, first=4, rest=4)
    assert pages[0] == "T\na\nb"
    assert pages[1].split("\n")[1:] == ["<b>Section</b>", "c", "d"]


def test_a_block_too_long_for_what_is_left_of_the_first_page_is_not_left_for_the_next() -> None:
    text = "T\n\n" + "\n".join(f"line {n}" for n in range(19)) + "\n\n" + "b 1\nb 2"
    pages = split_pages(text, first=20, rest=20, blocks=True)
    assert pages[0].split("\n")[2:4] == ["line 0", "line 1"], "the first page is not just a title"
    assert pages[1].split("\n")[1:] == ["line 18", "", "b 1", "b 2"]


def test_a_chinese_character_takes_two_columns() -> None:
    assert screen_lines("这" * 22) == 1
    assert screen_lines("这" * 23) == 2
    assert screen_lines("a" * 45 + "\n" + "b") == 2


LONG_ANSWER = " ".join(f"word{n:04d}" for n in range(1112))[:10_000]  # 10,000 characters typed


def _with_a_long_answer(debrief: list) -> list:
    """The debrief with a 10,000-character answer typed (and refused as too long) first."""
    at = next(index for index, step in enumerate(debrief) if step.at == "needs")
    return [*debrief[:at], say(LONG_ANSWER, at="needs"), *debrief[at:]]


def _reviewing(chat: Chat, language: str, database, team_id, make_engine_for) -> Chat:
    """A manager at the record of the rep's visit."""
    manager = Chat(
        make_engine_for(),
        add_user(database, team_id, name="max", language=language, role=Role.MANAGER),
    )
    manager.command("review")
    manager.say({"en": "alice", "zh": "zhangwei"}[language])
    manager.tap({"en": "Huadong", "zh": "华东"}[language])
    return manager


def _read_pages(manager: Chat, button: str, language: str) -> list[str]:
    """Tap `button` and Continue until back at the record: the text of every page."""
    manager.tap(button)
    pages = [manager.last[-1].text]
    while not plain(manager.last[-1].text).startswith("📄"):
        manager.tap({"en": "Continue", "zh": "继续"}[language])
        pages.append(manager.last[-1].text)
    return pages[:-1]


def _transcript_text(pages: list[str]) -> str:
    """What the pages say, a message that goes on over pages ("👤 …") joined back."""
    said = ""
    for page in pages:
        for line in plain(page).split("\n")[1:]:
            if line[:3] in ("👤 …", "🤖 …"):
                said += line[3:]
            else:
                said += "\n" + line
    return said


@pytest.mark.parametrize("language", ["en", "zh"])
def test_transcript_pages_fit_a_phone_and_a_very_long_answer_goes_on_over_pages(
    request, language, database, team_id, make_engine_for
) -> None:
    chat = request.getfixturevalue(f"rep_{language}")
    prep, debrief = SCRIPTS[language]
    play(chat, prep + _with_a_long_answer(debrief))
    manager = _reviewing(chat, language, database, team_id, make_engine_for)
    pages = _read_pages(manager, {"en": "Transcript", "zh": "记录"}[language], language)
    assert len(pages) > 10
    assert [screen_lines(page) for page in pages if screen_lines(page) > SCREEN] == []
    said = _transcript_text(pages)
    assert LONG_ANSWER in said, "split over pages, not cut off"
    with Session(database) as session:
        visit = session.exec(select(Visit)).one()
        lines = [line for line, _ in repo.visit_transcript(session=session, visit_id=visit.id)]
    assert len(lines) > 100

    def bare(text: str) -> str:  # where a page breaks a message between its lines
        return "".join(text.split())

    shown = [line.text if line.speaker == Speaker.USER else plain(line.text) for line in lines]
    assert [text[:40] for text in shown if bare(text) not in bare(said)] == []


MORE_PEOPLE = {
    "en": [
        "Sun Li",
        "Zhou Min",
        "Wu Gang",
        "Tang Bo",
        "Feng Tao",
        "He Ping",
        "Gao Yuan",
        "Ma Lin",
    ],
    "zh": ["孙立", "周敏", "吴刚", "郑华", "冯涛", "何平", "徐静", "马林"],
}
WORDS = {
    "en": {
        "done": "Done",
        "stance": "Stance",
        "supporter": "Supporter",
        "absent": "Did not attend",
        "closer": "Relationship stage",
        "familiar": "Familiar",
        "evidence": "We had lunch together and he showed us round the workshop",
    },
    "zh": {
        "done": "完成",
        "stance": "立场",
        "supporter": "支持者",
        "absent": "未参加",
        "closer": "关系阶段",
        "familiar": "熟悉",
        "evidence": "一起吃了午饭，他还带我们参观了车间和仓库",
    },
}


def _with_many_people(language: str) -> tuple[list, list]:
    """The scripted prep and debrief with eight more attendees (ten, and two met there): the
    extra ones' profiles left open; in the debrief the first two closer (familiar, with what
    shows it), the next five supporters now, the last did not attend."""
    prep, debrief = SCRIPTS[language]
    words = WORDS[language]
    added = len(until(prep, "attendees", taken=2))
    prep = [*prep[:added], *(say(name, at="attendees") for name in MORE_PEOPLE[language])]
    prep += SCRIPTS[language][0][added:]
    profiled = len(until(prep, "objective_best"))
    prep[profiled:profiled] = [tap(words["done"], at="profile", only_there=True)] * 9
    closer = [
        tap(words["closer"], at="changes"),
        tap(words["done"], at="changes"),
        tap(words["familiar"], at="stage"),
        say(words["evidence"], at="evidence"),
    ]
    supporter = [
        tap(words["stance"], at="changes"),
        tap(words["done"], at="changes"),
        tap(words["supporter"], at="stance"),
    ]
    absent = [tap(words["absent"], at="changes"), tap(words["done"], at="changes")]
    changed = closer * 2 + supporter * 5 + absent
    rest = len(until(debrief, "newcomer_role"))
    return prep, [*debrief[:rest], *changed, *debrief[rest:]]


@pytest.mark.parametrize("language", ["en", "zh"])
def test_a_record_with_twelve_people_is_one_screen_and_everyone_is_on_the_people_pages(
    request, language, database, team_id, make_engine_for
) -> None:
    chat = request.getfixturevalue(f"rep_{language}")
    prep, debrief = _with_many_people(language)
    seen = _lines_of_every_reply(chat, prep + debrief)
    assert [s for s in seen if s[0] > (CALL_PLAN if s[1].startswith("📋") else SCREEN)] == []
    manager = _reviewing(chat, language, database, team_id, make_engine_for)
    record = manager.last[-1].text
    assert screen_lines(record) <= SCREEN
    absent = {"en": "Ma Lin: ? (did not attend)", "zh": "马林：？（未参加）"}[language]
    assert {"en": "(was: Supporter)", "zh": "原为：支持者"}[language] in plain(record)
    unchanged = {"en": "Zhao Zong", "zh": "赵总"}[language]
    assert unchanged not in plain(record), "who changed, moved or stayed away comes first"
    hidden = 12 - plain(record).count("👤")
    assert {"en": f"+{hidden} more people", "zh": f"另有{hidden}人"}[language] in plain(record)
    pages = _read_pages(manager, {"en": "People", "zh": "人员"}[language], language)
    assert all(screen_lines(page) <= SCREEN for page in pages)
    met = "\n".join(plain(page) for page in pages)
    everyone = ["Wang Gong", "Zhao Zong", "Liu Jingli", "Chen Shifu", *MORE_PEOPLE["en"]]
    if language == "zh":
        everyone = ["王总工", "赵总", "刘经理", "陈师傅", *MORE_PEOPLE["zh"]]
    assert [name for name in everyone if f"👤 {name}" not in met] == []
    assert absent in met
    assert met.count(WORDS[language]["evidence"]) == 2, "and their stage moves"


def _rows_on_screen(reply) -> int:
    """A reply's height on a phone: its lines and, below them, a row per line of buttons."""
    return screen_lines(reply.text) + len(reply.buttons)


def _every_page_of_the_list(chat: Chat, command: str, more: str) -> list:
    """`/command`, then "More ▸" until the first page comes back: each page's reply."""
    pages = [chat.command(command)[-1]]
    while len(pages) < 10:
        chat.tap(more)
        if chat.last[-1].all_buttons()[0].label == pages[0].all_buttons()[0].label:
            return pages
        pages.append(chat.last[-1])
    raise AssertionError("More ▸ never came back to the first page")


def _more_steps(database, rep_id: int, count: int) -> None:
    """`count` more debriefed visits at the scripted account, each with a dated next step."""
    for number in range(1, count + 1):
        another_debrief(
            database,
            at=START + timedelta(hours=number),
            rep_id=rep_id,
            next_step=f"Step {number:02d}",
            next_step_due=(START + timedelta(days=number)).date(),
        )


@pytest.mark.parametrize("language", ["en", "zh"])
def test_next_with_fifteen_open_steps_pages_them_and_every_one_can_be_opened(
    request, language, database
) -> None:
    chat = request.getfixturevalue(f"rep_{language}")
    play(chat, [step for script in SCRIPTS[language] for step in script])
    _more_steps(database, chat.user_id, 14)
    more = {"en": "More", "zh": "更多"}[language]
    pages = _every_page_of_the_list(chat, "next", more)
    assert len(pages) == 2
    assert [_rows_on_screen(page) for page in pages if _rows_on_screen(page) > SCREEN] == []
    assert {"en": "15 open", "zh": "15项待办"}[language] in plain(pages[0].text)
    labels = [button.label for page in pages for button in page.all_buttons()]
    steps = [f"Step {number:02d}" for number in range(1, 15)]
    assert [step for step in steps if not any(step in label for label in labels)] == []
    assert any("参观无锡工厂" in label or "Wuxi" in label for label in labels)
    chat.tap(more)
    chat.tap("Step 14")  # on the second page
    assert "Step 14" in chat.text


@pytest.mark.parametrize("language", ["en", "zh"])
def test_visits_with_fifteen_planned_pages_them_and_every_one_can_be_opened(
    request, language, database
) -> None:
    chat = request.getfixturevalue(f"rep_{language}")
    play(chat, SCRIPTS[language][0])
    with Session(database) as session:
        visit = session.exec(select(Visit)).one()
        for number in range(1, 15):
            session.add(
                Visit(
                    account_id=visit.account_id,
                    rep_id=visit.rep_id,
                    team_id=visit.team_id,
                    planned_at=START + timedelta(days=2, hours=number),
                    status=VisitStatus.PLANNED,
                )
            )
        session.commit()
    more = {"en": "More", "zh": "更多"}[language]
    pages = _every_page_of_the_list(chat, "visits", more)
    assert len(pages) == 2
    assert [_rows_on_screen(page) for page in pages if _rows_on_screen(page) > SCREEN] == []
    labels = [button.label for page in pages for button in page.all_buttons()]
    assert len([label for label in labels if "Huadong" in label or "华东" in label]) == 15
    chat.tap(more)
    chat.send(Tap(chat.last[-1].all_buttons()[0].value))
    assert at_step(chat) == "action", "a visit on the second page opens"


@pytest.mark.parametrize("language", ["en", "zh"])
def test_an_account_card_with_twelve_people_is_paged_and_everyone_is_on_a_page(
    request, language, database
) -> None:
    chat = request.getfixturevalue(f"rep_{language}")
    prep, debrief = _with_many_people(language)
    play(chat, prep + debrief)
    _more_steps(database, chat.user_id, 14)
    chat.command("accounts")
    chat.tap({"en": "Huadong", "zh": "华东"}[language])
    pages = [chat.last[-1]]
    while more := [b for b in pages[-1].all_buttons() if "More" in b.label or "更多" in b.label]:
        assert more[0].value.startswith("m.accounts:")
        pages.append(chat.send(Tap(more[0].value))[-1])
    assert len(pages) >= 2
    assert [_rows_on_screen(page) for page in pages if _rows_on_screen(page) > SCREEN] == []
    assert plain(pages[1].text).split("\n", 1)[0].endswith(f"· 2/{len(pages)}")
    shown = "\n".join(plain(page.text) for page in pages)
    people = ["Wang Gong", "Zhao Zong", "Liu Jingli", "Chen Shifu", *MORE_PEOPLE["en"]]
    if language == "zh":
        people = ["王总工", "赵总", "刘经理", "陈师傅", *MORE_PEOPLE["zh"]]
    assert [name for name in people if name not in shown] == []
    steps = ["Step 14", "Step 11", {"en": "Wuxi plant", "zh": "参观无锡工厂"}[language]]
    assert [step for step in steps if step not in shown] == [], "the visits and steps too"


@pytest.mark.parametrize("language", ["en", "zh"])
def test_a_comment_thread_shows_the_record_in_brief_and_the_comments_on_one_screen(
    request, language, database, team_id, make_engine_for
) -> None:
    chat = request.getfixturevalue(f"rep_{language}")
    play(chat, [step for script in SCRIPTS[language] for step in script])
    manager = _reviewing(chat, language, database, team_id, make_engine_for)
    manager.tap({"en": "Comment", "zh": "写评语"}[language])
    manager.say("Good implication question. Next time add a need-payoff one.")
    with Session(database) as session:
        visit = session.exec(select(Visit)).one()
    chat.command("thread", str(visit.id))
    thread = chat.last[-1].text
    assert screen_lines(thread) <= SCREEN
    assert "💬 max" in plain(thread) and "Next time add a need-payoff one." in plain(thread)
    assert {"en": "Huadong Heavy Truck", "zh": "华东重卡"}[language] in plain(thread)


def test_a_line_of_plain_words_longer_than_a_page_goes_on_over_pages_and_markup_stays_whole() -> (
    None
):
    words = " ".join(f"w{n:03d}" for n in range(400))  # 45 lines at 45 columns
    text = f"<b>Title</b>\nfirst\n💬 max: {words} &lt;b&gt;\n<b>{'x' * 100}</b>\nlast"
    pages = split_pages(text, first=20, rest=20)
    assert [screen_lines(page) for page in pages if screen_lines(page) > 20] == []
    said = "\n".join(page.split("\n", 1)[1] for page in pages).replace("\n…", "")
    assert f"💬 max: {words} &lt;b&gt;" in said, "nothing cut off, the entity whole"
    assert f"<b>{'x' * 100}</b>" in said, "a line with markup is never cut"
    assert pages[1].startswith("<b>Title</b> · 2/")


# --- a record with a long thread and many corrections --------------------------------------

LONG_COMMENT = " ".join(f"point{n:03d}" for n in range(500))[:3000]  # about 70 lines
THREAD = {
    "en": ["Good implication question.", "Thanks, I'll add a need-payoff one.", LONG_COMMENT],
    "zh": ["暗示问题问得好。", "谢谢，下次加一个需求效益问题。", LONG_COMMENT],
}
CORRECTED = {
    "en": {
        "summary": "They want a trial at the Wuxi plant first; " * 12,
        "implied_needs": "Less downtime on the line",
        "explicit_needs": "A trial of twenty units before the budget is set",
        "next_step": "Send the trial proposal to Wang Gong and copy Zhao Zong",
    },
    "zh": {
        "summary": "他们想先在无锡工厂试用，" * 12,
        "implied_needs": "减少产线停机",
        "explicit_needs": "定预算前先试用二十台",
        "next_step": "把试用方案发给王总工，抄送赵总",
    },
}


def _long_thread(database, rep_id: int, manager_id: int, language: str, clock) -> list[str]:
    """The rep corrects four fields; then nine comments, the last one 3,000 characters."""
    with Session(database) as session:
        visit = session.exec(select(Visit)).one()
        rep, manager = session.get(User, rep_id), session.get(User, manager_id)
        draft = CorrectionDraft(
            visit_id=visit.id,
            outcome=Outcome.CONTINUATION,
            objective_met=ObjectiveMet.NEITHER,
            **CORRECTED[language],
        )
        records.correct_debrief(session=session, draft=draft, rep=rep, now=clock.now)
        said = [*THREAD[language][:2] * 4, THREAD[language][2]]
        for number, text in enumerate(said):
            author = manager if number % 2 == 0 else rep
            at = clock.now + timedelta(minutes=number)
            records.add_comment(session=session, visit=visit, author=author, text=text, now=at)
        session.commit()
        return said


def _every_record_page(manager: Chat, language: str) -> list[str]:
    """Tap "More" at the record and Continue through its pages, back to the record."""
    pages = [manager.last[-1].text]
    manager.tap({"en": "More", "zh": "更多"}[language])
    while any({"en": "Continue", "zh": "继续"}[language] in label for label in manager.labels):
        pages.append(manager.last[-1].text)
        manager.tap({"en": "Continue", "zh": "继续"}[language])
    return pages


def _read(pages: list[str]) -> str:
    """What pages say below their titles, a line that goes on over pages ("…") joined back."""
    return "\n".join(plain(page).split("\n", 1)[1] for page in pages).replace("\n…", "")


@pytest.mark.parametrize("language", ["en", "zh"])
def test_a_record_with_twelve_people_corrections_and_a_long_thread_is_read_in_pages(
    request, language, database, team_id, make_engine_for, clock
) -> None:
    chat = request.getfixturevalue(f"rep_{language}")
    play(chat, [step for script in _with_many_people(language) for step in script])
    manager = _reviewing(chat, language, database, team_id, make_engine_for)
    said = _long_thread(database, chat.user_id, manager.user_id, language, clock)
    manager.command("review")
    manager.say({"en": "alice", "zh": "zhangwei"}[language])
    manager.tap({"en": "Huadong", "zh": "华东"}[language])
    assert screen_lines(manager.last[-1].text) <= SCREEN
    assert {"en": "Continuation", "zh": "继续联系"}[language] in plain(manager.last[-1].text)
    pages = _every_record_page(manager, language)
    assert len(pages) > 3
    assert [screen_lines(page) for page in pages if screen_lines(page) > SCREEN] == []
    assert plain(manager.last[-1].text) == plain(pages[0]), "back at the record's first page"
    assert all(plain(page).startswith(plain(pages[0]).split("\n")[0]) for page in pages)
    read = _read(pages)
    opens = {"en": "): ", "zh": "）："}[language]  # where a comment's words begin
    assert [text for text in said if f"{opens}{text}" not in read] == [], "every comment, in full"
    assert read.count("✏️") == 5, "outcome, summary, both needs and the next step"
    assert CORRECTED[language]["summary"].strip() in read
    manager.tap({"en": "Comment", "zh": "写评语"}[language])
    manager.say("Read it all.")
    assert {"en": "Comment sent", "zh": "评语已发送"}[language] in manager.text


@pytest.mark.parametrize("language", ["en", "zh"])
def test_a_long_thread_shows_the_newest_comments_and_all_comments_are_an_aside_beside_the_reply(
    request, language, database, team_id, make_engine_for, clock, texts
) -> None:
    chat = request.getfixturevalue(f"rep_{language}")
    play(chat, [step for script in SCRIPTS[language] for step in script])
    manager = _reviewing(chat, language, database, team_id, make_engine_for)
    said = _long_thread(database, chat.user_id, manager.user_id, language, clock)
    with Session(database) as session:
        visit_id = session.exec(select(Visit)).one().id
        rep = session.get(User, chat.user_id)
        rep.telegram_id = 4242  # notices go to Telegram
        session.add(rep)
        session.commit()
    zone = ZoneInfo("Asia/Shanghai")
    notices = reminders.due_messages(
        db=database,
        now=clock.now + timedelta(hours=1),
        worker="w",
        texts=texts,
        zone=zone,
        at=time(23, 59),
    )
    assert len(notices) == 5, "the manager's five comments"
    assert [n for n in notices if screen_lines(n.reply.text) > SCREEN] == []
    assert plain(notices[-1].reply.text).endswith("…"), "the long one cut; all of it is a tap away"
    chat.command("thread", str(visit_id))
    thread = chat.last[-1].text
    assert screen_lines(thread) <= SCREEN
    assert {"en": "(+8 earlier)", "zh": "（另有8条较早的）"}[language] in plain(thread)
    assert LONG_COMMENT[:200] in plain(thread) and LONG_COMMENT not in plain(thread)
    everything = {"en": "All comments (9)", "zh": "全部评语（9）"}[language]
    skip = {"en": "Skip", "zh": "跳过"}[language]
    [link] = [label for label in chat.labels if everything in label]
    [skipping] = [label for label in chat.labels if skip in label]
    assert chat.labels.index(link) < chat.labels.index(skipping), "above the navigation row"
    chat.tap(everything)
    assert at_step(chat) == "reply", "the reply waits where it was"
    pages = []
    for _ in range(10):
        pages.append(chat.last[0].text)
        assert plain(chat.last[-1].text) == plain(thread), "then the reply's screen again"
        word = {"en": "More", "zh": "更多"}[language]
        more = [b for b in chat.last[0].all_buttons() if word in b.label]
        if not more:
            break
        chat.send(Tap(more[0].value))
    assert len(pages) > 3
    assert [screen_lines(page) for page in pages if screen_lines(page) > SCREEN] == []
    read = _read(pages)
    opens = {"en": "): ", "zh": "）："}[language]  # where a comment's words begin
    assert [text for text in said if f"{opens}{text}" not in read] == [], "every comment, in full"
    chat.say("Will do.")
    assert {"en": "Reply sent.", "zh": "回复已发送。"}[language] in chat.text
    with Session(database) as session:
        last = session.exec(select(CoachingComment).order_by(CoachingComment.id.desc())).first()
        assert last.text == "Will do."
