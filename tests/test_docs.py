"""The project speaks for itself: README lists every command and config field, CI runs the
README's test command, and every public function has a docstring."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from pydantic import BaseModel

from tdlc_syndication.config import models, sources
from tdlc_syndication.pipeline.cli import cli
from tdlc_syndication.sources.registry import SOURCE_TYPES

ROOT = Path(__file__).parent.parent
README = (ROOT / "README.md").read_text("utf-8")


def _quick_start_commands() -> list[str]:
    section = README.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sh\n(.+?)\n```", section)


def test_quick_start_has_exactly_two_commands_and_ci_runs_the_second() -> None:
    commands = _quick_start_commands()
    assert len(commands) == 2
    assert "syndicate run --once" in commands[0]
    assert commands[1] in (ROOT / ".ci" / "run").read_text("utf-8")


def test_every_command_is_documented() -> None:
    for name in cli.commands:
        assert f"`syndicate {name}" in README, name


def test_every_config_field_is_documented() -> None:
    for model in (
        models.SiteConfig,
        models.HttpConfig,
        models.FeedConfig,
        models.Term,
        models.ServeConfig,
        models.NormaliseConfig,
        models.EditorialConfig,
        models.Override,
        sources.JsonPaging,
        *sources.SOURCE_MODELS.values(),
    ):
        assert issubclass(model, BaseModel)
        for field in model.model_fields:
            assert f"`{field}`" in README, f"{model.__name__}.{field}"


def test_every_kind_has_a_settings_model_and_a_readme_section() -> None:
    assert set(SOURCE_TYPES) == set(sources.SOURCE_MODELS)
    for kind in SOURCE_TYPES:
        assert f'#### `kind = "{kind}"`' in README, kind


def test_public_functions_have_docstrings() -> None:
    missing = []
    for package in ("config", "pipeline", "sources", "outputs"):
        for path in (ROOT / package).rglob("*.py"):
            tree = ast.parse(path.read_text("utf-8"))
            if not ast.get_docstring(tree):
                missing.append(f"{path}: module")
            for node in _public_definitions(tree):
                if not ast.get_docstring(node):
                    missing.append(f"{path}:{node.lineno} {node.name}")
    assert missing == []


# feedgen's extension hooks are documented on their classes.
_HOOKS = {"extend_ns", "extend_atom", "extend_rss"}


def _public_definitions(tree: ast.Module) -> list[ast.FunctionDef | ast.ClassDef]:
    found: list[ast.FunctionDef | ast.ClassDef] = []
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)) and not node.name.startswith("_"):
            found.append(node)
        if isinstance(node, ast.ClassDef):
            found.extend(
                member
                for member in node.body
                if isinstance(member, ast.FunctionDef)
                and not member.name.startswith("_")
                and member.name not in _HOOKS
            )
    return found
