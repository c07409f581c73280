"""The documentation stays true: the API page is current and every CLI example parses.

The quickstart's (and every other page's) Python code blocks run as doctests through pytest's
``--doctest-glob=*.md``; these tests cover what doctests cannot.
"""

from __future__ import annotations

import argparse
import importlib.util
import re
import shlex
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

from labourint_match.cli import _commands as cli

REPO = Path(__file__).resolve().parents[1]
DOCS = REPO / "docs"
SUBCOMMANDS = (
    "rank",
    "assign",
    "explain",
    "resolve",
    "synth",
    "schema",
    "taxonomy",
    "demo",
    "serve",
    "key",
)


def _make_api() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_api", DOCS / "make_api.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_api_page_is_what_make_api_generates() -> None:
    committed = (DOCS / "api.md").read_text(encoding="utf-8")
    assert committed == _make_api().render(), "docs/api.md is stale: run python docs/make_api.py"


def test_api_page_lists_every_public_name() -> None:
    import labourint_match

    page = (DOCS / "api.md").read_text(encoding="utf-8")
    for name in labourint_match.__all__:
        assert re.search(rf"\*\*`{re.escape(name)}[`(]", page), name


def _commands(lines: list[str], prefix: str) -> Iterator[str]:
    """Shell commands starting with `prefix`, continuation lines joined."""
    i = 0
    while i < len(lines):
        line = lines[i].strip()
        if line.startswith(prefix):
            command = line[line.index("labourint-match") :]
            while command.endswith("\\") and i + 1 < len(lines):
                i += 1
                command = command[:-1] + " " + lines[i].strip()
            yield command
        i += 1


def _argv(command: str) -> list[str]:
    words = shlex.split(command, comments=True)
    for stop in ("|", ">", "&&", ";"):
        if stop in words:
            words = words[: words.index(stop)]
    assert words[0] == "labourint-match", command
    return words[1:]


def _documented_commands() -> list[str]:
    found = list(_commands((DOCS / "cli.md").read_text(encoding="utf-8").splitlines(), "$ labo"))
    quickstart = (DOCS / "quickstart.md").read_text(encoding="utf-8").splitlines()
    found += _commands(quickstart, "labourint-match ")
    return found


def _help_commands() -> list[str]:
    parser = cli._parser()
    texts = [parser.format_help()]
    for action in parser._subparsers._group_actions if parser._subparsers else ():
        assert isinstance(action, argparse._SubParsersAction)
        texts += [p.format_help() for p in action.choices.values()]
    return [c for t in texts for c in _commands(t.splitlines(), "labourint-match ")]


@pytest.mark.parametrize("command", _documented_commands() + _help_commands())
def test_every_documented_command_line_parses(command: str) -> None:
    argv = _argv(command)
    args = cli._parser().parse_args(argv)  # SystemExit (exit 2) on an unknown option
    assert cli._usage_problem(args) is None


def test_cli_reference_has_a_section_with_an_example_per_subcommand() -> None:
    page = (DOCS / "cli.md").read_text(encoding="utf-8")
    commands = _documented_commands()
    for name in SUBCOMMANDS:
        assert f"\n## {name}\n" in page, name
        assert any(_argv(c)[0] == name for c in commands), name


def test_readme_links_the_documentation_pages() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    pages = (
        "quickstart",
        "concepts",
        "taxonomy",
        "scoring",
        "placement",
        "cli",
        "service",
        "api",
        "architecture",
    )
    for page in pages:
        assert f"(docs/{page}.md)" in readme, page
