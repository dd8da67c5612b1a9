"""Deciding candidate files batch by batch: what one batch yields (records, rows, drafts) and where it goes.

A batch is a list of file paths; ``decide_batch`` reads, validates, derives, evaluates and decides them and
returns only serialised results (JSON lines, table rows with their ranking keys, audit drafts), so it can
run in a worker process and nothing per candidate outlives its batch in the parent.
"""

from __future__ import annotations

import datetime as dt
import gc
import heapq
import os
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from engine.compiler.layout import Layout, LayoutCache
from engine.compiler.plan import encode_row
from engine.decide import inputs, pipeline
from engine.decide.decision import Decision, decide, derivation_for, rank_key, waiver_problems
from engine.decide.inputs import Batch
from engine.decide.inputs import candidate_files as candidate_files  # where it was first
from engine.decide.pipeline import Backend, select_position
from engine.decide.record import record_line
from engine.errors import Problem
from engine.facts.derive import derive
from engine.load import intake
from engine.load.intake import LoadedCandidate
from engine.load.library import content_hash
from engine.load.rulefile import Ruleset
from engine.present.views import check_row

if TYPE_CHECKING:  # the audit record models load only in a run that records
    from engine.audit.batch import BatchDrafter, DraftBatch

BATCH = 500  # candidates per batch: large enough to amortise durable's per-call cost, small enough to stay flat
TOP = 1000  # table/markdown rows kept by default (the best by rank)
Want = Literal["lines", "rows", "entries", "none"]


@dataclass(frozen=True)
class Setup:
    """Everything a batch needs besides its files (picklable: it is sent to every worker once)."""

    ruleset: Ruleset
    position_id: str
    as_of: dt.date
    backend: Backend = "durable"
    want: Want = "lines"
    lang: str = "en"
    record: bool = False
    actor: str = ""
    board: str | None = None
    engine: str = "durable"
    run_id: str = ""


@dataclass
class Decided:
    """One decided candidate of a batch, serialised."""

    nip: str
    file: str
    verdict: str
    pos: int = 0  # its place among the batch's files
    line: bytes = b""  # the DecisionRecord as one JSON line (want="lines" or "entries")
    key: tuple[Any, ...] = ()  # ranking key and table row (want="rows")
    row: dict[str, Any] = field(default_factory=dict)


@dataclass
class BatchResult:
    """A batch's results as they travel from a worker: a column per field (one entry per decided candidate, in
    order) and the JSON lines as one blob, so the parent unpickles a few objects per batch, not one per candidate."""

    index: int
    problems: list[Problem]
    size: int = 0  # candidates in the batch
    nips: list[str] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    verdicts: list[str] = field(default_factory=list)
    pos: list[int] = field(default_factory=list)  # each one's place among the batch's candidates
    # (place, NIP, file) of each candidate refused after it validated (a waiver it may not hold): its NIP is taken
    # all the same, so a later candidate with that NIP is refused as given twice, as when the input is read whole
    refused: list[tuple[int, str, str]] = field(default_factory=list)
    lines: bytes = b""  # want="lines": every record line, each ending with a line break
    ranked: list[tuple[tuple[Any, ...], dict[str, Any]]] = field(default_factory=list)  # want="rows": (key, row)
    drafts: DraftBatch | None = None  # record=True: the batch's audit drafts, as columns
    spilled: str = ""  # from a worker: the file that holds ``lines`` (see ``engine.decide.shard``)

    @classmethod
    def of(
        cls,
        setup: Setup,
        index: int,
        decided: list[Decided],
        problems: list[Problem],
        size: int,
        drafts: DraftBatch | None = None,
        refused: list[tuple[int, str, str]] | None = None,
    ) -> BatchResult:
        return cls(
            index=index,
            problems=problems,
            size=size,
            refused=refused or [],
            nips=[d.nip for d in decided],
            files=[d.file for d in decided],
            verdicts=[d.verdict for d in decided],
            pos=[d.pos for d in decided],
            lines=b"\n".join([*(d.line for d in decided), b""]) if setup.want in ("lines", "entries") else b"",
            ranked=[(d.key, d.row) for d in decided] if setup.want in ("rows", "entries") else [],
            drafts=drafts,
        )


class _Engine:
    """The compiled layout and the open evaluator of one process, reused by every batch of a run.

    All but the evaluator is plain data built from the setup, so ``prepare`` can build it in the parent before
    worker processes fork and each worker inherits it; the durable rulesets are opened by the process that
    evaluates, at its first batch, and never used across a fork."""

    def __init__(self, setup: Setup) -> None:
        self.setup = setup
        self.digest = content_hash(setup.ruleset)
        self.position = select_position(setup.ruleset, setup.position_id)
        self.layout: Layout = LayoutCache().get(setup.ruleset, self.digest, self.position)
        self.drafter: Callable[[], BatchDrafter] | None = None  # a batch's drafter, in a run that records
        if setup.record:  # the audit record models are imported only by a run that records
            from engine.audit.batch import BatchDrafter
            from engine.audit.dossier import dossier_of
            from engine.audit.ids import salt_bytes
            from engine.audit.record import StoredRuleset

            stored = StoredRuleset.of(setup.ruleset)
            self.salts: Callable[[int], bytes] = salt_bytes  # the salts' random bytes (tests seed their own)
            self.drafter = lambda: BatchDrafter(
                stored, actor=setup.actor, board=setup.board, engine=setup.engine, run_id=setup.run_id,
                random=self.salts,
            )  # fmt: skip
            self.dossier_of = dossier_of
        self.evaluator: Any = None
        self._opened_by = 0  # the process that opened ``evaluator``
        if setup.backend == "durable":
            import engine.evaluate.durable  # noqa: F401  (imported here, so a forked worker has it already)

    def evaluate(self, rows: list[dict[str, int]]) -> list[frozenset[int]]:
        if self.setup.backend == "durable" and self._opened_by != os.getpid():
            from engine.evaluate.durable import DurableEvaluator

            self.evaluator, self._opened_by = DurableEvaluator(self.layout.plan), os.getpid()
        return pipeline.run_engine(self.layout.plan, rows, self.setup.backend, self.evaluator)

    def close(self) -> None:
        if self.evaluator is not None and self._opened_by == os.getpid():
            self.evaluator.close()
        self.evaluator = None


_engines: dict[int, _Engine] = {}  # per process: id(setup) → engine (a worker holds the one setup it was given)


def engine_for(setup: Setup) -> _Engine:
    found = _engines.get(id(setup))
    if found is None or found.setup is not setup:
        found = _engines[id(setup)] = _Engine(setup)
    return found


def prepare(setup: Setup) -> None:
    """Build this process's engine for ``setup`` but for its evaluator (``_Engine``): worker processes forked after
    this inherit it instead of each building it at its first batch."""
    engine_for(setup)


def release(setup: Setup) -> None:
    found = _engines.pop(id(setup), None)
    if found is not None:
        found.close()


def read_candidate(path: Path) -> LoadedCandidate | list[Problem]:
    """One candidate file read and validated, or its problems (``engine.load.intake.read_candidate``)."""
    return intake.read_candidate(str(path))


def decide_batch(setup: Setup, index: int, files: Batch) -> BatchResult:
    """Decide the candidates of ``files`` (names, or lines of a bundle; in order); problems of those that could
    not be decided."""
    # Nothing built here outlives the batch but its serialised results: the collector would only rescan the
    # long-lived layout and rulesets, so it is paused for the batch, and a young-generation pass runs once the
    # batch's candidates are freed (run while they were still held, it took a tenth of the batch's time).
    with pipeline.collector_paused():
        decided, problems, drafts, refused = _decide_all(setup, files)
    if gc.isenabled():
        gc.collect(0)
    return BatchResult.of(setup, index, decided, problems, len(files), drafts, refused)


def _decide_all(
    setup: Setup, files: Batch
) -> tuple[list[Decided], list[Problem], DraftBatch | None, list[tuple[int, str, str]]]:
    """The batch's decided candidates, the problems of the others, the drafts of the decided (record=True), and
    the candidates refused after they validated (``BatchResult.refused``)."""
    engine = engine_for(setup)
    drafter = None if engine.drafter is None else engine.drafter()
    problems: list[Problem] = []
    refused: list[tuple[int, str, str]] = []
    accepted = []
    # A shortlist row reads only the facts of the plan and the ranking; a record line, an audit record or any other
    # output holds every fact, so only an unrecorded run of rows derives a selection.
    only = derivation_for(engine.layout) if setup.want == "rows" and not setup.record else None
    for pos, loaded in enumerate(inputs.loaded(files)):
        if isinstance(loaded, list):
            problems.extend(loaded)
            continue
        found = waiver_problems(loaded.candidate, engine.position, loaded.file)
        if found:
            problems.extend(found)
            refused.append((pos, loaded.candidate.nip, loaded.file))
            continue
        accepted.append((pos, loaded))
    # Stage by stage over the whole batch rather than candidate by candidate: each stage's code and tables stay
    # in the CPU's caches from one candidate to the next (in process a few per cent less CPU: bench/README.md).
    derived = [derive(loaded.candidate, setup.as_of, only) for _pos, loaded in accepted]
    plan = engine.layout.plan
    passed = engine.evaluate([encode_row(plan, facts) for facts in derived])
    layout = engine.layout
    decisions = [
        decide(layout, loaded.candidate, facts, ok, loaded.file)
        for (_pos, loaded), facts, ok in zip(accepted, derived, passed, strict=True)
    ]
    decided = [
        _serialised(setup, engine, drafter, loaded, decision, pos)
        for (pos, loaded), decision in zip(accepted, decisions, strict=True)
    ]
    return decided, problems, None if drafter is None else drafter.batch(), refused


def _serialised(
    setup: Setup, engine: _Engine, drafter: BatchDrafter | None, loaded: LoadedCandidate, decision: Decision, pos: int
) -> Decided:
    out = Decided(nip=decision.candidate.nip, file=decision.candidate.file, verdict=decision.verdict, pos=pos)
    if setup.want == "lines":
        out.line = record_line(decision, prove=setup.record)
    elif setup.want == "rows":
        out.key = rank_key(decision)
        out.row = _row(decision, setup.lang)
    elif setup.want == "entries":  # a ranked JSON report's entry: the record line, its key and counts
        out.line = record_line(decision, prove=setup.record)
        out.key = rank_key(decision)
        out.row = {"passed": decision.passed_count(), "total": decision.total()}
    if drafter is not None:  # the JSON bytes the candidate was validated from, sealed whole; the line built once
        drafter.add(decision, engine.dossier_of(loaded), out.line or record_line(decision))
    return out


def _row(decision: Decision, lang: str) -> dict[str, Any]:
    return check_row(decision, 0, lang)  # numbered when the shortlist is printed


class TopN:
    """The best ``limit`` table rows by ranking key, kept in a bounded heap (ties: first seen first)."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.seen = 0
        self._heap: list[tuple[_Reversed, int, dict[str, Any]]] = []

    def add(self, key: tuple[Any, ...], row: dict[str, Any]) -> None:
        item = (_Reversed(key), -self.seen, row)
        self.seen += 1
        if len(self._heap) < self.limit:
            heapq.heappush(self._heap, item)
        elif key < self._heap[0][0].key:
            heapq.heapreplace(self._heap, item)

    def rows(self, rank_column: str) -> list[dict[str, Any]]:
        """The kept rows best first, ``rank_column`` numbered from 1."""
        best = sorted(self._heap, key=lambda item: (item[0].key, -item[1]))
        return [{**row, rank_column: rank} for rank, (_k, _s, row) in enumerate(best, 1)]


@dataclass(frozen=True)
class _Reversed:
    """A ranking key ordered worst first, so the heap's root is the row to drop."""

    key: tuple[Any, ...]

    def __lt__(self, other: _Reversed) -> bool:
        return self.key > other.key


def default_jobs() -> int:
    """The cores this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def tally(counts: Counter[str], result: BatchResult) -> None:
    counts.update(result.verdicts)
