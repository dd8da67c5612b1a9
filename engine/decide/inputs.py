"""Which candidates a run decides and in what batches: files under folders, and JSON-lines bundles of dossiers.

A bundle (``.jsonl``/``.ndjson``, one dossier a line, as a BKN or agency export hands a population over) is
sent to a worker as raw lines, so the parent only splits bytes; the worker parses and validates them. Every
candidate has an ordinal (its place in the whole input) and a name: its file, or ``BUNDLE:LINE``.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from engine.errors import Problem
from engine.load.intake import LoadedCandidate, bundle_candidate, plain_candidate, read_candidate
from engine.load.library import CASES_SUFFIX
from engine.load.source import SUFFIXES, file_digest, max_file_bytes

BUNDLE_SUFFIXES = (".jsonl", ".ndjson")
_BLOCK = 1 << 20  # bytes a bundle is scanned by for line breaks: the parent never holds a line, however long
_WHOLE = 16 << 20  # a batch's bytes up to this are read at once; a larger one (over-long lines) line by line


@dataclass(frozen=True)
class Lines:
    """Consecutive lines of a bundle, bytes ``start`` to ``end`` of it, the first of them line ``first``; blank
    lines are no candidate (``count`` is the others). Only the place is sent to a worker, which reads the bytes."""

    bundle: str
    first: int
    start: int
    end: int
    count: int

    def __len__(self) -> int:
        return self.count

    def lines(self) -> Iterator[bytes]:
        """The lines without their breaks, as ``bundle_lines`` reads them: none longer than the size limit plus
        one byte (the loader refuses that as too large); a range too large to hold is read line by line."""
        limit = max_file_bytes()
        with open(self.bundle, "rb") as source:
            source.seek(self.start)
            size = self.end - self.start
            if size <= _WHOLE:
                for line in source.read(size).split(b"\n"):
                    yield line if len(line) <= limit else line[: limit + 1]
                return
            for line in bundle_lines(_Range(source, size)):  # type: ignore[arg-type]
                yield line[:-1] if line.endswith(b"\n") else line


class _Range:
    """``size`` bytes of a file from where it stands, for ``bundle_lines``."""

    def __init__(self, source: BinaryIO, size: int) -> None:
        self.source = source
        self.left = size

    def readline(self, size: int) -> bytes:
        line = self.source.readline(min(size, self.left)) if self.left > 0 else b""
        self.left -= len(line)
        return line


Batch = list[str] | Lines


def is_bundle(path: Path | str) -> bool:
    return str(path).endswith(BUNDLE_SUFFIXES) and os.path.isfile(path)


def loaded(items: Batch) -> Iterator[LoadedCandidate | list[Problem]]:
    """Each candidate of a batch read and validated (or its problems), in order."""
    if isinstance(items, Lines):
        for number, line in enumerate(items.lines(), items.first):
            if line.strip():
                yield bundle_candidate(items.bundle, number, line)
    else:
        limit = max_file_bytes()
        for name in items:
            yield _read(name, limit)


def _read(name: str, limit: int) -> LoadedCandidate | list[Problem]:
    """A candidate file: a plain JSON dossier straight from its bytes (one open, one read, no buffered file
    object); anything else, or anything odd, through the loader, which locates every problem.

    One read of the file's size and a byte more: a file over the limit, or cut short by a read returning less
    (a prefix of a JSON object never parses), goes to the loader, which reads it whole and says why."""
    if name.endswith(".json"):
        try:
            fd = os.open(name, os.O_RDONLY)
        except OSError:
            return read_candidate(name)
        try:
            size = os.fstat(fd).st_size
            raw = os.read(fd, size + 1) if size <= limit else b""
        except OSError:
            raw = b""
        finally:
            os.close(fd)
        found = plain_candidate(name, raw) if 0 < len(raw) <= limit else None
        if found is not None:
            return found
    return read_candidate(name)


def candidate_files(paths: list[Path]) -> Iterator[str]:
    """Every candidate file named or under a named directory, in the order of ``expand_paths`` (sorted paths).

    Walked directory by directory (names sorted in each, subdirectories entered in place), which gives the
    same order without holding a path object per file of the whole tree.
    """
    for run in _runs(paths):
        yield from run


def _runs(paths: list[Path]) -> Iterator[list[str]]:
    """``candidate_files`` as runs of consecutive files (a few hundred at most), cheaper to batch than one by one."""
    for path in paths:
        if path.is_dir():
            yield from _walk(str(path))
        else:
            yield [str(path)]


_RUN = 512  # names of a folder turned to paths at a time


def _walk(folder: str) -> Iterator[list[str]]:
    # The kinds come with the directory listing (no stat per file, except for links); only names are kept
    # (a DirEntry costs three times a name), taken off as walked, so a large folder's are let go run by run.
    folders: set[str] = set()
    names: list[str] = []
    with os.scandir(folder) as listing:
        for entry in listing:
            name = entry.name
            if entry.is_dir():
                folders.add(name)
                names.append(name)
            elif (
                entry.is_file()
                and name.endswith(SUFFIXES)
                and not name.startswith(".")
                and not name.endswith(CASES_SUFFIX)
            ):
                names.append(name)
    names.sort(reverse=True)
    prefix = folder if folder.endswith(os.sep) else folder + os.sep  # os.path.join's, for a plain name
    while names:
        run = names[-_RUN:]
        del names[-_RUN:]
        run.reverse()
        if folders.isdisjoint(run):
            yield [prefix + name for name in run]
            continue
        files: list[str] = []
        for name in run:
            if name in folders:
                if files:
                    yield files
                    files = []
                yield from _walk(prefix + name)
            else:
                files.append(prefix + name)
        if files:
            yield files


def batched(items: Iterable[str], size: int) -> Iterator[list[str]]:
    batch: list[str] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _batched_runs(runs: Iterable[list[str]], size: int) -> Iterator[list[str]]:
    """``batched`` over runs of names."""
    batch: list[str] = []
    for run in runs:
        batch += run
        while len(batch) >= size:
            yield batch[:size]
            del batch[:size]
    if batch:
        yield batch


def candidate_batches(paths: list[Path], size: int) -> Iterator[Batch]:
    """The candidates under ``paths`` in batches of ``size``: files as lists of names, bundles as their lines."""
    files: list[Path] = []
    for path in paths:
        if not is_bundle(path):
            files.append(path)
            continue
        yield from _batched_runs(_runs(files), size)
        files = []
        yield from bundle_batches(str(path), size)
    yield from _batched_runs(_runs(files), size)


def bundle_lines(source: BinaryIO) -> Iterator[bytes]:
    """The lines of a bundle, none longer than the file size limit plus one byte: the rest of an over-long line
    is read past in pieces, so a single line of gigabytes never sits in memory; what is kept is still over the
    limit, so the loader refuses it as too large, located on its line."""
    limit = max_file_bytes()
    while line := source.readline(limit + 1):
        if len(line) > limit and not line.endswith(b"\n"):
            while (rest := source.readline(1 << 20)) and not rest.endswith(b"\n"):
                pass
            line += b"\n"
        yield line


def bundle_batches(bundle: str, size: int) -> Iterator[Lines]:
    """A bundle's lines in batches of ``size`` dossiers, found by scanning blocks for line breaks (nothing is
    parsed, no line is held: a line longer than a block is only scanned)."""
    block = bytearray(_BLOCK)
    start = offset = count = 0  # where the batch starts, where the block starts, the batch's dossiers so far
    first = number = 1  # the batch's first line, the line being scanned
    blank = True  # the line so far is white space only (as ``bytes.strip`` sees it)
    with open(bundle, "rb", buffering=0) as source:
        while read := source.readinto(block):
            pos = 0
            while (found := block.find(b"\n", pos, read)) >= 0:
                # a dossier starts with "{": only a line that does not is stripped to tell
                if not (blank and (found == pos or (block[pos] != 123 and not block[pos:found].strip()))):
                    count += 1
                    if count == size:
                        yield Lines(bundle, first, start, offset + found + 1, count)
                        start, first, count = offset + found + 1, number + 1, 0
                number += 1
                blank = True
                pos = found + 1
            blank = blank and not block[pos:read].strip()
            offset += read
    if count or not blank:  # the last line may end without a break
        yield Lines(bundle, first, start, offset, count + (not blank))


def candidate_names(paths: list[Path]) -> Iterator[str]:
    """The name of every candidate under ``paths`` by ordinal: its file, or ``BUNDLE:LINE``."""
    for path in paths:
        if is_bundle(path):
            yield from (f"{path}:{number}" for number, _line in _lines(path))
        else:
            yield from candidate_files([path])


def sources(paths: list[Path]) -> Iterator[tuple[str, LoadedCandidate | list[Problem], str]]:
    """Every candidate under ``paths`` as (name, the candidate or its problems, its digest as ``digests`` gives it)."""
    limit = max_file_bytes()
    for path in paths:
        if is_bundle(path):
            for number, line in _lines(path):
                yield f"{path}:{number}", bundle_candidate(str(path), number, line), _line_digest(line)
        else:
            for name in candidate_files([path]):
                yield name, _read(name, limit), file_digest(name)


def digests(paths: list[Path]) -> Iterator[tuple[str, str]]:
    """Every candidate under ``paths`` by name with the SHA-256 of its bytes: a file's whole bytes, a bundle
    line's bytes without its line break."""
    for path in paths:
        if is_bundle(path):
            yield from ((f"{path}:{number}", _line_digest(line)) for number, line in _lines(path))
        else:
            yield from ((name, file_digest(name)) for name in candidate_files([path]))


def _lines(bundle: Path) -> Iterator[tuple[int, bytes]]:
    with open(bundle, "rb") as source:
        yield from ((number, line) for number, line in enumerate(bundle_lines(source), 1) if line.strip())


def _line_digest(line: bytes) -> str:
    return hashlib.sha256(line.rstrip(b"\r\n")).hexdigest()


def bundle_entry(name: str) -> tuple[str, int] | None:
    """``BUNDLE:LINE`` (a bundle that exists, a line number from 1) as its parts; None for any other name."""
    bundle, _colon, number = name.rpartition(":")
    if not (number.isdecimal() and number.isascii() and int(number) > 0 and is_bundle(bundle)):
        return None
    return bundle, int(number)


def bundle_line(bundle: str, number: int) -> LoadedCandidate | list[Problem] | None:
    """The candidate on line ``number`` of a bundle (or its problems); None when the line is blank or past the end."""
    for found, line in _lines(Path(bundle)):
        if found == number:
            return bundle_candidate(bundle, number, line)
        if found > number:
            break
    return None
