"""The settings of a command come from the cache of validated settings when the file has
not changed (``pipeline.loading``), and are validated again whenever anything they depend
on has."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pydantic
import pytest
from click.testing import CliRunner

from tdlc_syndication.config import loader
from tdlc_syndication.config.errors import ConfigError
from tdlc_syndication.config.loader import DEMO_CONFIG, load_settings
from tdlc_syndication.pipeline import loading
from tdlc_syndication.pipeline.cli import cli
from tdlc_syndication.pipeline.overview import cache_name
from tdlc_syndication.pipeline.publish import settings_fingerprint

BLOG_FILE = DEMO_CONFIG.parent / "demo" / "feeds" / "tdlc-blog.rss"


@pytest.fixture
def validations(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> list[Path]:
    """Every file validated in full (the cache in a folder of the test's own). The
    validating code is looked up when a file must be validated (it is not loaded
    otherwise), so it is counted where it lives."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    seen: list[Path] = []
    validate = load_settings

    def counted(path: str | Path, data: bytes | None = None) -> object:
        seen.append(Path(path))
        return validate(path, data)

    monkeypatch.setattr(loader, "load_settings", counted)
    return seen


def _cached(config: Path, tmp_path: Path) -> Path:
    return tmp_path / "cache" / "tdlc-syndication" / cache_name(str(config.resolve()), ".pickle")


def test_the_same_bytes_are_validated_once(
    validations: list[Path], write_config: Callable[..., Path], tmp_path: Path
) -> None:
    config = write_config(f'[[sources]]\nid = "blog"\nkind = "feed"\npath = "{BLOG_FILE}"\n')
    first = loading.load_quickly(config)
    second = loading.load_quickly(config)
    assert validations == [config]  # the second came from the cache
    assert second == first
    assert second is not first
    assert settings_fingerprint(second) == settings_fingerprint(first)
    assert getattr(second.source("blog"), "path", None) == BLOG_FILE
    assert _cached(config, tmp_path).stat().st_mode & 0o777 == 0o600  # the user's own
    # One byte more (a comment) is another file: validated again.
    config.write_text(config.read_text("utf-8") + "# edited\n", "utf-8")
    loading.load_quickly(config)
    assert len(validations) == 2


def test_a_broken_file_is_reported_every_time_even_after_a_good_one(
    validations: list[Path], write_config: Callable[..., Path]
) -> None:
    config = write_config()
    loading.load_quickly(config)
    good = config.read_text("utf-8")
    config.write_text(good.replace('language = "en"', 'language = "not a language"'), "utf-8")
    for _ in range(2):
        with pytest.raises(ConfigError, match="language"):
            loading.load_quickly(config)
    config.write_text(good, "utf-8")  # the good bytes again: their settings are still kept
    loading.load_quickly(config)
    assert len(validations) == 3


def test_a_cache_file_others_could_have_written_or_a_broken_one_is_not_used(
    validations: list[Path], write_config: Callable[..., Path], tmp_path: Path
) -> None:
    config = write_config()
    loading.load_quickly(config)
    cached = _cached(config, tmp_path)
    cached.chmod(0o666)
    loading.load_quickly(config)  # not unpickled: validated, and the cache written anew
    assert len(validations) == 2
    assert cached.stat().st_mode & 0o777 == 0o600
    cached.write_bytes(b"not a pickle")
    loading.load_quickly(config)
    assert len(validations) == 3
    loading.load_quickly(config)
    assert len(validations) == 3


def test_another_version_of_pydantic_validates_again(
    validations: list[Path], write_config: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    config = write_config()
    loading.load_quickly(config)
    loading.load_quickly(config)
    assert len(validations) == 1
    monkeypatch.setattr(pydantic, "VERSION", "0.0.1")
    loading.load_quickly(config)
    assert len(validations) == 2


def test_a_command_on_an_unchanged_file_never_builds_the_validators(
    tmp_path: Path, write_config: Callable[..., Path]
) -> None:
    """Nor loads the validating code and TOML's reader."""
    config = write_config(f'[[sources]]\nid = "blog"\nkind = "feed"\npath = "{BLOG_FILE}"\n')
    program = (  # a run as the console script runs it; then whether Settings was built
        "import atexit, sys\n"
        "def built():\n"
        "    from tdlc_syndication.config.models import Settings\n"
        "    loaded = {'tdlc_syndication.config.loader', 'tomllib'} & set(sys.modules)\n"
        "    print('built', Settings.__pydantic_complete__, len(loaded), file=sys.stderr)\n"
        "atexit.register(built)\n"
        f"sys.argv = ['syndicate', '-q', '--config', {str(config)!r}, 'run', '--once']\n"
        "from tdlc_syndication.pipeline.cli import main\n"
        "main()\n"
    )

    def run() -> str:
        proc = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True)
        assert proc.returncode == 0, proc.stderr[-500:]
        return proc.stderr.split("built ")[-1].strip()

    assert run() == "True 2"  # validated (and a first publish, in full)
    assert run() == "False 0"  # taken from the cache: no validator was ever built
    config.write_text(config.read_text("utf-8").replace("Test site", "Test site 2"), "utf-8")
    assert run() == "True 2"


def test_the_bytes_validated_are_the_bytes_read_and_kept_for(
    validations: list[Path], write_config: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    config = write_config()
    before = config.read_text("utf-8")
    validate = load_settings

    def edited_meanwhile(path: str | Path, data: bytes | None = None) -> object:
        config.write_text(before.replace("Test site", "Edited site"), "utf-8")
        return validate(path, data)

    monkeypatch.setattr(loader, "load_settings", edited_meanwhile)
    # Edited while it was validated: the bytes read when the command began are validated.
    assert loading.load_quickly(config).site.title == "Test site"
    monkeypatch.setattr(loader, "load_settings", validate)
    assert loading.load_quickly(config).site.title == "Edited site"  # the file as it is now
    config.write_text(before, "utf-8")  # back to the bytes it had when the command began
    assert loading.load_quickly(config).site.title == "Test site"


def test_status_writes_the_snapshot_again_when_the_settings_came_from_the_cache(
    validations: list[Path], write_config: Callable[..., Path], tmp_path: Path
) -> None:
    config = write_config(f'[[sources]]\nid = "blog"\nkind = "feed"\npath = "{BLOG_FILE}"\n')
    loading.load_quickly(config)
    snapshot = _cached(config, tmp_path).with_suffix(".json")
    snapshot.unlink()  # removed (or left by another version): the settings are still cached
    result = CliRunner().invoke(cli, ["--config", str(config), "status"])
    assert result.exit_code == 0, result.output
    assert "blog" in result.stdout
    assert validations == [config]  # status took the cached settings...
    assert snapshot.exists()  # ...and left the snapshot the next status reads


def test_a_current_snapshot_is_not_written_again(
    validations: list[Path], write_config: Callable[..., Path], tmp_path: Path
) -> None:
    # `run --once` loads the settings and then asks for the snapshot (to publish): the
    # cache already holds it, so nothing is written (a write means a flush to disk).
    config = write_config(f'[[sources]]\nid = "blog"\nkind = "feed"\npath = "{BLOG_FILE}"\n')
    assert CliRunner().invoke(cli, ["--config", str(config), "-q", "run", "--once"]).exit_code == 0
    snapshot = _cached(config, tmp_path).with_suffix(".json")
    kept = snapshot.stat()
    assert CliRunner().invoke(cli, ["--config", str(config), "-q", "run", "--once"]).exit_code == 0
    assert (snapshot.stat().st_ino, snapshot.stat().st_mtime_ns) == (kept.st_ino, kept.st_mtime_ns)
    snapshot.write_text("{}", "utf-8")  # not current: written again
    assert CliRunner().invoke(cli, ["--config", str(config), "-q", "run", "--once"]).exit_code == 0
    assert snapshot.stat().st_ino != kept.st_ino
    assert validations == [config]  # every run took the settings from the cache
