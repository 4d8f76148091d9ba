"""The project speaks for itself: README lists every command, config field and source
kind, and CI runs the README's test command. (Docstrings on every public module, class and
function are ruff's rule D1.)"""

from __future__ import annotations

import re
from pathlib import Path

from pydantic import BaseModel

from tdlc_syndication.config import editorial, filters, models, sources, taxonomy
from tdlc_syndication.config.digest import DigestConfig, DigestEmail
from tdlc_syndication.config.websub import WebSubConfig
from tdlc_syndication.pipeline.cli import all_commands
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
    for name in all_commands():
        assert f"`syndicate {name}" in README, name


def test_every_config_field_is_documented() -> None:
    documented: tuple[type[BaseModel], ...] = (
        models.SiteConfig,
        models.HttpConfig,
        models.FeedConfig,
        taxonomy.Term,
        models.ServeConfig,
        models.NormaliseConfig,
        editorial.EditorialConfig,
        models.ArchivesConfig,
        models.RunConfig,
        editorial.Override,
        DigestConfig,
        DigestEmail,
        WebSubConfig,
        sources.JsonPaging,
        filters.ItemFilter,
        *sources.SOURCE_MODELS.values(),
    )
    for model in documented:
        for field in model.model_fields:
            assert f"`{field}`" in README, f"{model.__name__}.{field}"


def test_every_kind_has_a_settings_model_and_a_readme_section() -> None:
    assert set(SOURCE_TYPES) == set(sources.SOURCE_MODELS)
    for kind in SOURCE_TYPES:
        assert SOURCE_TYPES[kind].kind == kind  # the lazy table names the right class
        assert f'#### `kind = "{kind}"`' in README, kind
