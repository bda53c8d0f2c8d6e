"""A broken playbook is reported with its file and place, and the program will not start on it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli import main
from bot.errors import ConfigError, Problem
from bot.playbooks.loader import load_playbooks
from tests.config_problems import printed


def edit(directory: Path, filename: str, old: str, new: str, count: int = 1) -> None:
    path = directory / filename
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {filename}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def refused(directory: Path) -> ConfigError:
    with pytest.raises(ConfigError) as raised:
        load_playbooks(directory)
    return raised.value


def problems(directory: Path) -> list[str]:
    """What an English reader is shown, one line a problem."""
    return printed(refused(directory))


def test_unreadable_yaml_names_the_file_line_and_column(playbook_dir: Path) -> None:
    edit(playbook_dir, "process.yaml", "  - id: initiation\n", "  - id: initiation\n   bad: [\n")
    [problem] = problems(playbook_dir)
    assert problem.startswith("process.yaml: line ")
    assert "column" in problem


def test_a_missing_translation_names_the_key_path(playbook_dir: Path) -> None:
    edit(playbook_dir, "spin.yaml", "      zh: 现有系统在高峰期会不会跟不上？\n", "")
    [problem] = problems(playbook_dir)
    assert problem.startswith("spin.yaml: types[1].example.zh: missing (line ")


def test_a_missing_english_question_names_its_index(playbook_dir: Path) -> None:
    edit(
        playbook_dir,
        "spin.yaml",
        "      en: Which departments usually take part in a purchase like this, and how does "
        "approval work?\n",
        "",
    )
    [problem] = problems(playbook_dir)
    assert problem.startswith("spin.yaml: questions[2].text.en: missing")


def test_an_empty_text_is_refused(playbook_dir: Path) -> None:
    edit(playbook_dir, "relationship.yaml", "      zh: 陌生\n", "      zh: '  '\n")
    [problem] = problems(playbook_dir)
    assert problem.startswith("relationship.yaml: contact_stages[0].name.zh: empty text")


def test_a_duplicate_id_names_both_places(playbook_dir: Path) -> None:
    edit(playbook_dir, "spin.yaml", "  - id: s_growth_plans\n", "  - id: s_business_goals\n")
    [problem] = problems(playbook_dir)
    assert problem.startswith(
        "spin.yaml: questions[1].id: duplicate id 's_business_goals' (first at questions[0])"
    )


def test_a_duplicate_key_in_one_mapping_is_refused(playbook_dir: Path) -> None:
    edit(playbook_dir, "accounts.yaml", "  - id: core\n", "  - id: core\n    id: core2\n")
    [problem] = problems(playbook_dir)
    assert problem.startswith("accounts.yaml: line ")
    assert "duplicate key" in problem


def test_an_unknown_buying_role_tag_is_named(playbook_dir: Path) -> None:
    edit(
        playbook_dir,
        "spin.yaml",
        "roles: [decision_maker, purchaser]",
        "roles: [buyer, purchaser]",
    )
    [problem] = problems(playbook_dir)
    assert problem == (
        "spin.yaml: questions[2].roles[0]: 'buyer' is not a buying role in decision_unit.yaml"
    )


def test_an_unknown_contact_stage_tag_is_named(playbook_dir: Path) -> None:
    edit(
        playbook_dir,
        "spin.yaml",
        "contact_stages: [stranger, familiar, personal_trust]",
        "contact_stages: [stranger, acquaintance, personal_trust]",
    )
    [problem] = problems(playbook_dir)
    assert problem == (
        "spin.yaml: questions[0].contact_stages[1]: 'acquaintance' is not a contact stage "
        "in relationship.yaml"
    )


def test_an_unknown_sales_stage_tag_is_named(playbook_dir: Path) -> None:
    edit(
        playbook_dir,
        "spin.yaml",
        "sales_stages: [development, initiation, proposal]",
        "sales_stages: [development, closing, proposal]",
    )
    [problem] = problems(playbook_dir)
    assert problem == (
        "spin.yaml: questions[0].sales_stages[1]: 'closing' is not a sales stage in process.yaml"
    )


def test_an_unknown_spin_type_is_named(playbook_dir: Path) -> None:
    edit(playbook_dir, "spin.yaml", "    type: problem\n    roles:", "    type: pain\n    roles:")
    [problem] = problems(playbook_dir)
    assert problem.startswith("spin.yaml: questions[21].type: ")
    assert "'pain'" in problem


def test_a_value_of_the_wrong_type_is_named(playbook_dir: Path) -> None:
    edit(playbook_dir, "spin.yaml", "min_problems: 3", "min_problems: three")
    [problem] = problems(playbook_dir)
    assert problem.startswith("spin.yaml: worksheet.min_problems: ")
    assert "'three'" in problem


def test_plain_text_where_both_languages_belong_is_named(playbook_dir: Path) -> None:
    edit(
        playbook_dir,
        "process.yaml",
        "    milestone:\n      zh: 获得准确的项目信息：需求、时间表、预算、决策者。\n",
        "    milestone: accurate information\n    unused:\n",
    )
    found = problems(playbook_dir)
    assert found[0].startswith("process.yaml: steps[0].milestone: ")
    assert "'accurate information'" in found[0]


def test_a_misspelt_key_is_refused_instead_of_silently_ignored(playbook_dir: Path) -> None:
    edit(playbook_dir, "relationship.yaml", "    actions:\n", "    acitons:\n")
    found = problems(playbook_dir)
    assert "relationship.yaml: contact_stages[0].acitons: unknown key (line " in found[0] or any(
        problem.startswith("relationship.yaml: contact_stages[0].acitons: unknown key")
        for problem in found
    )
    assert any(
        problem.startswith("relationship.yaml: contact_stages[0].actions: missing")
        for problem in found
    )


def test_a_worksheet_with_fewer_problems_than_required_is_refused(playbook_dir: Path) -> None:
    edit(playbook_dir, "spin.yaml", "min_problems: 3", "min_problems: 4")
    [problem] = problems(playbook_dir)
    assert problem.startswith("spin.yaml: worksheet: examples: 3 given, min_problems asks for 4")


def test_removing_a_stance_the_coaching_rules_need_is_refused(playbook_dir: Path) -> None:
    edit(playbook_dir, "decision_unit.yaml", "  - id: enemy\n", "  - id: rival\n")
    [problem] = problems(playbook_dir)
    assert problem == "decision_unit.yaml: stances: 'enemy' is required by the coaching rules"


def test_a_missing_file_is_named(playbook_dir: Path) -> None:
    (playbook_dir / "accounts.yaml").unlink()
    assert refused(playbook_dir).problems == [Problem("accounts.yaml", "config/file_missing")]
    assert problems(playbook_dir) == ["accounts.yaml: file missing"]


def test_an_empty_file_is_named(playbook_dir: Path) -> None:
    (playbook_dir / "process.yaml").write_text("# nothing yet\n", encoding="utf-8")
    [problem] = problems(playbook_dir)
    assert problem.startswith("process.yaml: expected a mapping")


def test_a_missing_directory_is_named(tmp_path: Path) -> None:
    assert problems(tmp_path / "nowhere") == [
        f"{tmp_path / 'nowhere'}: playbook directory not found"
    ]


def test_every_problem_in_every_file_is_reported_at_once(playbook_dir: Path) -> None:
    edit(playbook_dir, "spin.yaml", "min_problems: 3", "min_problems: three")
    edit(playbook_dir, "relationship.yaml", "      zh: 陌生\n", "")
    (playbook_dir / "accounts.yaml").unlink()
    found = problems(playbook_dir)
    assert [problem.split(":")[0] for problem in found] == [
        "spin.yaml",
        "relationship.yaml",
        "accounts.yaml",
    ]


def test_the_program_refuses_to_start_and_says_where_the_problem_is(
    playbook_dir: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    edit(
        playbook_dir,
        "spin.yaml",
        "roles: [decision_maker, purchaser]",
        "roles: [buyer, purchaser]",
    )
    database = tmp_path / "refused.db"
    monkeypatch.setenv("SALESCOACH_PLAYBOOK_DIR", str(playbook_dir))
    monkeypatch.setenv("SALESCOACH_DATABASE_URL", f"sqlite:///{database}")
    monkeypatch.setenv("SALESCOACH_DEFAULT_LANGUAGE", "en")
    assert main(["db", "upgrade"]) == 2
    output = capsys.readouterr().out
    assert "SalesCoach cannot start" in output
    assert "spin.yaml: questions[2].roles[0]: 'buyer' is not a buying role" in output
    assert not database.exists()


def test_a_chinese_reader_is_told_the_problems_in_chinese_by_the_installed_command(
    playbook_dir: Path, tmp_path: Path
) -> None:
    """The console script itself, as an admin runs it: words from the catalog, places as given."""
    environment = {
        name: value for name, value in os.environ.items() if not name.startswith("SALESCOACH_")
    }
    environment |= {
        "LANG": "en_US.UTF-8",
        "SALESCOACH_DEFAULT_LANGUAGE": "zh",
        "SALESCOACH_PLAYBOOK_DIR": str(playbook_dir),
    }

    def salescoach(*arguments: str, **variables: str) -> list[str]:
        """What the command prints, line by line, after checking it refused to start (exit 2)."""
        done = subprocess.run(
            [str(Path(sys.executable).with_name("salescoach")), *arguments],
            env=environment | variables,
            cwd=tmp_path,
            capture_output=True,
            encoding="utf-8",
            check=False,
        )
        assert done.returncode == 2, done.stdout + done.stderr
        return done.stdout.splitlines()

    edit(playbook_dir, "spin.yaml", "roles: [decision_maker, purchaser]", "roles: [buyer, x]")
    assert salescoach("playbooks", "check") == [
        "SalesCoach无法启动：配置中有2处问题。",
        "  - spin.yaml: questions[2].roles[0]：“buyer”不是decision_unit.yaml中的采购角色",
        "  - spin.yaml: questions[2].roles[1]：“x”不是decision_unit.yaml中的采购角色",
        "请修改上面指出的文件或设置，然后重新运行命令。",
    ]
    edit(playbook_dir, "relationship.yaml", "    actions:\n", "    acitons:\n")
    assert salescoach("playbooks", "check")[1:3] == [
        "  - relationship.yaml: contact_stages[0].actions：缺失（第6行）",
        "  - relationship.yaml: contact_stages[0].acitons：未知的键（第19行）",
    ]
    assert salescoach("playbooks", "check", SALESCOACH_DATABASE_URL="mysql://coach@db/sales") == [
        "SalesCoach无法启动：配置中有1处问题。",
        "  - SALESCOACH_DATABASE_URL：必须是以 sqlite:/// 或 postgresql:// 开头的URL",
        "请修改上面指出的文件或设置，然后重新运行命令。",
    ]


def test_a_company_can_extend_the_question_bank_without_code(playbook_dir: Path) -> None:
    extra = (
        "  - id: s_fleet_size\n    type: situation\n    roles: [user]\n"
        "    contact_stages: [familiar]\n    sales_stages: [development]\n"
        "    text:\n      zh: 车队现在有多少辆车？\n"
        "      en: How many vehicles are in the fleet?\n"
    )
    path = playbook_dir / "spin.yaml"
    path.write_text(path.read_text(encoding="utf-8") + extra, encoding="utf-8")
    playbooks = load_playbooks(playbook_dir)
    assert playbooks.spin.questions[-1].text.en == "How many vehicles are in the fleet?"


def test_two_steps_reached_by_an_order_are_refused(playbook_dir: Path) -> None:
    edit(
        playbook_dir,
        "process.yaml",
        "    closes_opportunity: true\n",
        "    closes_opportunity: true\n    reached_by_order: true\n",
    )
    [problem] = problems(playbook_dir)
    assert problem.startswith(
        "process.yaml: steps: reached_by_order on negotiation, implementation"
    )


def test_a_nudge_the_code_cannot_check_or_without_its_count_of_visits_is_refused(
    playbook_dir: Path,
) -> None:
    edit(playbook_dir, "nudges.yaml", "id: single_threaded\n    visits: 3\n", "id: lonely\n")
    edit(
        playbook_dir,
        "nudges.yaml",
        "id: no_decision_maker_met\n    visits: 3\n",
        "id: no_decision_maker_met\n",
    )
    found = problems(playbook_dir)
    assert len(found) == 2, found
    assert found[0] == "nudges.yaml: nudges[2]: no_decision_maker_met needs visits (line 27)"
    assert (
        found[1].startswith("nudges.yaml: nudges[3].id: ") and "got 'lonely' (line 34)" in found[1]
    )


# --- account plan, competition, risks, needs, people, segments ---------------------------------


def line_of(directory: Path, filename: str, text: str) -> int:
    """The line of the file where `text` starts, as a problem names it."""
    content = (directory / filename).read_text(encoding="utf-8")
    assert text in content, f"{text!r} not in {filename}"
    return content[: content.index(text)].count("\n") + 1


def test_a_missing_translation_in_the_account_plan_names_its_line(playbook_dir: Path) -> None:
    line = line_of(
        playbook_dir, "account_plan.yaml", "      - zh: 客户今年的业务战略和优先事项是什么？"
    )
    edit(
        playbook_dir,
        "account_plan.yaml",
        "        en: What are the account's business strategy and priorities this year?\n",
        "",
    )
    assert problems(playbook_dir) == [
        f"account_plan.yaml: views[0].prompts[1].en: missing (line {line})"
    ]


def test_a_barrier_tied_to_an_unknown_contact_stage_is_refused_at_its_line(
    playbook_dir: Path,
) -> None:
    edit(
        playbook_dir,
        "competition.yaml",
        "    contact_stages: [mutual_interest, organisational_trust]\n",
        "    contact_stages: [mutual_interest, acquaintance]\n",
    )
    line = line_of(playbook_dir, "competition.yaml", "    contact_stages: [mutual_interest, acq")
    assert problems(playbook_dir) == [
        "competition.yaml: barriers[2].contact_stages[1]: expected a contact stage of "
        "relationship.yaml (stranger, familiar, personal_trust, mutual_interest, "
        f"organisational_trust), got 'acquaintance' (line {line})"
    ]


def test_a_barrier_tied_to_an_unknown_account_or_sales_stage_is_refused(
    playbook_dir: Path,
) -> None:
    edit(
        playbook_dir,
        "competition.yaml",
        "    account_stages: [stable, deep_partnership, symbiosis]\n"
        "    sales_stages: [implementation]\n",
        "    account_stages: [stable, honeymoon, symbiosis]\n    sales_stages: [closing]\n",
    )
    account_line = line_of(playbook_dir, "competition.yaml", "    account_stages: [stable, honey")
    sales_line = line_of(playbook_dir, "competition.yaml", "    sales_stages: [closing]")
    found = problems(playbook_dir)
    assert [problem.split(", got ")[1] for problem in found] == [
        f"'honeymoon' (line {account_line})",
        f"'closing' (line {sales_line})",
    ]
    assert found[0].startswith(
        "competition.yaml: barriers[2].account_stages[1]: expected an account stage of "
        "relationship.yaml (first_months, stable, deep_partnership, symbiosis)"
    )
    assert found[1].startswith(
        "competition.yaml: barriers[2].sales_stages[0]: expected a sales stage of process.yaml"
    )


def test_a_stage_is_not_checked_against_a_relationship_file_that_is_itself_broken(
    playbook_dir: Path,
) -> None:
    """Only the broken file is named: its stages are unknown, not the barriers' references."""
    edit(playbook_dir, "relationship.yaml", "      zh: 陌生\n", "")
    [problem] = problems(playbook_dir)
    assert problem.startswith("relationship.yaml: contact_stages[0].name.zh: missing")


def test_an_incomplete_choose_table_names_the_pair_without_a_strategy(playbook_dir: Path) -> None:
    edit(
        playbook_dir,
        "competition.yaml",
        "  value: {incumbent: defend, strong_challenger: flank, challenger: guerrilla}\n",
        "  value: {incumbent: defend, strong_challenger: flank}\n",
    )
    line = line_of(playbook_dir, "competition.yaml", "choose:\n")
    assert problems(playbook_dir) == [
        f"competition.yaml: choose: value: no strategy for challenger (line {line})"
    ]


def test_a_choose_table_without_a_row_or_with_unknown_ids_is_refused(playbook_dir: Path) -> None:
    edit(
        playbook_dir,
        "competition.yaml",
        "  value: {incumbent: defend, strong_challenger: flank, challenger: guerrilla}\n"
        "  transactional: {incumbent: defend, strong_challenger: attack, challenger: flank}\n",
        "  value: {incumbent: defend, strong_challenger: flank, challenger: ambush}\n"
        "  transactionl: {incumbent: defend, strong_challenger: attack, challenger: flank}\n",
    )
    [problem] = problems(playbook_dir)
    assert problem.startswith(
        "competition.yaml: choose: no row for account type transactional; "
        "value.challenger: ambush is not a strategy (defend, attack, flank, guerrilla); "
        "transactionl is not an account type (strategic, value, transactional) (line "
    )


def test_a_strategy_that_disagrees_with_the_choose_table_is_refused(playbook_dir: Path) -> None:
    edit(
        playbook_dir,
        "competition.yaml",
        "    account_types: [strategic, value]\n",
        "    account_types: [strategic]\n",
    )
    [problem] = problems(playbook_dir)
    assert problem.startswith(
        "competition.yaml: choose: guerrilla is chosen for account types [strategic, value] "
        "and positions [challenger], but strategies lists [strategic] and [challenger] (line "
    )


def test_a_risk_label_too_long_for_a_button_is_refused_in_either_language(
    playbook_dir: Path,
) -> None:
    edit(
        playbook_dir, "risks.yaml", "      zh: 需求变更\n", "      zh: 客户又一次提出了需求变更\n"
    )
    edit(
        playbook_dir,
        "risks.yaml",
        "      en: Late payment\n",
        "      en: Payments arrive late again\n",
    )
    zh_line = line_of(playbook_dir, "risks.yaml", "      zh: 客户又一次")
    en_line = line_of(playbook_dir, "risks.yaml", "      en: Payments arrive late again")
    assert problems(playbook_dir) == [
        "risks.yaml: signals[0].label.zh: String should have at most 10 characters, "
        f"got '客户又一次提出了需求变更' (line {zh_line})",
        "risks.yaml: signals[4].label.en: String should have at most 20 characters, "
        f"got 'Payments arrive late again' (line {en_line})",
    ]


def test_a_risk_with_one_response_is_told_it_needs_two_not_one(playbook_dir: Path) -> None:
    edit(
        playbook_dir,
        "risks.yaml",
        "      - zh: 如果是对我们不满，先解决问题，再谈付款。\n"
        "        en: If they are unhappy with us, fix the problem first, then talk about "
        "payment.\n",
        "",
    )
    edit(
        playbook_dir,
        "risks.yaml",
        "      - zh: 和财务、信用部门一起评估风险，必要时调整发货和账期。\n"
        "        en: Assess the risk with our finance and credit colleagues, and adjust shipments "
        "and terms if needed.\n",
        "",
    )
    [problem] = problems(playbook_dir)
    assert problem.startswith(
        "risks.yaml: signals[4].response: List should have at least 2 items after validation, "
        "not 1 (line "
    )


def test_a_kind_of_people_naming_an_unknown_buying_role_is_refused(playbook_dir: Path) -> None:
    edit(playbook_dir, "people.yaml", "    roles: [purchaser]\n", "    roles: [buyer]\n")
    line = line_of(playbook_dir, "people.yaml", "    roles: [buyer]\n")
    assert problems(playbook_dir) == [
        "people.yaml: kinds[2].roles[0]: expected a buying role of decision_unit.yaml "
        f"(decision_maker, purchaser, technical_evaluator, user), got 'buyer' (line {line})"
    ]


def test_a_buying_role_of_no_kind_is_refused_so_every_contact_has_a_kind(
    playbook_dir: Path,
) -> None:
    edit(
        playbook_dir,
        "people.yaml",
        "    roles: [technical_evaluator, user]\n",
        "    roles: [user]\n",
    )
    line = line_of(playbook_dir, "people.yaml", "kinds:\n")
    assert problems(playbook_dir) == [
        "people.yaml: kinds: buying role technical_evaluator of decision_unit.yaml must belong "
        f"to exactly one kind (found: none) (line {line})"
    ]


def test_a_purchase_criterion_weighed_by_an_unknown_role_is_refused(playbook_dir: Path) -> None:
    edit(
        playbook_dir,
        "needs.yaml",
        "      roles: [technical_evaluator]\n",
        "      roles: [engineer]\n",
    )
    [problem] = problems(playbook_dir)
    assert problem.startswith(
        "needs.yaml: criteria.categories[5].roles[0]: expected a buying role"
    )
    assert "got 'engineer' (line " in problem


def test_orientation_shares_that_do_not_add_up_to_100_are_refused(playbook_dir: Path) -> None:
    edit(playbook_dir, "segments.yaml", "    share: 18\n", "    share: 20\n")
    [problem] = problems(playbook_dir)
    assert problem.startswith("segments.yaml: orientations: shares add up to 102, not 100 (line ")


def test_a_missing_account_playbook_is_named(playbook_dir: Path) -> None:
    (playbook_dir / "risks.yaml").unlink()
    assert problems(playbook_dir) == ["risks.yaml: file missing"]
