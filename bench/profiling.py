"""cProfile of the durable path (case 1), to see where the time goes when it misses the target.

(Not named ``profile.py``: that would shadow the standard-library module cProfile imports.)
"""

from __future__ import annotations

import cProfile
import io
import pstats

from workload import Workload

from engine.evaluate.durable import DurableEvaluator


def run(workload: Workload, top: int) -> str:
    """Profile evaluate + decide once over the whole workload; the tables sorted by own and cumulative time."""
    with DurableEvaluator(workload.plan) as evaluator:
        workload.slice(0, min(500, len(workload.rows))).decisions(evaluator.evaluate(workload.rows[:500]))  # warm
        profiler = cProfile.Profile()
        profiler.enable()
        decisions = workload.decisions(evaluator.evaluate(workload.rows))
        profiler.disable()
    del decisions
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out).strip_dirs()
    for order in ("tottime", "cumulative"):
        out.write(f"\n--- durable path over {len(workload.rows):,} candidates, top {top} by {order} ---\n")
        stats.sort_stats(order).print_stats(top)
    return out.getvalue()
