"""The `salescoach` command: every subcommand has help, and the foundation commands work."""

from __future__ import annotations

import argparse
import io
import subprocess
import sys
from pathlib import Path

import pytest
from sqlmodel import Session, select

from bot.cli import build_parser, handler_of, main
from bot.commands.output import LOCALE_VARIABLES, cli_language
from bot.settings import load_settings
from bot.storage import db
from bot.storage.models import Team, User


@pytest.fixture(autouse=True)
def _no_terminal_locale(monkeypatch: pytest.MonkeyPatch) -> None:
    """The CLI follows the terminal's locale; these tests run in none, whatever the machine's."""
    for name in LOCALE_VARIABLES:
        monkeypatch.delenv(name, raising=False)


def _all_command_paths(parser: argparse.ArgumentParser, prefix: tuple[str, ...] = ()):
    yield prefix
    for action in parser._actions:  # argparse offers no public walk of its tree
        if isinstance(action, argparse._SubParsersAction):
            for name, child in action.choices.items():
                yield from _all_command_paths(child, (*prefix, name))


@pytest.mark.parametrize("path", list(_all_command_paths(build_parser())), ids=" ".join)
def test_every_subcommand_answers_help(path: tuple[str, ...], capsys) -> None:
    with pytest.raises(SystemExit) as exited:
        main([*path, "--help"])
    assert exited.value.code == 0
    assert capsys.readouterr().out.startswith(f"usage: salescoach {' '.join(path)}".rstrip())


def _leaves(parser: argparse.ArgumentParser, prefix: tuple[str, ...] = ()):
    """(path, parser) for every command that runs something: each one names a handler."""
    if parser.get_default("handler") is not None:
        yield prefix, parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, child in action.choices.items():
                yield from _leaves(child, (*prefix, name))


def test_every_command_names_a_handler_that_imports() -> None:
    leaves = dict(_leaves(build_parser()))
    assert ("db", "upgrade") in leaves and ("invite",) in leaves and ("member", "move") in leaves
    for path, parser in leaves.items():
        assert callable(handler_of(parser.get_default("handler"))), " ".join(path)


def test_the_installed_console_script_runs() -> None:
    script = Path(sys.executable).with_name("salescoach")
    result = subprocess.run([str(script), "--help"], capture_output=True, text=True, check=False)
    assert result.returncode == 0
    assert "playbooks" in result.stdout and "db" in result.stdout


def test_playbooks_check_summarises_the_shipped_playbooks_in_english(monkeypatch, capsys) -> None:
    monkeypatch.setenv("SALESCOACH_DEFAULT_LANGUAGE", "en")
    assert main(["playbooks", "check"]) == 0
    output = capsys.readouterr().out
    assert "are valid" in output
    assert "84 questions (situation 21, problem 21, implication 21, need-payoff 21)" in output
    assert "5 stances" in output and "5 contact stages, 4 account stages" in output
    assert "<b>" not in output


def test_playbooks_check_speaks_chinese_by_default(capsys) -> None:
    assert main(["playbooks", "check"]) == 0
    assert "销售手册全部有效" in capsys.readouterr().out


def test_the_cli_speaks_english_in_an_english_terminal_and_chinese_in_any_other(
    monkeypatch, capsys
) -> None:
    for locale, said in (
        ("en_US.UTF-8", "are valid"),
        ("C.UTF-8", "销售手册全部有效"),
        ("zh_CN.UTF-8", "销售手册全部有效"),
        ("fr_FR.UTF-8", "销售手册全部有效"),
    ):
        monkeypatch.setenv("LANG", locale)
        assert main(["playbooks", "check"]) == 0
        assert said in capsys.readouterr().out, locale
    monkeypatch.setenv("LANGUAGE", "zh_CN:en")  # gettext's list comes before LANG
    assert main(["playbooks", "check"]) == 0
    assert "销售手册全部有效" in capsys.readouterr().out


def test_the_language_setting_wins_over_the_terminal_even_when_another_setting_is_bad(
    monkeypatch, capsys
) -> None:
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    monkeypatch.setenv("SALESCOACH_DEFAULT_LANGUAGE", "zh")
    assert main(["playbooks", "check"]) == 0
    assert "销售手册全部有效" in capsys.readouterr().out
    monkeypatch.setenv("SALESCOACH_TIMEZONE", "Nowhere/City")
    assert main(["playbooks", "check"]) == 2
    assert "SalesCoach无法启动" in capsys.readouterr().out
    monkeypatch.setenv("SALESCOACH_DEFAULT_LANGUAGE", "en")
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    assert main(["playbooks", "check"]) == 2
    assert "SalesCoach cannot start" in capsys.readouterr().out


def test_cli_language_reads_the_setting_then_the_first_locale_variable_set() -> None:
    defaults = load_settings()
    english = load_settings(default_language="en")
    assert cli_language(defaults, {}) == "zh"
    assert cli_language(defaults, {"LANG": "en_GB.UTF-8"}) == "en"
    assert cli_language(defaults, {"LC_ALL": "C", "LANG": "en_GB.UTF-8"}) == "zh"
    assert cli_language(defaults, {"LANGUAGE": "", "LC_MESSAGES": "en_US", "LANG": "zh"}) == "en"
    assert cli_language(english, {"LANG": "zh_TW.UTF-8"}) == "en"
    assert cli_language(None, {"SALESCOACH_DEFAULT_LANGUAGE": " EN "}) == "en"
    assert cli_language(None, {"SALESCOACH_DEFAULT_LANGUAGE": "fr", "LANG": "en_US"}) == "en"


def test_playbooks_check_accepts_a_directory_argument(
    playbook_dir: Path, monkeypatch, capsys
) -> None:
    monkeypatch.setenv("SALESCOACH_DEFAULT_LANGUAGE", "en")
    (playbook_dir / "process.yaml").unlink()
    assert main(["playbooks", "check", str(playbook_dir)]) == 2
    assert "process.yaml: file missing" in capsys.readouterr().out


def test_db_upgrade_creates_the_default_database_in_the_working_directory(
    tmp_path: Path, monkeypatch, capsys
) -> None:
    monkeypatch.setenv("SALESCOACH_DEFAULT_LANGUAGE", "en")
    assert main(["db", "upgrade"]) == 0
    url = f"sqlite:///{tmp_path / 'salescoach.db'}"
    assert db.current_revision(url) == db.head_revision()
    assert f"is at revision {db.head_revision()} (was empty)" in capsys.readouterr().out
    assert main(["db", "upgrade"]) == 0
    assert "already up to date" in capsys.readouterr().out


def test_db_current_and_downgrade_report_the_revision(
    sqlite_url: str, monkeypatch, capsys
) -> None:
    monkeypatch.setenv("SALESCOACH_DATABASE_URL", sqlite_url)
    monkeypatch.setenv("SALESCOACH_DEFAULT_LANGUAGE", "en")
    assert main(["db", "current"]) == 0
    assert "up to date" in capsys.readouterr().out
    assert main(["db", "downgrade", "base"]) == 0
    assert "rolled back to revision base" in capsys.readouterr().out
    assert db.current_revision(sqlite_url) is None


def test_db_upgrade_works_on_postgresql(pg_empty_url: str, monkeypatch, capsys) -> None:
    monkeypatch.setenv("SALESCOACH_DATABASE_URL", pg_empty_url.replace("+psycopg", ""))
    assert main(["db", "upgrade"]) == 0
    assert db.current_revision(pg_empty_url) == db.head_revision()


def test_a_database_password_is_never_printed(monkeypatch, capsys) -> None:
    monkeypatch.setenv("SALESCOACH_DATABASE_URL", "postgresql://coach:hunter2@127.0.0.1:1/none")
    main(["db", "current"])
    captured = capsys.readouterr()
    assert "hunter2" not in captured.out + captured.err


def test_an_unreachable_database_gives_a_short_answer_and_exit_1(monkeypatch, capsys) -> None:
    monkeypatch.setenv("SALESCOACH_DATABASE_URL", "postgresql://coach@127.0.0.1:1/none")
    monkeypatch.setenv("SALESCOACH_DEFAULT_LANGUAGE", "en")
    assert main(["db", "current"]) == 1
    assert "Something went wrong inside SalesCoach" in capsys.readouterr().out


def test_a_bad_setting_exits_2_naming_the_variable(monkeypatch, capsys) -> None:
    monkeypatch.setenv("SALESCOACH_DEFAULT_LANGUAGE", "en")
    monkeypatch.setenv("SALESCOACH_TIMEZONE", "Nowhere/City")
    assert main(["playbooks", "check"]) == 2
    assert "SALESCOACH_TIMEZONE: unknown time zone 'Nowhere/City'" in capsys.readouterr().out


@pytest.fixture
def admin_cli(sqlite_url: str, monkeypatch, capsys):
    """`salescoach ...` on a database with teams East and West, read back as printed text."""
    monkeypatch.setenv("SALESCOACH_DATABASE_URL", sqlite_url)
    monkeypatch.setenv("SALESCOACH_DEFAULT_LANGUAGE", "en")

    def run(*argv: str, code: int = 0) -> str:
        assert main(list(argv)) == code, argv
        return capsys.readouterr().out

    run("team", "create", "East")
    run("team", "create", "West")
    return run


def _people(database_url: str, *people: tuple[str, str, str | None]) -> list[int]:
    """(name, team, handle) rows as members, as the terminal and Telegram would add them."""
    engine = db.make_engine(database_url)
    try:
        with Session(engine) as session:
            teams = {team.name: team.id for team in session.exec(select(Team)).all()}
            users = [
                User(display_name=name, team_id=teams[team], handle=handle, telegram_id=None)
                for name, team, handle in people
            ]
            session.add_all(users)
            session.commit()
            return [user.id for user in users]
    finally:
        engine.dispose()


def test_member_list_shows_id_name_team_role_status_and_joined(admin_cli, sqlite_url) -> None:
    amy, wu = _people(sqlite_url, ("Amy", "East", "amy"), ("Wu", "West", "wu"))
    listed = admin_cli("member", "list")
    assert f"#{amy}  Amy · East · rep · active · joined 20" in listed
    assert f"#{wu}  Wu · West · rep · active" in listed
    east = admin_cli("member", "list", "--team", "East")
    assert "Amy" in east and "Wu" not in east
    assert "no team named “North”" in admin_cli("member", "list", "--team", "North", code=1)


def test_member_deactivate_reactivate_role_and_move_by_name_or_id(admin_cli, sqlite_url) -> None:
    [amy] = _people(sqlite_url, ("Amy Chen", "East", "amy"))
    assert "deactivated" in admin_cli("member", "deactivate", "amy  CHEN")
    assert "deactivated" in admin_cli("member", "list")
    assert "active again" in admin_cli("member", "reactivate", str(amy))
    assert "now manager" in admin_cli("member", "role", str(amy), "manager")
    assert "moved to team “West”" in admin_cli("member", "move", "Amy Chen", "West")
    assert f"#{amy}  Amy Chen · West · manager · active" in admin_cli("member", "list")


def test_a_name_that_is_several_people_or_only_close_changes_nobody(admin_cli, sqlite_url) -> None:
    first, second = _people(sqlite_url, ("Li Na", "East", "li1"), ("Li Na", "West", "li2"))
    refused = admin_cli("member", "deactivate", "li na", code=1)
    assert f"#{first}  Li Na · East" in refused and f"#{second}  Li Na · West" in refused
    refused = admin_cli("member", "deactivate", "Li Nan", code=1)
    assert "Nobody is called “Li Nan”" in refused and f"Li Na (#{first})" in refused
    assert "deactivated" not in admin_cli("member", "list")


def test_invite_list_and_revoke_by_code_or_id_never_showing_a_code(admin_cli) -> None:
    made = admin_cli("invite", "--team", "East")
    code = made.split("code: ")[1].split()[0]
    assert "valid until" in made and "shown only now" in made
    admin_cli("invite", "--team", "West", "--role", "manager", "--expires", "1")
    listed = admin_cli("invite", "list")
    assert "#1  East · rep · created" in listed and "unused, expires" in listed
    assert "#2  West · manager" in listed and code not in listed
    assert "is revoked" in admin_cli("invite", "revoke", code)
    assert "is revoked" in admin_cli("invite", "revoke", "2")
    assert listed.count("unused") == 2
    assert admin_cli("invite", "list", "--team", "East").count("revoked") == 1
    assert "No invitation has the code" in admin_cli("invite", "revoke", "zzz", code=1)


def test_an_invitation_needs_a_team_and_a_positive_number_of_days(admin_cli, capsys) -> None:
    for argv in (["invite"], ["invite", "--team", "East", "--expires", "0"]):
        with pytest.raises(SystemExit) as exited:
            main(argv)
        assert exited.value.code == 2
    assert "--expires: expected days above 0" in capsys.readouterr().err


def test_member_and_invite_answers_speak_chinese_by_default(
    admin_cli, sqlite_url, monkeypatch
) -> None:
    monkeypatch.setenv("SALESCOACH_DEFAULT_LANGUAGE", "zh")
    [amy] = _people(sqlite_url, ("Amy", "East", "amy"))
    assert "已停用" in admin_cli("member", "deactivate", str(amy))
    assert "成员共1人" in admin_cli("member", "list")
    admin_cli("invite", "--team", "East")
    assert "未使用" in admin_cli("invite", "list")
    assert "已撤销" in admin_cli("invite", "revoke", "1")


def test_a_deactivated_handle_cannot_chat_in_the_terminal(admin_cli, sqlite_url, monkeypatch):
    [amy] = _people(sqlite_url, ("amy", "East", "amy"))
    admin_cli("member", "deactivate", "amy")
    monkeypatch.setattr("sys.stdin", io.StringIO("/accounts\n"))
    said = admin_cli("chat", "--user", "amy", code=1)
    assert "cannot use the coach" in said and f"member reactivate {amy}" in said
    assert "Which account" not in said and "What shall we do" not in said


def _spin_classify(*arguments: str, typed: str) -> subprocess.CompletedProcess[bytes]:
    """`salescoach spin classify` as a caller runs it: the installed script, bytes in and out."""
    return subprocess.run(
        [str(Path(sys.executable).with_name("salescoach")), "spin", "classify", *arguments],
        input=typed.encode("utf-8"),
        capture_output=True,
        check=False,
        timeout=120,
    )


def test_spin_classify_writes_one_type_confidence_and_question_line_per_input_line() -> None:
    lines = [
        "How many plants do you run today?",
        "",
        "这些延误对你们的客户有什么影响？",
        "Would it help if your team could see stock levels in real time?",
        "😀🙏🔥",
        "x" * 10_000,
        "我们现在用 SAP, how many users?",
        "<b>What</b> happens &amp; **when** the line stops?\tat night",
        "Thanks for your time.",
    ]
    done = _spin_classify(typed="\n".join(lines) + "\n")
    assert done.returncode == 0, done.stderr
    out = done.stdout.decode("utf-8").split("\n")
    assert out[-1] == "" and len(out) - 1 == len(lines)
    rows = [row.split("\t") for row in out[:-1]]
    assert all(len(row) == 3 and row[0] in {"S", "P", "I", "N"} for row in rows)
    assert all(len(row[1]) == 4 and 0 <= float(row[1]) <= 1 for row in rows)
    assert [row[2] for row in rows] == [line.replace("\t", " ") for line in lines]
    assert [row[0] for row in rows[:4:2]] == ["S", "I"] and rows[3][0] == "N"
    assert float(rows[1][1]) <= 0.3 and float(rows[4][1]) <= 0.3 and float(rows[8][1]) <= 0.3


def test_spin_classify_takes_a_language_and_survives_bytes_that_are_not_utf8() -> None:
    done = subprocess.run(
        [str(Path(sys.executable).with_name("salescoach")), "spin", "classify", "--lang", "en"],
        input=b"How many warehouses do you run today?\n\xff\xfe broken\nno newline at the end",
        capture_output=True,
        check=False,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    rows = done.stdout.decode("utf-8").splitlines()
    assert len(rows) == 3 and rows[0].startswith("S\t")
    assert rows[2].endswith("\tno newline at the end")


def test_spin_help_loads_neither_the_classifier_nor_numpy(tmp_path: Path) -> None:
    from tests.test_startup import modules_loaded_by

    for arguments in (["--help"], ["spin", "--help"], ["spin", "classify", "--help"]):
        loaded = modules_loaded_by(tmp_path, *arguments)
        assert not any(module.startswith("bot.coaching") for module in loaded), arguments
        assert "numpy" not in loaded and "sklearn" not in loaded, arguments
