"""The redirect list of the output folder (``_redirects``): the old addresses of renamed
feeds and pages with their new ones, as ``outputs.moved`` writes it and static hosts
(Netlify, Cloudflare Pages, GitLab Pages) read it, one rule a line::

    /feeds/place/hcmc.atom /feeds/place/ho-chi-minh-city.atom 301
    /place/hcmc/* /place/ho-chi-minh-city/:splat 301

``syndicate serve`` answers those addresses with the redirect (:class:`Redirects`).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

FILE = "_redirects"
_STATUSES = {301, 302, 303, 307, 308}


@dataclass(frozen=True, slots=True)
class Rule:
    """One line: ``old`` a path, or a prefix ending in ``/*``; ``new`` may end in ``:splat``
    (the rest of the path under the prefix)."""

    old: str
    new: str
    status: int

    def target(self, path: str) -> str | None:
        """Where ``path`` goes by this rule, None when the rule does not take it."""
        if self.old.endswith("/*"):
            prefix = self.old[:-1]
            if not path.startswith(prefix):
                return None
            return self.new.replace(":splat", path[len(prefix) :])
        return self.new if path == self.old else None


def parse_rules(text: str) -> list[Rule]:
    """The rules of a ``_redirects`` text: blank lines, ``#`` comments and lines that are
    no rule of this form (a host's own extensions) are passed over."""
    rules = []
    for line in text.splitlines():
        parts = line.split("#", 1)[0].split()
        if len(parts) not in (2, 3) or not parts[0].startswith("/"):
            continue
        status = parts[2].rstrip("!") if len(parts) == 3 else "301"
        if status.isdigit() and int(status) in _STATUSES:
            rules.append(Rule(parts[0], parts[1], int(status)))
    return rules


class Redirects:
    """The redirects of an output folder for a server that serves it at ``/``: the rules'
    paths start with the site's path (``base``, from ``site.base_url``), which is taken
    off. Read again when the file changes; none while there is no file."""

    def __init__(self, folder: Path, base: str = "/") -> None:
        self.path = folder / FILE
        self.base = base if base.endswith("/") else f"{base}/"
        self._lock = threading.Lock()
        self._read: tuple[int, int] | None = None
        self._rules: list[Rule] = []

    def target(self, path: str) -> tuple[int, str] | None:
        """(status, address) for a request's path (decoded), None when no rule takes it."""
        for rule in self._current():
            found = rule.target(path)
            if found is not None:
                return rule.status, found
        return None

    def _current(self) -> list[Rule]:
        try:
            stat = self.path.stat()
        except OSError:
            return []
        seen = (stat.st_size, stat.st_mtime_ns)
        with self._lock:
            if seen != self._read:
                try:
                    text = self.path.read_text("utf-8", errors="replace")
                except OSError:
                    return []
                self._rules = [self._local(rule) for rule in parse_rules(text)]
                self._read = seen
            return self._rules

    def _local(self, rule: Rule) -> Rule:
        """The rule with the site's path taken off its paths (``/cpp/x`` → ``/x``)."""

        def local(path: str) -> str:
            return "/" + path.removeprefix(self.base) if path.startswith(self.base) else path

        return Rule(local(rule.old), local(rule.new), rule.status)
