"""Interleaved repeated timing: every case once per round, medians over the rounds.

Interleaving (A B C A B C ...) spreads slow phases of a shared, noisy machine over all cases
instead of letting one case absorb them. Garbage left by a case is collected between cases,
outside the timed region, so a case never pays for its predecessor's objects.
"""

from __future__ import annotations

import gc
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Case:
    key: str
    label: str
    run: Callable[[], object]


@dataclass
class Timing:
    case: Case
    candidates: int
    wall_ns: list[int] = field(default_factory=list)
    cpu_ns: list[int] = field(default_factory=list)

    @property
    def median_us(self) -> float:
        """Median wall time per candidate, in microseconds."""
        return statistics.median(self.wall_ns) / self.candidates / 1_000

    @property
    def median_cpu_us(self) -> float:
        """Median process CPU time per candidate: not inflated while the process waits for a core."""
        return statistics.median(self.cpu_ns) / self.candidates / 1_000

    @property
    def min_us(self) -> float:
        """Fastest round per candidate: the least disturbed by other load on the machine."""
        return min(self.wall_ns) / self.candidates / 1_000

    @property
    def spread(self) -> float:
        """Slowest round over fastest round (1.00 = perfectly steady)."""
        return max(self.wall_ns) / min(self.wall_ns)

    @property
    def cpu_per_wall(self) -> float:
        """Process CPU time over wall time: below 1 means waiting (or the box was busy elsewhere)."""
        return sum(self.cpu_ns) / sum(self.wall_ns)


def measure(
    cases: list[Case], candidates: int, repeat: int, progress: Callable[[str], None] | None = None
) -> dict[str, Timing]:
    """Run every case ``repeat`` times, interleaved; results are dropped, only the clocks are kept."""
    timings = {case.key: Timing(case, candidates) for case in cases}
    for round_ in range(repeat):
        for case in cases:
            gc.collect()
            cpu, wall = time.process_time_ns(), time.perf_counter_ns()
            result = case.run()
            wall, cpu = time.perf_counter_ns() - wall, time.process_time_ns() - cpu
            del result
            timings[case.key].wall_ns.append(wall)
            timings[case.key].cpu_ns.append(cpu)
            if progress:
                progress(f"round {round_ + 1}/{repeat} {case.key}: {wall / candidates / 1_000:,.1f} µs/candidate")
    gc.collect()
    return timings
