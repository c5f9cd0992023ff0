"""The `tillit` command: help on every subcommand, clear errors and non-zero exits."""
import subprocess
import sys

import pytest
from click.testing import CliRunner

from tillit.cli import main


def test_help_lists_commands():
    result = CliRunner().invoke(main, ["--help"])
    assert result.exit_code == 0
    for name in ("build", "store", "validate", "compile-facts", "import", "fetch", "claims"):
        assert name in result.output


@pytest.mark.parametrize("name", ["build", "store", "validate", "compile-facts", "import", "fetch", "claims"])
def test_every_subcommand_has_help(name):
    result = CliRunner().invoke(main, [name, "--help"])
    assert result.exit_code == 0 and "Usage:" in result.output


def test_validate_passes_on_default_data():
    result = CliRunner().invoke(main, ["validate"])
    assert result.exit_code == 0, result.output
    assert "ok  sjukfranvaro_landsting" in result.output


def test_compile_facts_without_facts_is_a_clear_error(tmp_path):
    result = CliRunner().invoke(main, ["compile-facts", "--facts", str(tmp_path / "none")])
    assert result.exit_code == 1 and "no facts folder here" in result.output


def test_unknown_notebook_in_build_only(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "tillit.cli", "build", "--only", "nope", "--no-book"],
                          capture_output=True, text=True)
    assert proc.returncode == 1 and "unknown notebook(s): nope" in proc.stderr


def test_claims_command_prints_statuses():
    result = CliRunner().invoke(main, ["claims"])
    assert result.exit_code == 0, result.output
    assert "håller" in result.output and "kan inte prövas" in result.output
