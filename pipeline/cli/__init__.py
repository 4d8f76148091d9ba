"""The ``syndicate`` command line: the group and its errors in ``app``, the commands in
one module per subject (sources, outputs, items, operations, the daemon, the digest).

A command's module is imported when the command is looked up (``app.COMMAND_MODULES``);
``all_commands()`` imports every one, for code that walks ``cli.commands``.
"""

import click

from tdlc_syndication.pipeline.cli.app import cli, main


def all_commands() -> dict[str, click.Command]:
    """Every command by name, each module imported."""
    from importlib import import_module

    from tdlc_syndication.pipeline.cli.app import COMMAND_MODULES

    for module in sorted(set(COMMAND_MODULES.values())):
        import_module(f"{__name__}.{module}")
    return dict(cli.commands)


__all__ = ["all_commands", "cli", "main"]
