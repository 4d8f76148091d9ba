"""The benchmark: syndicate against the plain-script baseline, ``reader`` and the floors
(the requests alone: from Python threads, ``bench.floor``, and from C, ``bench.curl_floor``;
the bare work of a run, ``bench.work_floor``), on a seeded corpus served from 25 loopback
addresses, and a report in Markdown::

    python -m bench.run                          # the standard run: 400 x 50, 50 ms and 0 ms
    python -m bench.run --sources 100 --repeat 1 --tools syndicate,plain --latency 0.05
    python -m bench.run --sweep                  # 100, 1,000 and 10,000 sources
    python -m bench.run --huge                   # a 1,000,000-item store: publish and status

Scenarios, each in a fresh process, timed as wall and CPU seconds with peak memory
(max RSS): ``cold`` (empty store), ``warm`` (every source answers 304), ``changed`` (1 % of
the sources carry one new item), and for syndicate ``publish`` (nothing changed),
``polite`` (cold with the default ``[http]``: 2 requests per host at a time, 1 s apart),
``polite warm`` (the same settings and store again: every source answers 304; the report
sets each polite run's fetching, read from its store, and its whole run against their
floor, the busiest host's requests 1 s apart: ``bench.polite``) and the ticks of the service
(``bench.service``: warm, and after another 1 % of the sources got a new item, in one
process that stays up, as ``syndicate run`` does). For its cold, warm and changed runs the
report says, from the run records of its store, when every source had been fetched, read and
stored, and how much of the run came after (where a cold run publishes the whole site). Each
number is the median of ``--repeat`` runs. In a round the tools take turns scenario by
scenario (every tool's cold run, then every tool's warm run, ...), the first tool of one
round last in the next, and each ratio is the median of the rounds' own ratios: what it
compares ran back to back, however the machine's speed drifts. Then the start of ``--help``,
``status`` and ``health`` on the store those runs filled, beside Python alone and Python
importing click (``bench.startup``), once for each corpus size.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from bench import corpus
from bench.config import write_settings
from bench.measure import REPO, Sample, child_env, measure, median
from bench.polite import fetch_phase, polite_bound
from bench.startup import measure_starts, startup_commands, startup_table, warm_bound

BASE = "http://127.0.0.{host}:{port}{path}"
SERVICE_NOTE = (
    "service warm, service changed: one tick of `syndicate run`, the service, in a process "
    "kept up between ticks (`bench.service`; its first tick, which imports the program and "
    "opens the connections, is not counted), beside the plain script's warm and changed "
    "runs (a new process each time: it has no service). The targets are for `run --once`."
)
#: The scenarios whose report says when syndicate had fetched and stored every source.
PHASED = ("cold", "warm", "changed")
#: The rows of a table; a service tick is compared with the plain script's run of the same
#: scenario (the plain script has no service: each of its runs is a new process).
SCENARIOS = (
    "cold",
    "warm",
    "changed",
    "publish",
    "polite",
    "polite warm",
    "service warm",
    "service changed",
)


class Server:
    """The loopback server process for one corpus folder."""

    def __init__(self, root: Path, port: int, latency: float) -> None:
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "bench.server",
                "--root",
                str(root),
                "--port",
                str(port),
                "--latency",
                str(latency),
            ],
            cwd=REPO,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.proc.stdout is not None
        if not self.proc.stdout.readline().startswith("serving"):  # once every host listens
            self.stop()
            raise RuntimeError(f"the corpus server did not start on port {port} (in use?)")

    def stop(self) -> None:
        """Stop the server."""
        self.proc.terminate()
        self.proc.wait(10)


def tool_commands(tool: str, manifest: Path, base: str, work: Path) -> dict[str, list[str]]:
    """The command of each scenario of one tool."""
    py = sys.executable
    if tool == "syndicate":
        config = str(work / "syndicate.toml")
        run = [py, "-m", "tdlc_syndication.pipeline", "--config", config, "-q", "run", "--once"]
        publish = [py, "-m", "tdlc_syndication.pipeline", "--config", config, "-q", "publish"]
        polite = [py, "-m", "tdlc_syndication.pipeline", "--config", str(work / "polite.toml")]
        polite += ["-q", "run", "--once"]
        return {"cold": run, "warm": run, "changed": run, "publish": publish, "polite": polite}
    module = {
        "plain": "bench.baseline",
        "reader": "bench.reader_baseline",
        "floor": "bench.floor",
        "curl": "bench.curl_floor",
        "work": "bench.work_floor",
    }[tool]
    command = [py, "-m", module, str(manifest), base, str(work)]
    return {"cold": command, "warm": command, "changed": command}


def one_percent(
    specs: Sequence[corpus.SourceSpec], *, shifted: bool = False
) -> Sequence[corpus.SourceSpec]:
    """1 % of the sources (one at least), spread evenly over the corpus; ``shifted``: as
    many others, half a step on (the service's changed tick, after the ``changed`` run)."""
    count = max(1, len(specs) // 100)
    step = max(1, len(specs) // count)
    return specs[step // 2 if shifted else 0 :: step][:count]


def service_ticks(
    settings: Path, served: Path, specs: Sequence[corpus.SourceSpec], warm_ticks: int = 3
) -> dict[tuple[str, str], Sample]:
    """Syndicate as a service (``bench.service``: one process kept up between ticks) on the
    store the runs filled: a first tick (imports, connections: paid once by the service),
    then ``warm_ticks`` warm ticks (their median) and one tick after another 1 % of the
    sources got a new item. Wall and CPU per tick; peak memory of the whole process."""
    command = [sys.executable, "-m", "bench.service", str(settings)]
    proc = subprocess.Popen(command, cwd=REPO, env=child_env(), stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True)  # fmt: skip
    ask, answers = proc.stdin, proc.stdout
    assert ask is not None
    assert answers is not None

    def tick() -> dict[str, float]:
        ask.write("tick\n")
        ask.flush()
        line = answers.readline()
        if not line:
            raise RuntimeError(f"bench.service ended early: {' '.join(command)}")
        return dict(json.loads(line))

    try:
        tick()
        warm = [tick() for _ in range(warm_ticks)]
        for n, spec in enumerate(one_percent(specs, shifted=True)):
            corpus.add_item(served, spec, 1000 + n)
        changed = tick()
    finally:
        ask.close()
        _, status, usage = os.wait4(proc.pid, 0)
    code = os.waitstatus_to_exitcode(status)
    peak = usage.ru_maxrss / 1024
    warm_tick = median([Sample(t["wall"], t["cpu"], peak, code) for t in warm])
    return {
        ("syndicate", "service warm"): warm_tick,
        ("syndicate", "service changed"): Sample(changed["wall"], changed["cpu"], peak, code),
    }


def one_round(
    tools: Sequence[str],
    latency: float,
    port: int,
    corpus_dir: Path,
    specs: Sequence[corpus.SourceSpec],
    starts: int = 0,
    flip: bool = False,
) -> dict[tuple[str, str], Sample]:
    """Every scenario of every tool once (``specs``: the corpus' sources, as
    ``corpus.build`` gave them), each tool on its own copy of the corpus served on
    its own port (``port``, ``port + 1``, ...). The tools take turns scenario by scenario
    (every tool's cold run, then every tool's warm run, ...), in the order of ``tools``, or
    the other way round with ``flip``: the runs a ratio compares follow each other, so a
    machine that slows down through a round slows them alike, and neither tool always goes
    first. Then syndicate's own scenarios: the service's ticks, with ``starts`` its
    start-up (``bench.startup``, under the tool name ``start``) on the store the runs
    filled, and the polite runs, cold then warm. How long syndicate's cold, warm, changed
    and polite runs fetched (from their stores) is under the tool name ``fetched``."""
    results: dict[tuple[str, str], Sample] = {}
    order = list(reversed(tools)) if flip else list(tools)
    print(f"a round at {latency * 1000:.0f} ms: {', then '.join(order)}", flush=True)
    with contextlib.ExitStack() as stack:
        works: dict[str, Path] = {}  # each tool's folder: its settings, store and corpus
        commands: dict[str, dict[str, list[str]]] = {}
        for n, tool in enumerate(tools):
            work = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="bench-")))
            served = work / "corpus"
            shutil.copytree(corpus_dir, served)
            base = BASE.replace("{port}", str(port + n))
            write_settings(work / "syndicate.toml", specs, base, work)
            write_settings(work / "polite.toml", specs, base, work / "polite", polite=True)
            stack.callback(Server(served, port + n, latency).stop)
            works[tool] = work
            commands[tool] = tool_commands(tool, served / "manifest.json", base, work)
        for scenario in ("cold", "warm", "publish", "changed"):
            if scenario == "changed":  # the same new items in every tool's copy
                for work in works.values():
                    for n, spec in enumerate(one_percent(specs)):
                        corpus.add_item(work / "corpus", spec, n)
            for tool in order:
                command = commands[tool].get(scenario)
                if command is not None:
                    since = datetime.now(UTC)
                    # syndicate exits 1 when a source failed; the baselines only crash.
                    sample = measure(command, accepted=(0, 1) if tool == "syndicate" else (0,))
                    results[(tool, scenario)] = sample
                    print(f"  {scenario:<8} {tool:<10} {sample.wall:7.2f} s", flush=True)
                    if tool == "syndicate" and scenario in PHASED:
                        fetched = fetch_phase(works[tool] / "syndicate.db", since)
                        if fetched is not None:
                            results[("fetched", scenario)] = replace(sample, wall=fetched, cpu=0.0)
        if "syndicate" in works:
            settings = works["syndicate"] / "syndicate.toml"
            results.update(service_ticks(settings, works["syndicate"] / "corpus", specs))
            if starts:
                started = measure_starts(startup_commands(settings), starts)
                results.update((("start", name), s) for name, s in started.items())
            store = works["syndicate"] / "polite" / "syndicate.db"
            for scenario in ("polite", "polite warm"):  # the same store: then all 304
                since = datetime.now(UTC)
                polite = measure(commands["syndicate"]["polite"])
                results[("syndicate", scenario)] = polite
                fetched = fetch_phase(store, since)
                if fetched is not None:  # under its own name, as the starts are: no tool's
                    results[("fetched", scenario)] = replace(polite, wall=fetched, cpu=0.0)
    return results


def merge_rounds(
    rounds: Sequence[Mapping[tuple[str, str], Sample]],
) -> dict[tuple[str, str], Sample]:
    """Each measure's median over the rounds that have it (a polite run's fetching is
    missing from a round whose store could not be read), in the order they first appear."""
    keys = dict.fromkeys(key for results in rounds for key in results)
    return {key: median([r[key] for r in rounds if key in r]) for key in keys}


def paired_ratio(rounds: Sequence[Mapping[tuple[str, str], Sample]], scenario: str) -> float | None:
    """How many times faster syndicate ran ``scenario`` than the plain script: the median
    over the rounds of each round's own ratio (a service tick against the plain script's
    run of the same scenario); None without a round where both ran it without failing."""
    ratios = []
    for results in rounds:
        ours = results.get(("syndicate", scenario))
        plain = results.get(("plain", scenario.removeprefix("service ")))
        if ours is not None and plain is not None and ours.ok and plain.ok:
            ratios.append(plain.wall / ours.wall)
    return statistics.median(ratios) if ratios else None


def _cell(sample: Sample | None) -> str:
    """One tool's measures of one scenario, or why there are none."""
    if sample is None:
        return "–"
    if not sample.ok:
        return f"failed (exit {sample.code})"
    return f"{sample.wall:.2f} s / {sample.cpu:.2f} s / {sample.rss_mb:.0f} MB"


def table(
    title: str,
    results: Mapping[tuple[str, str], Sample],
    tools: Sequence[str],
    ratios: Mapping[str, float | None],
) -> str:
    """One Markdown table: scenarios by tool (``results``: the medians of the rounds), with
    each scenario's ``ratios`` of the plain script's time to syndicate's."""
    lines = [f"### {title}", "", "| scenario | " + " | ".join(
        f"{t} wall / CPU / peak" for t in tools
    ) + " | plain ÷ syndicate (wall) |", "|---" * (len(tools) + 2) + "|"]  # fmt: skip
    for scenario in SCENARIOS:
        cells = [_cell(results.get((tool, scenario))) for tool in tools]
        ratio = ratios.get(scenario)
        shown = "–" if ratio is None else f"{ratio:.1f}×"
        lines.append(f"| {scenario} | " + " | ".join(cells) + f" | {shown} |")
    if any(scenario.startswith("service") for _, scenario in results):
        lines += ["", SERVICE_NOTE]
    return "\n".join(lines) + "\n"


def phases(results: Mapping[tuple[str, str], Sample]) -> str | None:
    """Where syndicate's runs went (``results``: the medians of the rounds, each run's
    fetching under the tool name ``fetched``): the fetching, reading and storing of every
    source, then the rest of the run (its start, and the publish); None without those."""
    said = []
    for scenario in PHASED:
        run, fetched = results.get(("syndicate", scenario)), results.get(("fetched", scenario))
        if run is None or fetched is None or run.wall <= 0:
            continue
        rest = max(run.wall - fetched.wall, 0.0)
        said.append(
            f"{scenario}: every source fetched, read and stored {fetched.wall:.2f} s after the "
            f"first was taken; the run ended after {run.wall:.2f} s, so {rest:.2f} s "
            f"({rest / run.wall:.0%}) went to starting and to publishing"
        )
    if not said:
        return None
    return (
        "Where syndicate's runs go (from the run records of its store: when a worker took "
        "each source and when its result was stored; a cold run publishes the whole site, "
        "a warm one nothing): " + "; ".join(said) + ".\n"
    )


def work_bound(results: dict[tuple[str, str], Sample]) -> str | None:
    """What the bare work (``bench.work_floor``) reaches against the plain script, beside
    the targets (cold 5×, warm 3×); None without those measures."""
    lines = []
    for scenario, target in (("cold", 5), ("warm", 3)):
        work, plain = results.get(("work", scenario)), results.get(("plain", scenario))
        ours = results.get(("syndicate", scenario))
        if work is None or plain is None:
            continue
        line = (
            f"{scenario}: the {target}× target asks for {plain.wall / target:.2f} s; the bare "
            f"work takes {work.wall:.2f} s ({work.cpu:.2f} s of CPU, {plain.wall / work.wall:.1f}"
            "× the plain script)"
        )
        if ours is not None:
            line += f", syndicate {ours.wall:.2f} s ({ours.cpu:.2f} s of CPU)"
        lines.append(line + ".")
    if not lines:
        return None
    return (
        "The bare work of a run (`bench.work_floor`: the same requests, lxml, nh3, one SQLite "
        "transaction, the newest items in three formats and every item once in Atom pages; "
        "none of syndicate's other features): " + " ".join(lines) + "\n"
    )


def main() -> None:
    """Parse the options, run the rounds, write the report."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sources", type=int, default=400, help="sources in the corpus")
    parser.add_argument("--items", type=int, default=50, help="items in each source")
    parser.add_argument("--latency", default="0.05,0", help="seconds, comma-separated")
    parser.add_argument("--repeat", type=int, default=3, help="rounds; each number is their median")
    parser.add_argument(
        "--tools",
        default="syndicate,plain,reader,floor,work" + (",curl" if shutil.which("curl") else ""),
        help="syndicate, plain (the baseline script), reader, floor (the requests alone, "
        "urllib3 from 64 threads), work (the bare work: fetch, lxml, nh3, one SQLite "
        "transaction, three formats), curl (the requests alone from C; default when installed)",
    )
    parser.add_argument(
        "--port",
        type=int,
        default=8900,
        help="the first port of the corpus servers, one a tool (--port, --port + 1, ...)",
    )
    parser.add_argument(
        "--starts",
        type=int,
        default=20,
        help="starts of --help, status and health a round (at the first latency; 0: none)",
    )
    parser.add_argument("--sweep", action="store_true", help="100, 1,000 and 10,000 sources")
    parser.add_argument("--huge", action="store_true", help="a 1,000,000-item store")
    parser.add_argument(
        "--huge-items",
        type=int,
        nargs="+",
        help="the store sizes of --huge (default: bench.huge's)",
    )
    parser.add_argument(
        "--out", type=Path, default=REPO / "bench" / "report.md", help="the report's file"
    )
    args = parser.parse_args()
    tools = args.tools.split(",")
    if "reader" in tools and importlib.util.find_spec("reader") is None:
        parser.error(
            "--tools reader: the reader library is not installed; "
            'pip install -e ".[bench]", or leave reader out of --tools'
        )
    sections = [
        f"# Benchmark report\n\n`python -m bench.run {' '.join(sys.argv[1:])}` on "
        f"{os.cpu_count()} cores, {time.strftime('%Y-%m-%d')}. Medians of {args.repeat} runs; "
        f"each run on a fresh store. syndicate settings: workers 64, per_host 4, host_delay 0.\n"
    ]
    sizes = [100, 1000, 10_000] if args.sweep else [args.sources]
    for sources in sizes:
        with tempfile.TemporaryDirectory(prefix="bench-corpus-") as tmp:
            corpus_dir = Path(tmp)
            specs = corpus.build(corpus_dir, sources=sources, items=args.items)
            latencies = [float(v) for v in args.latency.split(",")]
            for latency in latencies:
                starts = args.starts if latency == latencies[0] else 0  # once a size
                rounds = [
                    one_round(tools, latency, args.port, corpus_dir, specs, starts, flip=n % 2 == 1)
                    for n in range(args.repeat)
                ]
                merged = merge_rounds(rounds)
                ratios = {scenario: paired_ratio(rounds, scenario) for scenario in SCENARIOS}
                title = f"{sources} sources × {args.items} items, {latency * 1000:.0f} ms latency"
                sections.append(table(title, merged, tools, ratios))
                print(sections[-1], flush=True)
                measured = {key: s for key, s in merged.items() if s.ok}  # bounds: no failed run
                for line in (
                    phases(measured),
                    work_bound(measured),
                    polite_bound(measured, specs),
                ):
                    if line:
                        sections.append(line)
                        print(line, flush=True)
                started = {name: s for (tool, name), s in merged.items() if tool == "start"}
                if started:
                    sections.append(startup_table(started, sources, starts, args.repeat))
                    print(sections[-1], flush=True)
                    bound = warm_bound(measured, latency)
                    if bound:
                        sections.append(bound)
                        print(bound, flush=True)
    if args.huge:
        from bench.huge import SIZES, huge_section

        sections.append(huge_section(tuple(args.huge_items or SIZES)))
    args.out.write_text("\n".join(sections), encoding="utf-8")
    print(f"report written to {args.out}")


if __name__ == "__main__":
    main()
