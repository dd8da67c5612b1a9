"""Where a candidate's CPU goes on the check path, phase by phase, beside the parts no rewrite of ours can remove.

    python bench/bench_phases.py /tmp/pop/b100000.jsonl --n 5000 --repeat 5

In one process, over the first N dossiers of a JSON-lines bundle: every phase of `check --no-record --format
jsonl` is timed on the inputs the phase before it produced (made once, untimed), 500 dossiers at a time with what
it made freed after each 500 (as a batch of `check` frees its candidates), the phases interleaved round by round
(A B C ... A B C ...), the garbage collector off inside a phase as it is inside a batch. Each figure is the least
CPU time a candidate over the rounds: on a shared machine the least disturbed round. Last, the same dossiers go
through ``decide_batch`` as `check` runs it (reading the lines, every phase in turn over the batch, the batch's
result), to set beside the phases' sum.

Beside them, the parts fixed by the design (pydantic validates every dossier, durable-rules evaluates every
plan): parsing and validating the dossier with pydantic (the native validator `check` uses; the model's own and
orjson's parse alone for comparison) and durable-rules evaluating the compiled plan. With reading and writing
the bytes (``bench_scale.py``'s floor) they are the floor under any implementation of this pipeline on this
machine; the report states what is left of a per-candidate budget (``--budget``, issue #12 goal 2:
150 µs) for everything else: deriving the facts, deciding, writing the decision line.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from engine.compiler.plan import encode_row  # noqa: E402
from engine.decide import stream  # noqa: E402
from engine.decide.decision import decide  # noqa: E402
from engine.decide.inputs import Lines  # noqa: E402
from engine.decide.pipeline import select_position  # noqa: E402
from engine.decide.record import record_line  # noqa: E402
from engine.facts.derive import derive  # noqa: E402
from engine.load.candidate import Candidate  # noqa: E402
from engine.load.fast import fast_validator  # noqa: E402
from engine.load.intake import plain_candidate  # noqa: E402
from engine.load.library import load_library  # noqa: E402

# (key, label, fixed): a fixed phase is the work of a library the design prescribes (pydantic, durable-rules); the
# others are layak's own code. The durable figure holds our adapter's few steps around the C engine.
PHASES = (
    ("parse", "orjson.loads alone (for comparison)", False),
    ("validate", "pydantic: parse and validate, native validator from bytes", True),
    ("model", "pydantic validation, the model's own (for comparison)", False),
    ("load", "load: the whole fast path (validation + duplicate-key and number checks)", False),
    ("derive", "derive facts", False),
    ("encode", "encode plan rows", False),
    ("durable", "durable-rules evaluation (batches of 500)", True),
    ("decide", "decide (Decision objects)", False),
    ("line", "write the decision line (JSON)", False),
    ("batch", "all of it as `check` runs it: decide_batch over batches of 500 lines", False),
)
BATCH = 500  # candidates a batch, as `check` sends them to a worker
PIPELINE = ("load", "derive", "encode", "durable", "decide", "line")  # what `check` runs for each candidate


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("bundle", type=Path, help="a JSON-lines bundle of dossiers (fixtures/population/generate.py)")
    parser.add_argument("--n", type=int, default=5000, help="dossiers timed (the bundle's first N)")
    parser.add_argument("--repeat", type=int, default=5, help="interleaved rounds; the least CPU is kept")
    parser.add_argument("--position", default="administrator")
    parser.add_argument("--as-of", default="2026-12-01")
    parser.add_argument("--budget", type=float, default=150.0, help="µs a candidate to compare with")
    args = parser.parse_args()

    with args.bundle.open("rb") as handle:
        lines = [line for _, line in zip(range(args.n), handle, strict=False)]
    batches, at = [], 0  # the same lines as `check` hands them to a worker: places in the bundle, 500 a batch
    for first in range(0, len(lines), BATCH):
        size = sum(map(len, lines[first : first + BATCH]))
        part = lines[first : first + BATCH]
        batches.append(Lines(str(args.bundle), first + 1, at, at + size - 1, len(part)))
        at += size
    as_of = dt.date.fromisoformat(args.as_of)
    ruleset = load_library(ROOT / "rules").for_position(args.position, None, as_of)
    setup = stream.Setup(
        ruleset=ruleset, position_id=select_position(ruleset, args.position).id, as_of=as_of, want="lines"
    )
    engine = stream.engine_for(setup)
    plan, layout = engine.layout.plan, engine.layout

    # Each phase's input, made once by the phase before it (untimed).
    loaded = [plain_candidate(f"line {n}", line.rstrip(b"\n")) for n, line in enumerate(lines, 1)]
    if any(item is None for item in loaded):
        sys.exit("every dossier of the bundle must take the fast path (a generated bundle does)")
    candidates = [item.candidate for item in loaded if item is not None]
    facts = [derive(candidate, as_of) for candidate in candidates]
    rows = [encode_row(plan, fact) for fact in facts]
    passed = engine.evaluate(rows)
    decisions = [decide(layout, c, f, p, "x") for c, f, p in zip(candidates, facts, passed, strict=True)]
    validator = fast_validator()
    raw = [line.rstrip(b"\n") for line in lines]
    cut = [range(first, min(first + BATCH, len(raw))) for first in range(0, len(raw), BATCH)]

    def each(make: Callable[[int], Any]) -> Callable[[], None]:
        """A phase over the dossiers batch by batch, what it made freed after each batch (as in a batch of `check`)."""

        def run() -> None:
            for part in cut:
                made = [make(i) for i in part]
                del made  # freeing what a phase made is part of its cost

        return run

    runs: dict[str, Callable[[], Any]] = {
        "parse": each(lambda i: orjson.loads(raw[i])),
        "validate": each(lambda i: validator.validate_json(raw[i])),
        "model": each(lambda i: Candidate.model_validate_json(raw[i])),
        "load": each(lambda i: plain_candidate("x", raw[i])),
        "derive": each(lambda i: derive(candidates[i], as_of)),
        "encode": each(lambda i: encode_row(plan, facts[i])),
        "durable": lambda: [engine.evaluate(rows[part.start : part.stop]) for part in cut],
        "decide": each(lambda i: decide(layout, candidates[i], facts[i], passed[i], "x")),
        "line": each(lambda i: record_line(decisions[i])),
        "batch": lambda: [stream.decide_batch(setup, index, lines) for index, lines in enumerate(batches)],
    }
    count = len(raw)
    best = {key: float("inf") for key in runs}
    gc.freeze()  # the inputs above are long-lived: no collection rescans them
    for round_ in range(args.repeat):
        for key, run in runs.items():
            gc.collect()
            gc.disable()
            start = time.process_time_ns()
            run()
            spent = time.process_time_ns() - start
            gc.enable()
            best[key] = min(best[key], spent / count / 1000)
        print(f"round {round_ + 1}/{args.repeat} done", file=sys.stderr)
    report(best, count, args, os.getloadavg())


def report(best: dict[str, float], count: int, args: argparse.Namespace, load: tuple[float, float, float]) -> None:
    print(f"{count:,} dossiers of {args.bundle.name}, {args.position} as of {args.as_of}; least CPU of "
          f"{args.repeat} interleaved rounds; load average {load[0]:.2f} at the end\n")  # fmt: skip
    print("| phase | µs a candidate | set by the design |")
    print("|---|---|---|")
    for key, label, fixed in PHASES:
        print(f"| {label} | {best[key]:.1f} | {'yes' if fixed else ''} |")
    pipeline = sum(best[key] for key in PIPELINE)
    fixed = best["validate"] + best["durable"]
    ours = pipeline - best["validate"] - best["durable"]
    print(f"\nthe pipeline's phases in all: {pipeline:.1f} µs a candidate; run together as `check` runs them: "
          f"{best['batch']:.1f} µs (start-up and output writing not included)")  # fmt: skip
    print(f"fixed: pydantic {best['validate']:.1f} + durable-rules {best['durable']:.1f} = {fixed:.1f} µs, plus "
          "reading the input and writing the output (bench_scale.py's floor)")  # fmt: skip
    print(f"left of a {args.budget:.0f} µs budget for everything else: {args.budget - fixed:.1f} µs; "
          f"that costs {ours:.1f} µs now (loading glue, derivation, encoding, deciding, the line)")  # fmt: skip


if __name__ == "__main__":
    main()
