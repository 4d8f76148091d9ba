"""The ``syndicate`` group: global options, the application object handed to every
command, and one mapping from errors to messages and exit codes.

Exit codes::

    0  everything worked
    1  a source failed or an output was refused (the rest ran, was stored and published)
    2  a usage, settings or store error: nothing ran
    3  the run stopped partway: the store or the output folder could not be written

Errors a user can cause print one clear line (a settings file: one line per problem),
never a traceback. Heavy modules are imported inside the commands that need them, so
that ``--help`` and ``status`` start fast.
"""

from __future__ import annotations

import gc
import signal
import sys
import threading
from importlib import import_module
from pathlib import Path
from types import FrameType
from typing import IO, TYPE_CHECKING, Any, NoReturn

import click

from tdlc_syndication.config.errors import ConfigError
from tdlc_syndication.config.paths import ENV_VAR, find_config
from tdlc_syndication.pipeline.errors import SyndicationError
from tdlc_syndication.pipeline.logs import configure as configure_logging

if TYPE_CHECKING:
    from rich.console import Console

    from tdlc_syndication.config.models import Settings
    from tdlc_syndication.config.sources import SourceConfig
    from tdlc_syndication.pipeline.context import Context
    from tdlc_syndication.pipeline.lock import StoreLock

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_PARTIAL, EXIT_BUSY = 0, 1, 2, 3, 4
EXIT_TERMINATED = 128 + signal.SIGTERM  # what a process killed by SIGTERM reports


class Terminated(KeyboardInterrupt):
    """SIGTERM (a supervisor's stop, ``timeout``, cron's limit), raised where the command
    is, as Ctrl-C is: its clean-up runs (worker processes stopped, the store's lock and
    transactions let go) instead of the process dying with its workers left behind."""


def _terminate(signum: int, frame: FrameType | None) -> None:
    raise Terminated


class CliError(click.ClickException):
    """One error line (``error: ...``) and an exit code."""

    def __init__(self, message: str, code: int = EXIT_USAGE) -> None:
        super().__init__(message)
        self.exit_code = code  # type: ignore[misc]  # click declares it a class variable

    def show(self, file: IO[Any] | None = None) -> None:
        """Print the message to stderr."""
        click.echo(f"error: {self.message}", err=True, file=file)


class ConfigFailure(click.ClickException):
    """A settings or overrides file with problems: one line per problem, then a count."""

    exit_code = EXIT_USAGE

    def __init__(self, error: ConfigError) -> None:
        super().__init__(str(error))
        self.error = error

    def show(self, file: IO[Any] | None = None) -> None:
        """Print every problem, then how many there were."""
        for problem in self.error.problems:
            click.echo(f"{self.error.path}: {problem}", err=True, file=file)
        n = len(self.error.problems)
        click.echo(
            f"{n} problem{'s' if n != 1 else ''} in {self.error.path}; nothing was run.",
            err=True,
            file=file,
        )


#: Each command and the module of this package that defines it. A command's module is
#: imported when the command is looked up, so ``status`` does not load the code of
#: ``publish``; ``--help`` loads them all (test_cli checks that the table is complete).
COMMAND_MODULES = {
    "backup": "operate",
    "check": "sources",
    "digest": "digest",
    "discover": "discovery",
    "fetch": "sources",
    "forget": "operate",
    "health": "operate",
    "items": "items",
    "lint": "outputs",
    "publish": "outputs",
    "run": "daemon",
    "serve": "outputs",
    "status": "operate",
    "try": "sources",
}


class Group(click.Group):
    """The command group: loads a command's module when the command is looked up, and
    maps the project's errors to one line and an exit code."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        """Every command's name, sorted (without importing them)."""
        return sorted(COMMAND_MODULES)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        """The command, its module imported first."""
        module = COMMAND_MODULES.get(cmd_name)
        if module is not None and cmd_name not in self.commands:
            import_module(f"{__package__}.{module}")
        return super().get_command(ctx, cmd_name)

    def invoke(self, ctx: click.Context) -> Any:
        """Run the command, turning project errors into click exceptions."""
        try:
            return super().invoke(ctx)
        except Terminated:
            raise CliError(
                "terminated (SIGTERM): what was stored is kept; the next run does the rest",
                EXIT_TERMINATED,
            ) from None
        except ConfigError as exc:
            raise ConfigFailure(exc) from exc
        except SyndicationError as exc:
            from tdlc_syndication.pipeline.lock import StoreBusy  # status takes no lock

            if isinstance(exc, StoreBusy):
                raise CliError(str(exc), EXIT_BUSY) from exc
            app = ctx.find_object(App)
            started = app is not None and app.started_work
            raise CliError(str(exc), EXIT_PARTIAL if started else EXIT_USAGE) from exc


class App:
    """What the group command hands to its subcommands."""

    def __init__(self, config_path: Path, verbosity: int, log_format: str = "text") -> None:
        self.config_path = config_path
        self.verbosity = verbosity
        self.log_format = log_format
        self.started_work = False  # set once a command has written to the store or outputs
        self._settings: Settings | None = None
        self._snapshot: tuple[dict[str, Any] | None] | None = None  # (the cache's,) once read
        self._out: Console | None = None
        self._err: Console | None = None

    @property
    def quiet(self) -> bool:
        """True with ``-q``: print errors only."""
        return self.verbosity < 0

    @property
    def settings(self) -> Settings:
        """The validated settings (loaded on first use).

        Raises:
            ConfigError: the settings file is broken.
        """
        if self._settings is None:
            from tdlc_syndication.pipeline.loading import load_quickly

            self._settings = load_quickly(self.config_path)
        return self._settings

    def snapshot(self) -> dict[str, Any]:
        """What ``status`` and ``health`` need of the settings: the cached snapshot of this
        settings file when it is current, else the settings loaded in full.

        Raises:
            ConfigError: the settings file is broken.
        """
        from tdlc_syndication.pipeline.overview import save_snapshot, snapshot_of

        cached = self.cached_snapshot()
        if cached is not None:
            return cached
        # Settings from the cache may have outlived their snapshot (removed, or left by
        # another version of the program): the next status reads this one.
        snapshot = snapshot_of(self.settings)
        save_snapshot(self.config_path, snapshot)
        self._snapshot = (snapshot,)
        return snapshot

    @property
    def out(self) -> Console:
        """Rich console on stdout. Without console markup: what it prints (titles, error
        messages, reason phrases) comes from the origins, and "[/x]" in a table cell would
        otherwise be read as a closing tag and end the command with a traceback."""
        if self._out is None:
            from rich.console import Console

            self._out = Console(soft_wrap=True, markup=False)
        return self._out

    @property
    def err(self) -> Console:
        """Rich console on stderr, without console markup (see :attr:`out`)."""
        if self._err is None:
            from rich.console import Console

            self._err = Console(stderr=True, soft_wrap=True, markup=False)
        return self._err

    def lock(self, command: str, wait: float | None = None) -> StoreLock:
        """The store's lock for ``command`` (taken by the caller: ``with app.lock(...)``).

        Raises:
            StoreBusy: another process holds it (after ``wait`` seconds).
        """
        from tdlc_syndication.pipeline.lock import StoreLock

        return StoreLock(self.database(), command, wait)

    def cached_snapshot(self) -> dict[str, Any] | None:
        """The settings snapshot the cache holds for the file's current bytes, the settings
        models and this program's items version (see ``overview``); None when it holds
        none. Loaded settings give the same snapshot (every `run --once` asks, to publish:
        working it out again builds the serialisers of every source model, 10-50 ms)."""
        from tdlc_syndication.pipeline.overview import cached_snapshot

        if self._snapshot is None:  # read (and the settings file hashed) once a command
            self._snapshot = (cached_snapshot(self.config_path),)
        return self._snapshot[0]

    def database(self) -> Path:
        """The store's path, from the snapshot when there is a current one (the settings
        are loaded only when a command needs more of them)."""
        cached = self.cached_snapshot()
        return Path(cached["database"]) if cached else self.settings.site.database

    def context(self) -> Context:
        """A run context for the loaded settings."""
        from tdlc_syndication.pipeline.context import Context

        return Context.create(self.settings)

    def echo(self, text: str) -> None:
        """Print one plain line on stdout (not with ``-q``)."""
        if not self.quiet:
            click.echo(text)

    def fail(self, message: str, code: int = EXIT_USAGE) -> NoReturn:
        """Stop with one error line and ``code``."""
        raise CliError(message, code)

    def source_configs(self, source_ids: tuple[str, ...]) -> list[SourceConfig]:
        """The sources named (all enabled ones when none is named).

        Raises:
            CliError: a named source is not in the settings.
        """
        known = {s.id: s for s in self.settings.sources}
        unknown = [s for s in source_ids if s not in known]
        if unknown:
            self.fail(f"unknown source {', '.join(unknown)}; known: {', '.join(known)}")
        if source_ids:
            return [known[s] for s in source_ids]
        return [s for s in self.settings.sources if s.enabled]


pass_app = click.make_pass_decorator(App)

wait_option = click.option(
    "--wait",
    type=float,
    is_flag=False,
    flag_value=float("inf"),
    default=None,
    metavar="[SECONDS]",
    help="When another process is using the store, wait for it (SECONDS at most; forever "
    "without a number) instead of exiting with code 4.",
)


def _quiet_here(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    app = ctx.find_object(App)
    if value and app is not None:
        app.verbosity = -1
        configure_logging(-1, "json" if app.log_format == "json" else "text")


quiet_option = click.option(
    "-q",
    "--quiet",
    is_flag=True,
    expose_value=False,
    callback=_quiet_here,
    help="Print errors only (for cron); the same as `syndicate -q`.",
)


@click.group(
    cls=Group,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
@click.option(
    "--config",
    "-c",
    "config_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help=f"Settings file. Default: ${ENV_VAR}, else ./syndicate.toml, else the built-in demo.",
)
@click.option("-v", "--verbose", count=True, help="More log lines (-v info, -vv debug).")
@click.option("-q", "--quiet", is_flag=True, help="Print errors only (for cron).")
@click.option(
    "--log-format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Log lines as text or as one JSON object per line.",
)
@click.version_option(package_name="tdlc-syndication")
@click.pass_context
def cli(
    ctx: click.Context, config_path: Path | None, verbose: int, quiet: bool, log_format: str
) -> None:
    """Gather the program's materials from many sources and publish feeds and a site.

    Typical use: `syndicate run` as a service, `syndicate run --once` from cron, or
    `syndicate fetch` then `syndicate publish` by hand.
    """
    verbosity = -1 if quiet else verbose
    configure_logging(verbosity, "json" if log_format == "json" else "text")
    ctx.obj = App(find_config(config_path), verbosity, log_format)


def main() -> None:
    """Console-script entry point."""
    main_thread = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, _terminate) if main_thread else None
    try:
        cli.main(prog_name="syndicate", standalone_mode=True)
    except KeyboardInterrupt:
        click.echo("interrupted", err=True)
        sys.exit(130)
    finally:
        if main_thread:
            signal.signal(signal.SIGTERM, previous)
        # Leaving: what is left lives until the process ends, so the collections of the
        # interpreter's shutdown need not walk it (10-20 ms of every short command).
        gc.freeze()
