"""docs/cli.md documents every subcommand and every option the parser accepts."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import pytest

from strongroom.cli.base import ExitCode
from strongroom.cli.main import build_parser

DOCS = Path(__file__).resolve().parents[2] / "docs" / "cli.md"
WHO_ACTS = {"--user", "--password-file", "--token"}


def _sections() -> dict[str, str]:
    text = DOCS.read_text(encoding="utf-8")
    parts = re.split(r"^#+ `strongroom (\S+)`\s*$", text, flags=re.MULTILINE)
    return {name: body for name, body in zip(parts[1::2], parts[2::2], strict=True)}


def _commands() -> dict[str, argparse.ArgumentParser]:
    _parser, commands = build_parser()
    return commands.parsers


def test_every_subcommand_has_a_section() -> None:
    assert sorted(_sections()) == sorted(_commands())


@pytest.mark.parametrize("name", sorted(_commands()))
def test_every_option_is_documented_in_its_section(name: str) -> None:
    section = _sections().get(name, "")
    for action in _commands()[name]._actions:
        if action.help == argparse.SUPPRESS or isinstance(action, argparse._HelpAction):
            continue
        if not action.option_strings:
            assert str(action.metavar or action.dest) in section, f"{name} {action.dest}"
            continue
        option = max(action.option_strings, key=len)
        if option in WHO_ACTS:
            continue
        assert f"`{option}" in section, f"strongroom {name} {option} is not in docs/cli.md"


def test_the_options_of_who_acts_and_every_exit_code_are_documented() -> None:
    text = DOCS.read_text(encoding="utf-8")
    for option in WHO_ACTS:
        assert f"`{option}" in text
    for code in ExitCode:
        assert f"| {code.value} |" in text
