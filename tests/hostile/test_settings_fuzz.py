"""Hostile settings: the demo settings with fields changed at random (wrong types, empty,
huge, odd text, NUL characters, broken patterns) give ``check`` a list of problems with
their fields and fixes, or pass; never a traceback.

CI runs FUZZ_EXAMPLES examples (default 400, a few seconds); set it higher for a longer
hunt, e.g. ``FUZZ_EXAMPLES=5000 pytest tests/hostile/test_settings_fuzz.py``."""

from __future__ import annotations

import copy
import os
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import tomli_w
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tdlc_syndication.config.paths import DEMO_CONFIG
from tdlc_syndication.pipeline.cli import cli

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "400"))
DEMO = tomllib.loads(DEMO_CONFIG.read_text("utf-8"))
Key = tuple[str | int, ...]


def _keys(node: Any, prefix: Key = ()) -> Iterator[Key]:
    """Every table key and list index in the settings, depth first."""
    children = node.items() if isinstance(node, dict) else enumerate(node)
    for key, value in children:
        yield (*prefix, key)
        if isinstance(value, dict | list):
            yield from _keys(value, (*prefix, key))


KEYS = list(_keys(DEMO))
VALUES = st.sampled_from(
    [
        0, -1, 10**30, -(10**30), 1.5, float("inf"), True, "", " ", "x", "\x00", "pub\x00lic",
        "ü", "ｘ", "../../etc", "http://", "ftp://x", "https://例え.jp/", "mailto:a@b", "@",
        "every 0h", "*/0 * * * *", "Mon 25:00", "P1D", "Asia/Nowhere", "2026-13-01T00:00:00Z",
        "re:(", "re:\\", "ja-JP", [], [[]], [{}], ["x"], [1], {}, {"a": 1}, {"include": 5},
    ]
)  # fmt: skip


def _changed(changes: list[tuple[Key, Any]]) -> dict[str, Any]:
    settings_doc = copy.deepcopy(DEMO)
    for key, value in changes:
        node: Any = settings_doc
        try:
            for part in key[:-1]:
                node = node[part]
            if isinstance(node, dict) != isinstance(key[-1], str):
                continue  # an earlier change made a table a list or a list a table
            # A copy: the strategy's lists and tables are shared between examples, and a
            # later change inside one put it inside itself (a RecursionError in tomli_w).
            node[key[-1]] = copy.deepcopy(value)
        except (KeyError, IndexError, TypeError):  # an earlier change replaced the parent
            continue
    return settings_doc


@pytest.mark.slow
def test_settings_changed_at_random_give_problems_not_tracebacks(tmp_path: Path) -> None:
    folder = DEMO_CONFIG.parent

    @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
    @given(changes=st.lists(st.tuples(st.sampled_from(KEYS), VALUES), min_size=1, max_size=3))
    def check(changes: list[tuple[Key, Any]]) -> None:
        text = tomli_w.dumps(_changed(changes))
        config = tmp_path / "syndicate.toml"
        config.write_text(text.replace('"demo/', f'"{folder}/demo/'), encoding="utf-8")
        result = CliRunner().invoke(cli, ["--config", str(config), "check"])
        out = result.output
        # An exception the program did not turn into a message reaches the runner.
        assert result.exception is None or isinstance(result.exception, SystemExit), out
        assert result.exit_code in (0, 1, 2), out
        assert "fault of this program" not in out, out
        if result.exit_code == 2:  # a settings problem names the file
            assert str(config) in out, out

    check()
