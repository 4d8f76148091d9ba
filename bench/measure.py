"""Measuring one benchmark process: wall time, CPU time and peak memory."""

from __future__ import annotations

import os
import statistics
import subprocess
import time
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent  # where `python -m bench...` runs


@dataclass(frozen=True, slots=True)
class Sample:
    """One measured process; ``ok``: it exited with a code its tool gives on success."""

    wall: float
    cpu: float
    rss_mb: float
    code: int
    ok: bool = True


def child_env() -> dict[str, str]:
    """The environment of a measured process: this one's, but run as installed programs
    run, with their compiled bytecode (some shells turn it off)."""
    return {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def measure(command: Sequence[str], cwd: Path = REPO, accepted: Collection[int] = (0, 1)) -> Sample:
    """Run ``command`` to its end and read its wall time, CPU time and peak memory; an exit
    code outside ``accepted`` (syndicate exits 1 when a source failed; a Python script
    that crashed exits 1 too) marks the sample failed and prints the end of its stderr."""
    started = time.perf_counter()
    proc = subprocess.Popen(
        command, cwd=cwd, env=child_env(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    errors = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
    ok = proc.returncode in accepted
    if not ok:
        print(f"  ! {' '.join(command[:4])}... exit {proc.returncode}: {errors[-800:]}", flush=True)
    cpu = usage.ru_utime + usage.ru_stime
    return Sample(wall, cpu, usage.ru_maxrss / 1024, proc.returncode, ok)


def median(samples: list[Sample]) -> Sample:
    """The median of each measure."""
    return Sample(
        statistics.median(s.wall for s in samples),
        statistics.median(s.cpu for s in samples),
        statistics.median(s.rss_mb for s in samples),
        max(s.code for s in samples),
        all(s.ok for s in samples),
    )
