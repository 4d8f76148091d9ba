"""The settings error. It lives here because ``config`` is the lowest layer;
``pipeline.errors`` re-exports it as part of the project's one exception tree."""

from __future__ import annotations


class ConfigError(Exception):
    """A settings file is missing, unreadable or invalid.

    Attributes:
        path: the file that was read.
        problems: one line per problem, each naming the field and the fix.
    """

    def __init__(self, path: str, problems: list[str]) -> None:
        self.path = path
        self.problems = problems
        super().__init__("\n".join(f"{path}: {p}" for p in problems))
