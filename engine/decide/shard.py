"""Running batches in this process or across worker processes, in input order, and streaming their results.

Workers only decide: each opens its own durable rulesets once and returns serialised batches. The parent
keeps the order, drops later files of a NIP already decided, writes output and audit records batch by
batch, so a worker that dies loses nothing already written and nothing is written twice.
"""

from __future__ import annotations

import contextlib
import errno
import itertools
import os
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from engine.decide.inputs import Batch, Lines, batched, candidate_batches, candidate_names, is_bundle
from engine.decide.nips import SeenNips
from engine.decide.stream import BATCH, BatchResult, Setup, TopN, decide_batch, prepare, release
from engine.errors import EngineFault, LayakError, Problem, ProblemCode
from engine.load.source import read_document

if TYPE_CHECKING:  # the process pool is imported only by a run that starts one
    from concurrent.futures import Future

_setup: Setup | None = None  # a worker's setup, given once by its initializer
_spill = ""  # a worker's folder for the JSON lines of its batches, given with it


class WorkerLost(LayakError):
    """A worker process died (a signal, the OOM killer) while deciding a batch: not a bug in the input or in layak."""

    code = ProblemCode.WORKER_LOST


def _init(setup: Setup, spill: str) -> None:
    global _setup, _spill
    _setup, _spill = setup, spill


def _work(index: int, files: Batch) -> BatchResult:
    if _setup is None:  # pragma: no cover - the initializer always runs first
        raise EngineFault("worker started without a setup")
    result = decide_batch(_setup, index, files)
    if result.lines:
        # The lines (megabytes a batch) go by a file: through the pool's pipe the parent would read them 64 KB
        # at a time, each read into a fresh buffer of the whole size, and copy them twice more.
        path = os.path.join(_spill, f"{index}.jsonl")
        try:
            with open(path, "wb") as out:
                out.write(result.lines)
        except OSError:  # a full or unwritable temporary folder: they go through the pipe after all
            with contextlib.suppress(OSError):
                os.unlink(path)
            return result
        result.spilled, result.lines = path, b""
    return result


def run_batches(setup: Setup, batches: Iterable[Batch], jobs: int = 1) -> Iterator[BatchResult]:
    """Every batch decided, yielded in input order; ``jobs`` > 1 decides them in that many processes."""
    batches = iter(batches)
    first = list(itertools.islice(batches, 2))
    batches = itertools.chain(first, batches)
    if jobs <= 1 or len(first) < 2:  # one batch: worker processes would only add their start-up
        try:
            for index, files in enumerate(batches):
                yield decide_batch(setup, index, files)
        finally:
            release(setup)
        return
    import multiprocessing
    import tempfile
    from concurrent.futures import ProcessPoolExecutor

    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    if context.get_start_method() == "fork":
        _warm(setup, first)
    spill = tempfile.TemporaryDirectory(prefix="layak-batches-")  # removed at the end, a dead worker's file too
    pool = ProcessPoolExecutor(jobs, mp_context=context, initializer=_init, initargs=(setup, spill.name))
    pending: deque[tuple[int, Batch, Future[BatchResult]]] = deque()
    workers: dict[int, Any] = {}  # pid → process, kept to tell how one ended (the pool forgets them)
    try:
        for index, files in enumerate(batches):
            pending.append((index, files, pool.submit(_work, index, files)))
            workers.update(getattr(pool, "_processes", None) or {})
            if len(pending) >= 2 * jobs:  # a bounded window keeps memory flat whatever the population
                yield _result(workers, *pending.popleft())
        while pending:
            yield _result(workers, *pending.popleft())
    finally:
        for _i, _f, future in pending:
            future.cancel()
        pool.shutdown(wait=True, cancel_futures=True)
        spill.cleanup()
        release(setup)


def _warm(setup: Setup, first: list[Batch]) -> None:
    """Build once, before the workers fork, what each of them would otherwise build at its first batch: the
    engine but for its durable rulesets (content hash, layout) and, for JSON input, the native validator."""
    prepare(setup)
    if any(isinstance(files, Lines) or any(str(name).endswith(".json") for name in files) for files in first):
        from engine.load.fast import fast_validator

        fast_validator()


def _result(workers: dict[int, Any], index: int, files: Batch, future: Future[BatchResult]) -> BatchResult:
    from concurrent.futures.process import BrokenProcessPool

    try:
        result = future.result()
    except BrokenProcessPool as error:
        for process in workers.values():
            process.join(timeout=1)
        codes = [p.exitcode for p in workers.values() if p.exitcode]
        how = ", ".join(f"killed by signal {-c}" if c < 0 else f"exit code {c}" for c in codes) or "it stopped"
        raise WorkerLost(
            f"batch {index + 1} ({_span(files)}) and the batches after it were not "
            f"decided: a worker process died ({how}; out of memory is the usual cause). The batches before it are "
            "written and recorded, none after; run again on the remaining files, or with fewer --jobs"
        ) from error
    return result


def _span(files: Batch) -> str:
    if isinstance(files, Lines):
        return f"{files.bundle} from line {files.first}, {len(files)} dossiers"
    return f"{files[0]} … {files[-1]}, {len(files)} files"


@dataclass
class Streamed:
    """What a streamed check run wrote: verdict counts, problems, the shortlist (table) and what was recorded."""

    counts: Counter[str] = field(default_factory=Counter)
    problems: list[Problem] = field(default_factory=list)
    top: TopN | None = None
    recorded: list[Any] = field(default_factory=list)  # one ``Appended`` per recorded batch

    @property
    def decided(self) -> int:
        return sum(self.counts.values())


def stream_check(
    setup: Setup,
    files: Callable[[], Iterable[str]],
    *,
    jobs: int = 1,
    batch: int = BATCH,
    write: Callable[[bytes], Any] | None = None,
    top: int = 0,
    record: Callable[[Any], Any] | None = None,
    batches: Iterable[Batch] | None = None,
    advance: Callable[[int], Any] | None = None,
    copy: Callable[[int], bool] | None = None,
    each: Callable[[BatchResult, list[int] | None], Any] | None = None,
) -> Streamed:
    """Decide every file of ``files()`` batch by batch and hand on the results as they come: JSON lines to
    ``write`` (or, a worker's batch of them whole, by ``copy`` from an open file where it can: see
    ``file_copier``), rows to a top-``top`` shortlist, drafts to ``record`` (one call per batch: all or none of it),
    the number of candidates done to ``advance`` (a progress bar), each batch and the indices of its candidates
    kept (None: all) to ``each`` (after ``record``: a full ranking spilled to disk).

    ``batches``, when given, are those candidates already batched (bundle lines among them); ``files()`` then
    only names them again by ordinal, for a NIP given twice."""
    batches = batched(files(), batch) if batches is None else batches
    out = Streamed(top=TopN(top) if top else None)
    repeats: list[tuple[str, str, int]] = []  # (NIP, file, ordinal of the earlier candidate with it)
    offset = 0
    with SeenNips() as seen:
        for result in run_batches(setup, batches, jobs):
            kept = _first_of_each_nip(result, offset, seen, repeats)
            offset += result.size
            out.problems.extend(result.problems)
            if record is not None and result.drafts and kept != []:
                out.recorded.append(record(result.drafts.picked(kept)))
            if each is not None and kept != []:
                each(result, kept)
            if write is not None and kept != []:
                _write_lines(result, kept, write, copy)
            if result.spilled:
                os.unlink(result.spilled)
            if out.top is not None:
                for key, row in _pick(result.ranked, kept):
                    out.top.add(key, row)
            out.counts.update(_pick(result.verdicts, kept))
            if advance is not None:
                advance(result.size)
    out.problems.extend(_duplicates(repeats, files))
    return out


def _write_lines(
    result: BatchResult, kept: list[int] | None, write: Callable[[bytes], Any], copy: Callable[[int], bool] | None
) -> None:
    """The batch's lines of the candidates kept; a worker's file of them is copied whole when nothing is dropped."""
    if result.spilled:
        with open(result.spilled, "rb", buffering=0) as spilled:
            if kept is None and copy is not None and copy(spilled.fileno()):
                return
            result.lines = spilled.readall()
    if result.lines:
        write(result.lines if kept is None else b"".join(_pick(result.lines.split(b"\n"), kept, b"\n")))


def file_copier(out: BinaryIO) -> Callable[[int], bool]:
    """A ``copy`` for ``stream_check``: an open file whole to ``out`` by ``os.sendfile``, the kernel's copy (reading
    megabytes a batch into Python and writing them out again cost the parent more than the rest of its work).
    It answers False, and is not tried again, where ``out`` has no file descriptor or the system cannot."""
    usable = [hasattr(os, "sendfile")]

    def copy(source: int) -> bool:
        if not usable[0]:
            return False
        try:
            target = out.fileno()
        except (AttributeError, OSError, ValueError):  # an in-memory stream (io.UnsupportedOperation is both)
            usable[0] = False
            return False
        out.flush()  # nothing is buffered in a JSON-lines run, but what is must go first
        size, sent = os.fstat(source).st_size, 0
        while sent < size:
            try:
                count = os.sendfile(target, source, sent, size - sent)
            except OSError as error:
                if sent or error.errno not in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
                    raise
                usable[0] = False  # e.g. an output opened for appending on an older kernel
                return False
            if count == 0:
                raise EngineFault(f"a batch's file ended after {sent} of its {size} bytes")
            sent += count
        return True

    return copy


def _pick(column: list[Any], kept: list[int] | None, end: bytes | None = None) -> list[Any]:
    """The entries of ``column`` at ``kept`` (None: all of them), each followed by ``end`` when given."""
    if kept is None:
        return column
    return [column[i] + end for i in kept] if end is not None else [column[i] for i in kept]


def _first_of_each_nip(
    result: BatchResult, offset: int, seen: SeenNips, repeats: list[tuple[str, str, int]]
) -> list[int] | None:
    """The indices of the batch's candidates whose NIP is new (None: all of them); the others go to ``repeats``.

    A candidate refused after it validated (``result.refused``) takes its NIP too, in its place in the input: the
    first candidate given with a NIP holds it, whatever becomes of it, as when the input is read whole."""
    # (place in the batch, index among the decided, or -1 for a refused one), in input order
    order = [(pos, index) for index, pos in enumerate(result.pos)]
    nips = result.nips
    if result.refused:
        order = sorted([*order, *((pos, -1) for pos, _nip, _file in result.refused)])
        claimed = {pos: nip for pos, nip, _file in result.refused}
        nips = [result.nips[index] if index >= 0 else claimed[pos] for pos, index in order]
    found = seen.first(nips, [offset + pos for pos, _index in order])
    if found is None:
        return None
    refused_files = {pos: file for pos, _nip, file in result.refused}
    kept, given_twice = [], set()
    for (pos, index), nip, earlier in zip(order, nips, found, strict=True):
        if earlier is None:
            if index >= 0:
                kept.append(index)
        else:
            file = result.files[index] if index >= 0 else refused_files[pos]
            repeats.append((nip, file, earlier))
            given_twice.add(file)
    if given_twice.intersection(refused_files.values()):  # read whole, a repeat's waivers are never looked at
        result.problems = [
            p for p in result.problems if not (p.code == ProblemCode.BAD_WAIVER and p.file in given_twice)
        ]
    return kept


def _duplicates(repeats: list[tuple[str, str, int]], files: Callable[[], Iterable[str]]) -> list[Problem]:
    """The files refused for a NIP decided before, naming the earlier file (found again by its ordinal)."""
    if not repeats:
        return []
    wanted = {earlier for _nip, _file, earlier in repeats}
    names = {ordinal: name for ordinal, name in enumerate(files()) if ordinal in wanted}
    out = []
    for nip, name, earlier in repeats:
        file, line = _located(name)
        out.append(
            Problem(
                code=ProblemCode.DUPLICATE_CANDIDATE,
                file=file,
                path="nip",
                line=line,
                message=f"NIP {nip} is also in {names.get(earlier, '?')}",
                hint="one record per civil servant" if file != name else "one file per civil servant",
            )
        )
    return out


def _located(name: str) -> tuple[str, int | None]:
    """The file and line of a candidate's NIP: a bundle's candidate is its line."""
    bundle, _colon, number = name.rpartition(":")
    if number.isdigit() and is_bundle(bundle):
        return bundle, int(number)
    doc = read_document(Path(name))
    return name, None if isinstance(doc, Problem) else doc.line_of(("nip",))


def check_files(
    setup: Setup,
    paths: list[Path],
    *,
    jobs: int = 1,
    batch: int = BATCH,
    write: Callable[[bytes], Any] | None = None,
    top: int = 0,
    record: Callable[[Any], Any] | None = None,
    advance: Callable[[int], Any] | None = None,
    copy: Callable[[int], bool] | None = None,
    each: Callable[[BatchResult, list[int] | None], Any] | None = None,
) -> Streamed:
    """`check` over every candidate file and bundle under ``paths``, streamed (see ``stream_check``)."""
    return stream_check(
        setup,
        lambda: candidate_names(paths),
        jobs=jobs,
        batch=batch,
        write=write,
        top=top,
        record=record,
        batches=candidate_batches(paths, batch),
        advance=advance,
        copy=copy,
        each=each,
    )
