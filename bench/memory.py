"""Memory flatness of the durable path: resident memory after warm-up versus after 100,000 evaluations.

One evaluation = one candidate taken from encoded facts to a full ``Decision`` through
``DurableEvaluator.evaluate`` and ``decide``, exactly as in the timed case (1). The workload's
rows are cycled in batches (as successive candidate files would be), the decisions of a batch are
dropped before the next, and one ``DurableEvaluator`` lives for the whole run, as in a service.
A leak per evaluation (C states not deleted, ids accumulating, caches keyed by candidate) shows as
growth; a constant overhead such as allocator arenas is absorbed by the warm-up.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from dataclasses import dataclass

import psutil  # type: ignore[import-untyped]  # no stubs in the venv
from workload import Workload

from engine.evaluate.durable import DurableEvaluator

MB = 1024 * 1024
TARGET_MB = 5.0


@dataclass(frozen=True)
class MemoryReport:
    warmup: int
    evaluations: int
    batch: int
    baseline_mb: float
    final_mb: float
    samples: list[tuple[int, float]]

    @property
    def growth_mb(self) -> float:
        return self.final_mb - self.baseline_mb


def _batches(workload: Workload, batch: int, total: int) -> Iterator[Workload]:
    """Successive batches cycling over the workload's rows, until ``total`` candidates were served."""
    n = len(workload.rows)
    start = served = 0
    while served < total:
        size = min(batch, total - served, n - start)
        yield workload.slice(start, start + size)
        served += size
        start = (start + size) % n


def _rss_mb() -> float:
    gc.collect()
    return float(psutil.Process().memory_info().rss) / MB


def run(workload: Workload, *, evaluations: int, warmup: int, batch: int, sample_every: int) -> MemoryReport:
    with DurableEvaluator(workload.plan) as evaluator:

        def serve(total: int, samples: list[tuple[int, float]] | None) -> None:
            done = 0
            for part in _batches(workload, batch, total):
                decisions = part.decisions(evaluator.evaluate(part.rows))
                done += len(decisions)
                del decisions
                if samples is not None and done % sample_every == 0:
                    samples.append((done, _rss_mb()))

        serve(warmup, None)
        baseline = _rss_mb()
        samples: list[tuple[int, float]] = [(0, baseline)]
        serve(evaluations, samples)
        final = _rss_mb()  # before close(): freeing the C rulesets would hide growth
    return MemoryReport(warmup, evaluations, batch, baseline, final, samples)


def report(result: MemoryReport) -> list[str]:
    verdict = "PASS" if result.growth_mb < TARGET_MB else "FAIL"
    lines = [
        f"memory: durable path (DurableEvaluator.evaluate + decide), batches of {result.batch:,} candidates, "
        f"one evaluator for the whole run",
        f"  warm-up {result.warmup:,} evaluations, then {result.evaluations:,} evaluations; RSS after gc.collect()",
        "  evaluations   RSS MB   growth MB",
    ]
    lines += [f"  {done:>11,}   {rss:6.1f}   {rss - result.baseline_mb:+9.2f}" for done, rss in result.samples]
    lines.append(
        f"  RSS growth after warm-up: {result.growth_mb:+.2f} MB over {result.evaluations:,} evaluations "
        f"(target < {TARGET_MB:.0f} MB): {verdict}"
    )
    return lines
