"""Start-up stays light: a command that draws no chart and writes no workbook never loads the
libraries that do (matplotlib with numpy under it, openpyxl), and help loads no command at all
(no database library, no dialog engine, no channel), so `salescoach --help` answers at once.
Each command runs as an operator runs it, through the installed console script; a
`sitecustomize` on PYTHONPATH writes down, as the process exits, every module it loaded.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HEAVY = {"matplotlib", "numpy", "openpyxl"}
# What only a command that runs needs: the database layer, python-telegram-bot, the coach itself.
COMMAND_ONLY = {"sqlalchemy", "sqlmodel", "alembic", "telegram", "bot.engine", "bot.flows"}
SCRIPT = Path(sys.executable).with_name("salescoach")
PROBE = """\
import atexit
import os
import sys


def _write_modules():
    with open(os.environ["MODULES_SEEN"], "w", encoding="utf-8") as seen:
        seen.write("\\n".join(sorted(sys.modules)))


atexit.register(_write_modules)
"""


def modules_loaded_by(tmp_path: Path, *arguments: str, typed: str = "") -> set[str]:
    """Every module `salescoach ARGUMENTS` loaded, with `typed` on its stdin."""
    probe = tmp_path / "probe"
    probe.mkdir(exist_ok=True)
    (probe / "sitecustomize.py").write_text(PROBE, encoding="utf-8")
    seen = tmp_path / "modules.txt"
    seen.unlink(missing_ok=True)
    result = subprocess.run(
        [str(SCRIPT), *arguments],
        input=typed,
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=False,
        env={
            "PATH": "",
            "HOME": str(tmp_path),
            "PYTHONPATH": str(probe),
            "MODULES_SEEN": str(seen),
            "SALESCOACH_DATABASE_URL": f"sqlite:///{tmp_path / 'coach.db'}",
            "SALESCOACH_DEFAULT_LANGUAGE": "en",
        },
    )
    assert result.returncode == 0, result.stdout + result.stderr
    modules = seen.read_text(encoding="utf-8").split()
    assert "bot.cli" in modules, "the probe did not see the command run"
    return set(modules)


def loaded_by(tmp_path: Path, *arguments: str, typed: str = "") -> set[str]:
    """The top-level packages `salescoach ARGUMENTS` loaded, with `typed` on its stdin."""
    return {
        module.split(".")[0] for module in modules_loaded_by(tmp_path, *arguments, typed=typed)
    }


def _packages(modules: set[str]) -> set[str]:
    """Each module and every package above it: bot.engine.runner is in bot.engine and in bot."""
    parts = [module.split(".") for module in modules]
    return {".".join(names[:end]) for names in parts for end in range(1, len(names) + 1)}


def test_help_loads_no_chart_or_spreadsheet_library(tmp_path: Path) -> None:
    assert loaded_by(tmp_path, "--help") & HEAVY == set()


def test_help_loads_no_database_library_engine_flow_or_channel(tmp_path: Path) -> None:
    for arguments in (["--help"], ["invite", "--help"], ["db", "upgrade", "--help"]):
        loaded = _packages(modules_loaded_by(tmp_path, *arguments))
        assert loaded & COMMAND_ONLY == set(), arguments
        assert not any(module.startswith("bot.commands") for module in loaded), arguments


def test_a_terminal_chat_that_draws_nothing_loads_no_chart_or_spreadsheet_library(
    tmp_path: Path,
) -> None:
    loaded = loaded_by(tmp_path, "chat", "--user", "alice", typed="/prep\n/cancel\n")
    assert "bot" in loaded and loaded & HEAVY == set()


def test_a_json_export_loads_no_spreadsheet_library_and_an_xlsx_export_does(
    tmp_path: Path,
) -> None:
    json_export = loaded_by(tmp_path, "export", "--format", "json", "--out", "visits.json")
    assert json_export & HEAVY == set()
    xlsx_export = loaded_by(tmp_path, "export", "--format", "xlsx", "--out", "visits.xlsx")
    assert "openpyxl" in xlsx_export and "matplotlib" not in xlsx_export
