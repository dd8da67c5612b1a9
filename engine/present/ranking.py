"""The full ranking of a streamed `check` (csv, json; table with --top 0): held up to a limit, then sorted runs on disk.

A ranked CSV or JSON report lists every decision best first, so nothing can be written before the last batch
is decided. The entries (ranking key, input position, what is printed of them) are held in a list up to
``RUN``; past it the list is sorted and written to a temporary file as one run, and the runs are merged with
``heapq.merge`` when printed: memory stays flat whatever the population. The input position breaks ties, as
the stable sort of the whole population did; the output is byte for byte what `emit` printed for it.
"""

from __future__ import annotations

import csv
import datetime as dt
import heapq
import io
import pickle
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import click
import orjson

from engine.compiler.layout import LayoutCache, RulesetRef
from engine.decide.inputs import candidate_names, is_bundle
from engine.decide.pipeline import select_position
from engine.decide.stream import BatchResult
from engine.errors import Problem, ProblemCode
from engine.load.library import content_hash
from engine.load.rulefile import Ruleset
from engine.present.decisions import CheckReport, report_json, requirement_info
from engine.present.i18n import label
from engine.present.render import Report, Table, _plain_row, emit, to_json
from engine.present.spill import Spool, emit_spooled
from engine.present.views import check_columns

if TYPE_CHECKING:  # the audit store (sqlalchemy) loads only when a run is recorded
    from engine.audit.batch import DraftBatch
    from engine.audit.store import Appended, Store

RUN = 5_000  # entries held in memory; past it they are sorted and written to a temporary file as one run
FLUSH = 1 << 16  # characters of output gathered before they are written
_JSON = orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS

Entry = tuple[tuple[Any, ...], int, Any]  # (ranking key, input position, what is printed)


class ExternalSort:
    """Entries by (key, position): in a list up to ``limit``, then in sorted runs on disk, merged when read."""

    def __init__(self, limit: int | None = None) -> None:
        self.limit = RUN if limit is None else max(1, limit)
        self.held: list[Entry] = []
        self.runs: list[IO[bytes]] = []
        self.count = 0

    def add(self, key: tuple[Any, ...], payload: Any) -> None:
        self.held.append((key, self.count, payload))
        self.count += 1
        if len(self.held) >= self.limit:
            self._spill()

    def _spill(self) -> None:
        self.held.sort(key=_order)
        run = tempfile.TemporaryFile(prefix="layak-rank-")  # noqa: SIM115 - closed by close()
        self.runs.append(run)
        for entry in self.held:
            # pickled, not JSON: a key's decimals and dates come back exactly, so runs compare as the list did
            run.write(pickle.dumps(entry, protocol=pickle.HIGHEST_PROTOCOL))
        self.held = []

    def sorted(self) -> Iterator[Any]:
        """Every payload, best first (the lowest key; equal keys in the order they were added)."""
        self.held.sort(key=_order)
        merged = heapq.merge(*(_read(run) for run in self.runs), self.held, key=_order)
        for _key, _pos, payload in merged:
            yield payload

    def close(self) -> None:
        for run in self.runs:
            run.close()
        self.runs = []


def _order(entry: Entry) -> tuple[tuple[Any, ...], int]:
    return entry[0], entry[1]


def _read(run: IO[bytes]) -> Iterator[Entry]:
    run.flush()
    run.seek(0)
    while True:
        try:
            entry: Entry = pickle.load(run)
        except EOFError:
            return
        yield entry


class Ranked:
    """A streamed check's full ranking: the shortlist rows (CSV, table, Markdown) or the CheckReport's entries (JSON).

    ``add`` takes the kept decisions of each batch; with recording, ``recorder`` appends each batch and hands
    ``add`` the (seq, decision id) of each of its records, so a JSON entry carries its own decision's record."""

    def __init__(self, fmt: str, lang: str, limit: int | None = None) -> None:
        self.fmt = fmt
        self.lang = lang
        self.entries = ExternalSort(limit)
        self._recorded: list[tuple[int, str]] = []

    def recorder(self, store: Store) -> Callable[[DraftBatch], Appended]:
        from engine.audit.ids import utc_now
        from engine.audit.store import Appended

        def append(made: DraftBatch) -> Appended:
            done = store.append(made, clock=utc_now)
            self._recorded = list(zip(range(done.first, done.last + 1), done.ids, strict=True))
            return Appended(first=done.first, last=done.last, head=done.head)

        return append

    def add(self, result: BatchResult, kept: list[int] | None) -> None:
        """The candidates of ``result`` at ``kept`` (None: all of them), with their records if any."""
        recorded, self._recorded = self._recorded, []
        indices = range(len(result.ranked)) if kept is None else kept
        if self.fmt != "json":
            for index in indices:
                self.entries.add(*result.ranked[index])
            return
        if result.spilled:  # a worker's lines come in a file (removed once the batch is handed on)
            with open(result.spilled, "rb") as spilled:
                result.lines = spilled.read()
        lines = result.lines.split(b"\n")
        for number, index in enumerate(indices):
            key, counts = result.ranked[index]
            seq, ident = recorded[number] if recorded else (None, None)
            self.entries.add(key, (lines[index], counts["passed"], counts["total"], seq, ident))

    def emit(self, ruleset: Ruleset, position_id: str, as_of: dt.date, problems: list[Problem]) -> None:
        """Write the report to stdout, as ``emit(check_output(...))`` writes it for the same decisions."""
        try:
            if self.fmt in ("table", "markdown"):
                self._table()
                return
            parts = self._csv() if self.fmt == "csv" else self._json(ruleset, position_id, as_of, problems)
            buffer: list[str] = []
            size = 0
            for part in parts:
                buffer.append(part)
                size += len(part)
                if size >= FLUSH:
                    click.echo("".join(buffer), nl=False)
                    buffer, size = [], 0
            click.echo("".join(buffer))
        finally:
            self.entries.close()

    def _table(self) -> None:
        """Every row (``--top 0``): spooled to disk past a limit in ranking order and rendered from there, as
        ``emit`` renders them all (a table's column widths depend on every row)."""
        rank = label("rank", self.lang)
        with Spool() as spool:
            for number, row in enumerate(self.entries.sorted(), 1):
                spool.add({**row, rank: number})
            if spool.count:
                emit_spooled(spool, self.fmt, self.lang)
            else:
                emit(Report(data={}, tables=[Table([], headers=check_columns(self.lang))]), self.fmt, self.lang)

    def _csv(self) -> Iterator[str]:
        keys = check_columns(self.lang)
        rank = label("rank", self.lang)
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=keys, extrasaction="ignore", lineterminator="\n")
        writer.writeheader()
        text = out.getvalue()
        for number, row in enumerate(self.entries.sorted(), 1):
            yield text
            out.seek(0)
            out.truncate()
            writer.writerow(_plain_row({**row, rank: number}, keys))
            text = out.getvalue()
        yield text.rstrip("\n")  # as `emit` strips the table's last newline (click.echo adds it back)

    def _json(self, ruleset: Ruleset, position_id: str, as_of: dt.date, problems: list[Problem]) -> Iterator[str]:
        digest = content_hash(ruleset)
        position = select_position(ruleset, position_id)
        layout = LayoutCache().get(ruleset, digest, position)
        shell = CheckReport(
            as_of=as_of,
            position=position.id,
            ruleset=RulesetRef(id=ruleset.id, version=ruleset.version, hash=digest, layers=ruleset.layers),
            requirements=requirement_info(layout, self.lang),
            decisions=(),
            problems=tuple(problems),
        )
        # The report's keys are sorted: "decisions" follows "as_of" (a date), so this is its first occurrence.
        head, found, tail = to_json(report_json(shell)).partition('"decisions": []')
        assert found, "a CheckReport always has its decisions key"
        yield head + '"decisions": ['
        number = 0
        for number, (line, passed, total, seq, ident) in enumerate(self.entries.sorted(), 1):
            entry = {
                "decision": orjson.loads(line),
                "decision_id": ident,
                "passed": passed,
                "rank": number,
                "seq": seq,
                "total": total,
            }
            # an item of the list is indented four spaces deeper than alone; orjson's strings hold no raw newline
            text = orjson.dumps(entry, option=_JSON).decode().replace("\n", "\n    ")
            yield ("\n    " if number == 1 else ",\n    ") + text
        yield ("\n  ]" if number else "]") + tail


def input_order(problems: list[Problem], paths: list[Path]) -> list[Problem]:
    """The problems of a streamed run in the order the in-memory check gave them: those of reading (and NIPs
    given twice) by input position, files before bundles, then the waivers refused, in input order.

    A streamed run reports a repeated NIP at the end, once every batch is in; its position among the inputs is
    found again by name, in one pass over the names of the inputs, only when the order needs it."""
    waivers = [p for p in problems if p.code == ProblemCode.BAD_WAIVER]
    others = [p for p in problems if p.code != ProblemCode.BAD_WAIVER]
    bundles = [is_bundle(p) for p in paths]
    mixed = any(b and not later for i, b in enumerate(bundles) for later in bundles[i + 1 :])
    if not mixed and all(p.code != ProblemCode.DUPLICATE_CANDIDATE for p in others):
        return others + waivers
    wanted = {_name(p) for p in others}
    ordinal = {name: i for i, name in enumerate(candidate_names(paths)) if name in wanted}
    keys: list[tuple[int, int]] = []
    last = (0, -1)
    for p in others:
        name = _name(p)
        if name in ordinal:
            last = (int(is_bundle(Path(p.file or ""))), ordinal[name])
        keys.append(last)  # a problem of no one candidate (an unreadable bundle) keeps its place
    order = sorted(range(len(others)), key=lambda i: keys[i])
    return [others[i] for i in order] + waivers


def _name(problem: Problem) -> str:
    if problem.file and problem.line is not None and is_bundle(Path(problem.file)):
        return f"{problem.file}:{problem.line}"
    return problem.file or ""
