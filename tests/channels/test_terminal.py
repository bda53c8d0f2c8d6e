"""The terminal chat runs the same flows: numbered choices, typed text, slash commands."""

from __future__ import annotations

import io
import queue
import signal
import subprocess
import sys
import threading
from pathlib import Path

from sqlmodel import Session, select

from bot.channels.terminal.chat import TerminalChat
from bot.domain import Outcome, VisitStatus
from bot.storage import db
from bot.storage.models import Account, Debrief, FlowState, User, Visit
from tests.engine.chat import Chat, add_user, play
from tests.engine.scripts import SCRIPTS, until


def test_numbers_pick_the_numbered_choice_and_text_is_typed(
    make_engine_for, database, team_id
) -> None:
    user_id = add_user(database, team_id, name="alice", language="en")
    output = io.StringIO()
    chat = TerminalChat(make_engine_for(), user_id=user_id, output=output)
    chat.run(["1", "ACME", "1", "/cancel", "/quit", "/prep"])
    screen = output.getvalue()
    assert "[1] 📋 Prepare a visit" in screen
    assert "Which account are you visiting?" in screen
    assert "[1] ➕ Create “ACME”" in screen
    assert "About ACME: tap what you know" in screen
    assert "Cancelled." in screen
    assert "<b>" not in screen and "&amp;" not in screen
    after_cancel = screen.split("Cancelled.", 1)[1]
    assert "Which account" not in after_cancel, "nothing after /quit is read"


def test_a_crash_inside_the_engine_is_answered_and_the_chat_goes_on(
    make_engine_for, database, team_id, monkeypatch
) -> None:
    user_id = add_user(database, team_id, name="alice", language="en")
    engine = make_engine_for()
    original = engine.handle
    calls = {"n": 0}

    def flaky(**kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("database went away")
        return original(**kwargs)

    monkeypatch.setattr(engine, "handle", flaky)
    output = io.StringIO()
    TerminalChat(engine, user_id=user_id, output=output).run(["/prep", "ACME", "ACME"])
    screen = output.getvalue()
    assert "something went wrong on my side" in screen
    assert "Nothing matches “ACME”" in screen


def _demo_chat(tmp_path: Path, typed: str) -> subprocess.CompletedProcess[str]:
    """`salescoach chat --demo` as a newcomer types into it, in English, in `tmp_path`."""
    return subprocess.run(
        [
            str(Path(sys.executable).with_name("salescoach")),
            "chat",
            "--demo",
            "--user",
            "newcomer",
        ],
        input=typed,
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=False,
        env={"PATH": "", "SALESCOACH_DEFAULT_LANGUAGE": "en", "HOME": str(tmp_path)},
    )


def test_a_newcomer_prepares_and_debriefs_in_the_terminal_and_sees_it_on_the_card(
    tmp_path: Path,
) -> None:
    typed = (
        "\n".join(
            [
                "/prep",
                "Huadong",  # typed: part of a name is offered, not taken
                "1",  # the offered demo account
                "Done",  # Zhao and Wang attend, as last time
                "Zhao approves a five-truck pilot",
                "Zhao confirms the reference visit date",  # the minimum, a second line
                "",
                "Done",
                "skip",  # keep the proposed questions, no own ones
                "skip",  # worksheet left empty
                "tomorrow 10:00",
                "/debrief",
                "tomorrow 10:00",  # the visit just planned, by its day and time
                "yes",  # it is still ahead: yes, it has happened
                "best",  # the best planned: an advance ("advance" alone asks which one)
                "Done",
                "skip",  # no other questions
                "skip",  # no needs noted
                "no changes",  # for either person
                "1",  # the sale is still at its stage
                "Pilot agreement draft",
                "next wed",
                "/accounts",
                "Huadong",
                "1",
                "1",  # More ▸ 2/2: the card is longer than a phone's screen
            ]
        )
        + "\n"
    )
    result = _demo_chat(tmp_path, typed)
    assert result.returncode == 0, result.stderr
    screen = result.stdout
    assert "Call plan · Huadong Heavy Truck Group" in screen
    assert "Saved: Huadong Heavy Truck Group · Advance" in screen
    card = "".join(screen.split("🏢")[-2:])  # its two pages
    assert "Advance: Zhao approves a five-truck pilot" in card
    assert "• Pilot agreement draft (2026-" in card or "• Pilot agreement draft (20" in card
    url = f"sqlite:///{tmp_path / 'salescoach.db'}"
    engine = db.make_engine(url)
    with Session(engine) as session:
        account = session.exec(
            select(Account).where(Account.name == "Huadong Heavy Truck Group")
        ).one()
        visits = session.exec(select(Visit).where(Visit.account_id == account.id)).all()
        mine = [v for v in visits if v.objective_best == "Zhao approves a five-truck pilot"]
        assert [v.status for v in mine] == [VisitStatus.DONE]
        debrief = session.exec(select(Debrief).where(Debrief.visit_id == mine[0].id)).one()
        assert (debrief.outcome, debrief.next_step) == (Outcome.ADVANCE, "Pilot agreement draft")
    engine.dispose()


def test_a_file_from_the_coach_is_written_next_to_the_terminal(
    make_engine_for, database, team_id, tmp_path
) -> None:
    from bot.domain import Role

    user_id = add_user(database, team_id, name="max", language="en", role=Role.MANAGER)
    output = io.StringIO()
    TerminalChat(make_engine_for(), user_id=user_id, output=output, files=tmp_path).run(
        ["/export", "CSV"]
    )
    [path] = list(tmp_path.glob("salescoach-*.csv"))
    assert f"📎 {path}" in output.getvalue()
    assert path.read_text(encoding="utf-8").startswith("visit_id,team,rep,account")


def test_a_manager_tries_stats_in_the_terminal_and_gets_the_chart_as_a_file(
    tmp_path: Path,
) -> None:
    script = Path(sys.executable).with_name("salescoach")
    environment = {"PATH": "", "SALESCOACH_DEFAULT_LANGUAGE": "en", "HOME": str(tmp_path)}

    def chat(*arguments: str, typed: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(script), "chat", *arguments],
            input=typed,
            capture_output=True,
            text=True,
            cwd=tmp_path,
            check=False,
            env=environment,
        )

    assert chat("--demo", "--user", "amy", typed="/quit\n").returncode == 0
    more = "1\n"  # More ▸
    result = chat("--user", "max", "--role", "manager", typed=f"/stats\n12 months\n{more}")
    assert result.returncode == 0, result.stderr
    assert "Team figures · last 365 days" in result.stdout
    assert "amy" in result.stdout and "Open opportunities 3" in result.stdout
    [chart] = tmp_path.glob("salescoach-stats-*.png")
    assert chart.read_bytes().startswith(b"\x89PNG")
    assert f"📎 {chart}" in result.stdout


class _Running:
    """`salescoach chat` as a person runs it: a real process, read as it prints."""

    def __init__(self, tmp_path: Path, url: str) -> None:
        self.process = subprocess.Popen(
            [str(Path(sys.executable).with_name("salescoach")), "chat", "--user", "alice"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=tmp_path,
            env={
                "PATH": "",
                "HOME": str(tmp_path),
                "SALESCOACH_DATABASE_URL": url,
                "SALESCOACH_DEFAULT_LANGUAGE": "en",
            },
        )
        self.lines: queue.Queue[str | None] = queue.Queue()
        self.screen = ""
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.put(line)
        self.lines.put(None)

    def wait_for(self, text: str) -> None:
        """Read what the coach prints until `text` appears; the timeout only stops a hang."""
        while text not in self.screen:
            line = self.lines.get(timeout=60)
            assert line is not None, f"chat ended before {text!r}:\n{self.screen}"
            self.screen += line

    def type(self, line: str) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(line + "\n")
        self.process.stdin.flush()

    def end(self) -> tuple[int, str]:
        """Wait for the process to exit; its exit code and what it wrote to stderr."""
        try:
            self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.process.kill()
            raise
        assert self.process.stderr is not None
        return self.process.returncode, self.process.stderr.read()


def _start_a_prep(chat: _Running) -> None:
    chat.wait_for("Prepare a visit")
    chat.type("/prep")
    chat.wait_for("Which account are you visiting?")
    chat.type("ACME")
    chat.wait_for("Create “ACME”")
    chat.type("1")
    chat.wait_for("About ACME: tap what you know")


def test_ctrl_c_leaves_the_chat_quietly_and_the_next_chat_resumes(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'x.db'}"
    chat = _Running(tmp_path, url)
    _start_a_prep(chat)
    chat.process.send_signal(signal.SIGINT)
    returncode, stderr = chat.end()
    assert returncode == 130, stderr
    assert "Traceback" not in stderr and "KeyboardInterrupt" not in stderr
    again = _Running(tmp_path, url)
    again.wait_for("About ACME: tap what you know")
    again.process.stdin.close()
    assert again.end()[0] == 0


def test_ctrl_d_leaves_the_chat_quietly_and_the_next_chat_resumes(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'x.db'}"
    chat = _Running(tmp_path, url)
    _start_a_prep(chat)
    chat.process.stdin.close()
    returncode, stderr = chat.end()
    assert (returncode, stderr) == (0, "")
    again = _Running(tmp_path, url)
    again.wait_for("About ACME: tap what you know")
    again.type("/quit")
    assert again.end() == (0, "")


def test_the_terminal_offers_another_line_for_several_questions(
    make_engine_for, database, team_id
) -> None:
    """Enter sends: at a question that takes several lines, one more is offered until empty."""
    user_id = add_user(database, team_id, name="alice", language="en")
    engine = make_engine_for()
    prep, _ = SCRIPTS["en"]
    play(Chat(engine, user_id), until(prep, "own_questions"))
    output = io.StringIO()
    TerminalChat(engine, user_id=user_id, output=output).run(
        ["I: What does a day of downtime cost you?", "S: How many trucks run today?", ""]
    )
    screen = output.getvalue()
    assert screen.count("＋ another line, or Enter on an empty line to send") == 2
    with Session(database) as session:
        state = session.exec(select(FlowState)).one()
    assert [
        (entry["type"], entry["text"]) for entry in state.data["answers"]["own_questions"]
    ] == [
        ("implication", "What does a day of downtime cost you?"),
        ("situation", "How many trucks run today?"),
    ]


def test_skip_at_a_several_line_question_skips_at_once(make_engine_for, database, team_id):
    user_id = add_user(database, team_id, name="alice", language="en")
    engine = make_engine_for()
    prep, _ = SCRIPTS["en"]
    play(Chat(engine, user_id), until(prep, "own_questions"))
    output = io.StringIO()
    TerminalChat(engine, user_id=user_id, output=output).run(["skip"])
    assert "＋ another line" not in output.getvalue().split("Any questions of your own?")[-1]
    with Session(database) as session:
        assert session.exec(select(FlowState)).one().data["answers"]["own_questions"] is None


def test_a_member_deactivated_while_chatting_is_refused_from_the_next_line_on(
    make_engine_for, database, team_id
) -> None:
    user_id = add_user(database, team_id, name="alice", language="en")

    def typed():
        yield "/prep"
        with Session(database) as session:
            user = session.get(User, user_id)
            user.is_active = False
            session.add(user)
            session.commit()
        yield "ACME"

    output = io.StringIO()
    TerminalChat(make_engine_for(), user_id=user_id, output=output).run(typed())
    screen = output.getvalue()
    assert "Which account are you visiting?" in screen
    assert "Create “ACME”" not in screen, "nothing of the flow after the deactivation"
    assert screen.rstrip().endswith("ask your manager for an invitation link.")


def test_in_the_terminal_a_typed_number_corrects_the_type_the_coach_read(
    make_engine_for, database, team_id
) -> None:
    user_id = add_user(database, team_id, name="alice", language="en")
    engine = make_engine_for()
    prep, _ = SCRIPTS["en"]
    play(Chat(engine, user_id), until(prep, "own_questions"))
    output = io.StringIO()
    TerminalChat(engine, user_id=user_id, output=output).run(
        ["How many trucks do you run today?", "", "1"]
    )
    screen = output.getvalue()
    assert "How many trucks do you run today? → Situation ✓" in screen
    assert "[1] Problem" in screen
    with Session(database) as session:
        state = session.exec(select(FlowState)).one()
    checked = state.data["answers"]["own_types"]
    assert list(checked["labels"].values()) == ["problem"]
    assert checked["changed"] == list(checked["labels"])
    assert state.step == "problem/1/problem"


def test_a_rep_fills_the_account_plan_and_reads_the_coaching_from_the_card_in_the_terminal(
    tmp_path: Path,
) -> None:
    typed = (
        "\n".join(
            [
                "/accounts",
                "Huadong",
                "1",
                "2",  # 📝 Account plan, under the card
                "Background",
                "Two new lines next year; they care most about cost and delivery",
                "",  # an empty line sends
                "/accounts",
                "Huadong",
                "1",
                "3",  # 💡 What this account needs now
                "/guide spin:all",
            ]
        )
        + "\n"
    )
    result = _demo_chat(tmp_path, typed)
    assert result.returncode == 0, result.stderr
    screen = result.stdout
    assert "✅ Saved." in screen
    assert "✓ Background: Two new lines next year" in screen
    assert "📝 Account plan 1/5" in screen, "the card shows the plan in brief"
    assert "💡 Coaching · Huadong Heavy Truck Group" in screen
    assert "Contact: Face to face at least monthly" in screen
    assert "💡 How to ask SPIN questions" in screen
