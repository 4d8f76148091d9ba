"""Modules loaded on first use (``pipeline.lazy``), and the source kinds' readers: a run
whose sources have nothing new loads none of them."""

from __future__ import annotations

import ast
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from tdlc_syndication.pipeline.lazy import LazyModule, lazy_targets
from tdlc_syndication.sources import catalog, feeddates, ical

# What the kinds' parsing halves load: the date and period readers, the tables of scripts
# and of East Asian line breaks, a feed entry's readers, and the libraries that read
# iCalendar, YAML, Markdown and XML.
READERS = (
    "tdlc_syndication.pipeline.scripts",
    "tdlc_syndication.pipeline.eastasian",
    "tdlc_syndication.sources.feedentry",
    "tdlc_syndication.sources.feedhtml",
    "tdlc_syndication.sources.footers",
    "tdlc_syndication.pipeline.dates",
    "tdlc_syndication.pipeline.clock",
    "tdlc_syndication.pipeline.weekdays",
    "tdlc_syndication.pipeline.periods",
    "tdlc_syndication.pipeline.locales",
    "icalendar",
    "recurring_ical_events",
    "yaml",
    "markdown_it",
    "lxml",
)
# What reads a web page (an html source's list and item pages, a sitemap's pages), which
# the demo has none of.
PAGE_READERS = (
    "tdlc_syndication.sources.listpage",
    "tdlc_syndication.sources.page",
    "tdlc_syndication.sources.pagedates",
    "tdlc_syndication.sources.jsonld",
    "tdlc_syndication.sources.notfound",
    "tdlc_syndication.pipeline.readon",
)
# What only the worker pools (preparing, rendering) need.
POOL_MODULES = ("multiprocessing", "concurrent.futures.process", "logging.handlers")


def test_a_lazy_module_is_imported_by_the_first_read_once_however_many_threads_race(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    runs = tmp_path / "runs"
    (tmp_path / "slow_to_load.py").write_text(
        "import time\n"
        f"with open({str(runs)!r}, 'a') as f:\n"
        "    f.write('ran\\n')\n"
        "time.sleep(0.2)  # threads reading meanwhile must wait for the whole module\n"
        "def answer():\n"
        "    return 42\n",
        encoding="utf-8",
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, "slow_to_load", raising=False)
    lazy = LazyModule("slow_to_load")
    assert "slow_to_load" not in sys.modules  # naming it loads nothing
    answers: list[int] = []

    def read() -> None:
        answers.append(lazy.answer())

    threads = [threading.Thread(target=read) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert answers == [42] * 8
    assert runs.read_text("utf-8") == "ran\n"  # imported once
    assert vars(lazy)["answer"] is sys.modules["slow_to_load"].answer  # kept: a plain read now


def test_a_lazy_module_answers_no_special_name_and_imports_nothing_for_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "never_loaded.py").write_text("raise RuntimeError('loaded')\n", "utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    lazy = LazyModule("never_loaded")
    assert not hasattr(lazy, "__wrapped__")  # what inspect and decorators look for
    assert "never_loaded" in repr(lazy)
    assert "never_loaded" not in sys.modules
    with pytest.raises(RuntimeError, match="loaded"):
        lazy.anything  # noqa: B018 (the read is the test)


def test_the_lazy_targets_of_a_module_are_the_modules_it_binds_lazily() -> None:
    assert lazy_targets(ical) == [
        "icalendar",
        "recurring_ical_events",
        "tdlc_syndication.pipeline.dates",
        "tdlc_syndication.pipeline.periods",
    ]
    assert lazy_targets(catalog) == [
        "tdlc_syndication.pipeline.dates",
        "tdlc_syndication.pipeline.locales",
        "tdlc_syndication.pipeline.markdown",
        "tdlc_syndication.pipeline.periods",
        "yaml",
    ]
    assert lazy_targets(feeddates) == [
        "tdlc_syndication.pipeline.dates",
        "tdlc_syndication.pipeline.locales",
    ]


def _loaded_after(program: str, modules: tuple[str, ...] = READERS) -> list[str]:
    """Which of ``modules`` are loaded when ``program`` (Python, run in a fresh
    interpreter) ends."""
    check = f"import sys\nprint([m for m in {modules!r} if m in sys.modules])\n"
    proc = subprocess.run([sys.executable, "-c", program + check], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr[-800:]
    return list(ast.literal_eval(proc.stdout.strip().splitlines()[-1]))


def test_no_source_kind_loads_its_readers_with_its_module() -> None:
    program = (
        "import importlib\n"
        "from tdlc_syndication.sources.registry import KINDS, kind_module\n"
        "for kind in KINDS:\n"
        "    importlib.import_module(kind_module(kind))\n"
    )
    assert _loaded_after(program, READERS + PAGE_READERS) == []


def test_a_run_whose_sources_have_nothing_new_loads_no_reader(demo_config: Path) -> None:
    """The demo's feeds, catalog and calendar, run twice: the second run reads the files,
    finds them unchanged and parses nothing (the first loads the readers: the check
    would see them)."""
    program = _run_once(demo_config)
    repeating = {"recurring_ical_events"}  # the demo's calendar repeats no event
    assert set(_loaded_after(program)) == set(READERS) - repeating
    assert _loaded_after(program) == []


def test_a_run_too_small_for_worker_processes_loads_no_multiprocessing(
    demo_config: Path,
) -> None:
    """The demo's few sources and few hundred items are prepared and rendered in the
    running process, the first time (everything new) and the second (nothing new), so
    neither run loads what only the pools need, which took about 8 ms of each before its
    first request. The benchmark's warm and changed runs start no pool either."""
    program = _run_once(demo_config)
    assert _loaded_after(program, POOL_MODULES) == []
    assert _loaded_after(program, POOL_MODULES) == []


def _run_once(config: Path) -> str:
    """A program that runs ``syndicate run --once`` on ``config``."""
    return (
        "import sys\n"
        "from tdlc_syndication.pipeline.cli import main\n"
        f"sys.argv = ['syndicate', '-q', '--config', {str(config)!r}, 'run', '--once']\n"
        "try:\n"
        "    main()\n"
        "except SystemExit as exc:\n"
        "    assert not exc.code, exc.code\n"
    )
