"""The bytes a recorded check stores, one digest line a record, to compare two versions of the code side by side.

Runs the streamed check's recording path in process (a worker's batches: decide, record line, draft) over the first
N dossiers of a bundle, with each batch's salts drawn in order from a generator seeded by the batch's number, and
places the drafts in a chain as the store would (a tree whose worker drafts a batch as columns, or one draft per
decision: either is run the way it records). Each output line holds the record's seq and NIP and the
SHA-256 of its record, of its personal column and of the whole row (columns, chain hash). Run it from the root of
each tree with that tree on the path, then compare the outputs (``cmp``): equal files mean equal stored bytes.

    cd /tmp/main-copy && PYTHONPATH=. python /path/to/bench/record_bytes.py /tmp/a.txt BUNDLE 2000 lines
    cd WORKTREE && python bench/record_bytes.py /tmp/b.txt BUNDLE 2000 lines && cmp /tmp/a.txt /tmp/b.txt

WANT is what the run prints besides recording: lines (jsonl), entries (json) or rows (table, csv).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import random
import sys
from pathlib import Path
from typing import Any

import orjson

sys.path.insert(0, os.getcwd())  # the tree run from, not the one this file lies in

from engine.audit.record import place  # noqa: E402
from engine.decide import stream  # noqa: E402
from engine.decide.inputs import Lines  # noqa: E402
from engine.decide.pipeline import select_position  # noqa: E402
from engine.load.library import load_library  # noqa: E402

BATCH = 500


def main(out: str, bundle: str, count: int, want: str) -> None:
    data = Path(bundle).read_bytes()
    starts = [0]
    while len(starts) <= count and (end := data.find(b"\n", starts[-1])) >= 0:
        starts.append(end + 1)
    total = len(starts) - 1
    batches = [
        Lines(bundle, i + 1, starts[i], starts[min(i + BATCH, total)] - 1, min(i + BATCH, total) - i)
        for i in range(0, total, BATCH)
    ]
    as_of = dt.date(2026, 12, 1)
    ruleset = load_library(Path("rules")).for_position("administrator", None, as_of)
    position = select_position(ruleset, "administrator").id
    setup = stream.Setup(
        ruleset=ruleset, position_id=position, as_of=as_of, want=want, record=True, actor="siti", run_id="01JRUN"
    )
    engine = stream.engine_for(setup)
    salts: list[Any] = [None]  # the salt source of the batch being decided: seeded by its index
    if hasattr(engine, "drafter"):  # drafts as a batch's columns, their salts from the engine's source
        draft = None
    else:  # one draft per decision, each given its salts
        draft = engine.draft

        def seeded(decision: Any, *args: Any, **options: Any) -> Any:
            options["random"] = salts[0]
            return draft(decision, *args, **options)

        engine.draft = seeded
    prev, seq = "0" * 64, 0
    with open(out, "w", encoding="utf-8") as sink:
        for index, batch in enumerate(batches):
            salts[0] = engine.salts = random.Random(index).randbytes
            found = stream._decide_all(setup, batch)
            rows = []
            if draft is None:
                from engine.audit.placing import COLUMNS, placed_batch

                ids = [f"01J{seq + i:023d}" for i in range(1, len(found[2]) + 1)]
                placed, prev = placed_batch(found[2], seq, ids, "2026-12-01T08:00:00.000000Z", prev)
                rows = [dict(zip(COLUMNS, row, strict=True)) for row in placed]
            else:
                for number, item in enumerate(found[0], seq + 1):
                    rows.append(place(item.draft, number, f"01J{number:023d}", "2026-12-01T08:00:00.000000Z", prev))
                    prev = rows[-1]["chain_hash"]
            for item, row in zip(found[0], rows, strict=True):
                seq += 1
                digests = (
                    hashlib.sha256(row["record"].encode()).hexdigest(),
                    hashlib.sha256(row["personal"].encode()).hexdigest(),
                    hashlib.sha256(orjson.dumps(row, option=orjson.OPT_SORT_KEYS, default=str)).hexdigest(),
                )
                sink.write(f"{seq} {item.nip} {' '.join(digests)}\n")
    print(f"{os.getcwd()}: {seq} records ({want}) -> {out}", file=sys.stderr)


if __name__ == "__main__":
    arguments = sys.argv[1:]
    main(
        arguments[0],
        arguments[1] if len(arguments) > 1 else "/tmp/fast_data/b10000.jsonl",
        int(arguments[2]) if len(arguments) > 2 else 2000,
        arguments[3] if len(arguments) > 3 else "lines",
    )
