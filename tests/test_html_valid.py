"""Every page of the embedded default site is valid HTML by the Nu HTML checker (the W3C's
checker; `.ci/system-packages` installs it): the front page, a digest issue and the list
of issues."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from tdlc_syndication.pipeline.cli import cli

pytestmark = pytest.mark.slow  # a Java program


def vnu_jar() -> Path:
    explicit = os.environ.get("VNU_JAR")
    if explicit:
        return Path(explicit)
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return (
        cache
        / "tdlc-syndication"
        / "vnu"
        / "node_modules"
        / "vnu-jar"
        / "build"
        / "dist"
        / "vnu.jar"
    )


JAR = vnu_jar()  # read before the tests' own cache folder is set (conftest)


def test_every_page_passes_the_nu_html_checker(demo_config: Path, tmp_path: Path) -> None:
    jar = JAR
    assert jar.is_file(), f"{jar} is missing: run `bash .ci/system-packages`"
    runner = CliRunner()
    assert runner.invoke(cli, ["--config", str(demo_config), "run", "--once"]).exit_code == 0
    done = runner.invoke(cli, ["--config", str(demo_config), "digest", "--week", "2026-W47"])
    assert done.exit_code == 0, done.output
    # A city whose materials the editors all hid keeps its page, empty: checked too.
    hidden = tmp_path / "overrides.toml"
    hidden.write_text(
        '[[items]]\nid = "cpp-blog:https://blog.example.org/cpp/?p=1265"\nhide = true\n'
        '[[items]]\nid = "cpp-materials:toolkit-heritage-kyoto"\nhide = true\n',
        encoding="utf-8",
    )
    with demo_config.open("a", encoding="utf-8") as settings:
        settings.write(f'\n[editorial]\noverrides = "{hidden}"\n')
    assert runner.invoke(cli, ["--config", str(demo_config), "publish"]).exit_code == 0
    empty = tmp_path / "public" / "place" / "kyoto" / "index.html"
    assert "No materials at the moment" in empty.read_text("utf-8")
    pages = sorted((tmp_path / "public").rglob("*.html"))
    assert len(pages) >= 3
    checked = subprocess.run(
        ["java", "-jar", str(jar), "--format", "json", "--errors-only", *map(str, pages)],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    messages = json.loads(checked.stderr or checked.stdout)["messages"]
    errors = [f"{m.get('url', '')}: {m.get('message')}" for m in messages if m["type"] == "error"]
    assert errors == []
    assert checked.returncode == 0
