"""How fast the commands an operator types start: ``--help``, ``status`` and ``health`` on
a store the benchmark filled, against Python alone and Python importing click (the least
any click program costs), started in turn so that a busy moment of the machine slows
them all alike. Two more baselines bound a ``run``: Python importing urllib3 (what the
floor's process pays before its first request) and the settings loaded (click and urllib3
imported and the benchmark's settings loaded as every command loads them, from the cache
of validated settings once the file has been validated: what every ``run`` pays before
its first request)::

    python -m bench.startup SETTINGS [STARTS]

The benchmark's standard run (``python -m bench.run``) adds this section to its report.
"""

from __future__ import annotations

import sys
import tomllib
from collections.abc import Mapping, Sequence
from pathlib import Path

from bench.measure import Sample, measure, median

#: The in-run baselines, then syndicate's commands (each with the settings file).
BASELINES = ("python", "python + click", "python + urllib3", "settings loaded")
COMMANDS = ("--help", "status", "health")
TARGET_MS = 150  # the target for syndicate's commands


_LOAD_SETTINGS = (
    "import sys, click, urllib3\n"
    "from pathlib import Path\n"
    "from tdlc_syndication.pipeline.loading import load_quickly\n"
    "load_quickly(Path(sys.argv[1]))"
)


def startup_commands(settings: Path) -> dict[str, list[str]]:
    """The command line of every measured start."""
    py = sys.executable
    cli = [py, "-m", "tdlc_syndication.pipeline", "--config", str(settings)]
    return {
        "python": [py, "-c", "pass"],
        "python + click": [py, "-c", "import click"],
        "python + urllib3": [py, "-c", "import urllib3"],
        "settings loaded": [py, "-c", _LOAD_SETTINGS, str(settings)],
        "--help": [*cli, "--help"],
        "status": [*cli, "status"],
        "health": [*cli, "health"],
    }


def measure_starts(commands: Mapping[str, Sequence[str]], starts: int) -> dict[str, Sample]:
    """Start every command ``starts`` times, taking turns; the median of each measure."""
    runs: dict[str, list[Sample]] = {name: [] for name in commands}
    for _ in range(starts):
        for name, command in commands.items():
            runs[name].append(measure(command))
    return {name: median(samples) for name, samples in runs.items()}


def startup_table(results: Mapping[str, Sample], sources: int, starts: int, rounds: int = 1) -> str:
    """The Markdown section: each command's median start (over ``starts`` starts, and the
    median of ``rounds`` such medians), and what syndicate adds to Python with click. No
    peak memory: a child's maximum RSS counts the benchmark process it was forked from."""
    click = results["python + click"].wall
    median_of = f"median of {starts} starts"
    if rounds > 1:
        median_of += f", median of {rounds} rounds"
    lines = [
        f"### Start-up ({sources} sources in the store, {median_of})",
        "",
        "| command | wall | CPU | beyond Python + click | target |",
        "|---|---|---|---|---|",
    ]
    for name in (*BASELINES, *COMMANDS):
        s = results[name]
        beyond = f"{(s.wall - click) * 1000:.0f} ms" if name in COMMANDS else "–"
        target = ("met" if s.wall * 1000 < TARGET_MS else "not met") if name in COMMANDS else "–"
        lines.append(
            f"| `{name}` | {s.wall * 1000:.0f} ms | {s.cpu * 1000:.0f} ms | {beyond} | {target} |"
        )
    return "\n".join(lines) + "\n"


def warm_bound(results: Mapping[tuple[str, str], Sample], latency: float) -> str | None:
    """A paragraph: the warm target (the plain script's warm run ÷ 3) beside the least a
    warm ``run`` of this design can take (the settings loaded, then the requests alone:
    the floor's warm run less its start); None without those measures."""
    try:
        ours = results[("syndicate", "warm")].wall
        plain = results[("plain", "warm")].wall
        floor = results[("floor", "warm")].wall
        loaded = results[("start", "settings loaded")].wall
        bare = results[("start", "python + urllib3")].wall
    except KeyError:
        return None
    requests = max(0.0, floor - bare)
    text = (
        f"Warm bound at {latency * 1000:.0f} ms: the 3× target asks for {plain / 3:.2f} s; "
        f"a run of this design pays {loaded:.2f} s before its first request (settings "
        f"loaded) and the requests alone take {requests:.2f} s (the floor's warm run less "
        f"its start), so none takes less than {loaded + requests:.2f} s (syndicate: "
        f"{ours:.2f} s)."
    )
    curl = results.get(("curl", "warm"))
    if curl is not None:
        left = plain / 3 - curl.wall
        text += f" From C, with no Python at all, curl's warm run takes {curl.wall:.2f} s: " + (
            f"a client of any design has {left:.2f} s of the target left to start, read its "
            "settings and record what it heard."
            if left > 0
            else "the requests alone, from any client, take longer than the target."
        )
    return text + "\n"


def main() -> None:
    """Measure the starts on an existing settings file and store; print the table."""
    if len(sys.argv) < 2:
        sys.exit("usage: python -m bench.startup SETTINGS [STARTS]")
    settings = Path(sys.argv[1]).resolve()
    starts = int(sys.argv[2]) if len(sys.argv) > 2 else 30
    results = measure_starts(startup_commands(settings), starts)
    sources = len(tomllib.loads(settings.read_text("utf-8")).get("sources", []))
    print(startup_table(results, sources, starts))


if __name__ == "__main__":
    main()
