"""Shared fixtures: a fixed clock, settings written as real TOML files, a real HTTP server."""

from __future__ import annotations

import logging
import textwrap
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import settings as hypothesis_settings
from pytest_httpserver import HTTPServer

from tdlc_syndication.config.loader import load_settings
from tdlc_syndication.config.models import Settings
from tdlc_syndication.pipeline.context import Context
from tdlc_syndication.pipeline.logs import PROJECT, JsonFormatter, TextFormatter
from tdlc_syndication.pipeline.store import Store

DATA = Path(__file__).parent / "data"

# The tests assert behaviour, not speed (bench/ measures speed): Hypothesis's deadline of
# 200 ms an example failed a scheduling test on CI while the machine was busy elsewhere.
hypothesis_settings.register_profile("project", deadline=None)
hypothesis_settings.load_profile("project")


def pytest_addoption(parser: pytest.Parser) -> None:
    """``--update-golden`` rewrites the golden files (parsers and outputs) from the code."""
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="rewrite tests/golden and tests/data/*/*.expected.json from the code; review the diff",
    )


@pytest.fixture(autouse=True, scope="session")
def _session_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """The program's cache (settings snapshots) in a folder of the test session, for
    every test and the processes they start: never the user's ``~/.cache``."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("cache")))
        yield


@pytest.fixture(autouse=True)
def _logging_as_it_was() -> Iterator[None]:
    """The logging levels each test found, given back after it, and the handlers a command
    run in this process set up taken away: such a command (``-q``: the project's loggers at
    ERROR) must not hide the warnings a later test looks for, whatever order tests run in."""
    root, project = logging.getLogger(), logging.getLogger(PROJECT)
    root_level, project_level = root.level, project.level
    yield
    for handler in root.handlers[:]:
        if isinstance(handler.formatter, TextFormatter | JsonFormatter):
            root.removeHandler(handler)
    root.setLevel(root_level)
    project.setLevel(project_level)
    logging.captureWarnings(False)  # a command routes Python's warnings to the log


FIXED_NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)

SITE = """\
[site]
title = "Test site"
base_url = "https://feeds.example.org/test/"
language = "en"
timezone = "Asia/Tokyo"
author = "Test publisher"
output_dir = "{output}"
database = "{database}"

[http]
{http}
"""

TAXONOMY = """
[taxonomy.kinds]
article = { label = "Article" }
video = { label = "Video" }
knowledge_note = { label = "Knowledge note" }
toolkit = { label = "Toolkit" }
report = { label = "Report" }
event = { label = "Event" }

[taxonomy.topics.compact-cities]
label = "Compact cities"
label_ja = "コンパクトシティ"
aliases = ["light rail"]

[taxonomy.topics.disaster-risk-management]
label = "Disaster risk management"
label_ja = "防災"

[taxonomy.places.toyama]
label = "Toyama"
label_ja = "富山"

[taxonomy.places.kobe]
label = "Kobe"
label_ja = "神戸"
"""


@pytest.fixture
def clock() -> Callable[[], datetime]:
    """A clock fixed at 2026-11-26T12:00Z."""
    return lambda: FIXED_NOW


@pytest.fixture
def data_path() -> Path:
    """The folder of test inputs."""
    return DATA


@pytest.fixture
def write_config(tmp_path: Path) -> Callable[..., Path]:
    """Write a settings file into tmp_path: the site block, the given sources, the taxonomy."""

    def write(sources: str = "", *, extra: str = "", robots: bool = False, http: str = "") -> Path:
        settings = {
            "host_delay": "0",
            "backoff_base": "0",
            "max_poll_delay": "0",  # tests that poll again at once; adaptive tests set it
            "robots_txt": str(robots).lower(),
        }
        for line in http.splitlines():
            key, _, value = line.partition("=")
            settings[key.strip()] = value.strip()
        site = SITE.format(
            output=tmp_path / "public",
            database=tmp_path / "store.db",
            http="\n".join(f"{k} = {v}" for k, v in settings.items()),
        )
        path = tmp_path / "syndicate.toml"
        path.write_text(
            site + textwrap.dedent(sources) + textwrap.dedent(extra) + TAXONOMY, encoding="utf-8"
        )
        return path

    return write


@pytest.fixture
def make_context(clock: Callable[[], datetime]) -> Iterator[Callable[[Path], Context]]:
    """Build a run context from a settings file, with the fixed clock."""
    made: list[Context] = []

    def make(path: Path) -> Context:
        ctx = Context.create(load_settings(path), clock=clock)
        made.append(ctx)
        return ctx

    yield make
    for ctx in made:
        ctx.http.close()


@pytest.fixture
def demo_config(tmp_path: Path) -> Path:
    """The embedded demo configuration, writing its site and store into tmp_path."""
    from tdlc_syndication.config.loader import DEMO_CONFIG

    text = DEMO_CONFIG.read_text("utf-8").replace(
        'path = "demo/', f'path = "{DEMO_CONFIG.parent}/demo/'
    )
    text = text.replace('output_dir = "public"', f'output_dir = "{tmp_path / "public"}"')
    text = text.replace('database = "syndicate.db"', f'database = "{tmp_path / "s.db"}"')
    config = tmp_path / "demo.toml"
    config.write_text(text, encoding="utf-8")
    return config


@pytest.fixture
def demo_published(demo_config: Path, make_context: Callable[[Path], Context]) -> Context:
    """The embedded demo's sources run and published into tmp_path; its context."""
    from tdlc_syndication.pipeline.publish import publish
    from tdlc_syndication.pipeline.run import run_sources

    ctx = make_context(demo_config)
    run_sources(ctx, ctx.settings.sources)
    with ctx.open_store() as store:
        publish(ctx, store)
    return ctx


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    """A real SQLite store in a temporary folder."""
    with Store(tmp_path / "unit.db") as opened:
        yield opened


@pytest.fixture
def server(httpserver: HTTPServer) -> HTTPServer:
    """The real HTTP server on 127.0.0.1 (pytest-httpserver), with no robots.txt."""
    httpserver.expect_request("/robots.txt").respond_with_data("", status=404)
    return httpserver


def settings_of(path: Path) -> Settings:
    """Load settings (helper for tests that do not need a context)."""
    return load_settings(path)
