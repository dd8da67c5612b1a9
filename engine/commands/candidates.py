"""Candidates from files, directories, or stdin (`-`): one YAML/JSON document, a list of them, or JSON Lines."""

from __future__ import annotations

import sys
import tempfile
from collections.abc import Iterator, MutableMapping
from pathlib import Path

import orjson

from engine.decide import inputs
from engine.decide.inputs import bundle_batches, is_bundle
from engine.decide.nips import NipFiles
from engine.errors import Problem, ProblemCode
from engine.load.intake import LoadedCandidate, bundle_candidate, iter_candidates, load_candidate_doc
from engine.load.source import Document, parse_text

STDIN = "<stdin>"
STDIN_CHUNK = 1 << 22  # characters of stdin read at a time


def read_candidates(paths: list[Path]) -> tuple[list[LoadedCandidate], list[Problem]]:
    """Like load_candidates, with `-` read from stdin; a NIP given twice anywhere is a problem."""
    problems: list[Problem] = []
    loaded = list(stream_candidates(paths, problems))
    return loaded, problems


def stream_candidates(paths: list[Path], problems: list[Problem]) -> Iterator[LoadedCandidate]:
    """``read_candidates`` one candidate at a time, its problems appended to ``problems`` in the same order.

    Files, bundles and JSON Lines on stdin are read as they are used (stdin goes to a temporary file first:
    whether it is JSON Lines is only known at its end); only the NIPs seen are kept, to refuse one given twice."""
    files = [p for p in paths if str(p) != "-" and not is_bundle(p)]
    seen = NipFiles()  # on disk: a national population's NIPs would hold ~200 MB
    try:
        yield from _streamed(paths, files, problems, seen)
    finally:
        seen.close()


def _streamed(
    paths: list[Path], files: list[Path], problems: list[Problem], seen: MutableMapping[str, str]
) -> Iterator[LoadedCandidate]:
    if files:
        yield from iter_candidates(files, problems, seen)
    for path in paths:
        if is_bundle(path):
            for items in bundle_batches(str(path), 1000):
                for item in inputs.loaded(items):
                    if isinstance(item, list):
                        problems.extend(item)
                    elif _new(item, item.file, problems, seen):
                        yield item
    if all(str(p) != "-" for p in paths):
        return
    bad: list[Problem] = []
    for item in _stdin(bad):
        if _new(item, item.file, problems, seen):
            yield item
    problems.extend(bad)


def _new(candidate: LoadedCandidate, where: str, problems: list[Problem], seen: MutableMapping[str, str]) -> bool:
    kept: list[LoadedCandidate] = []
    _add(candidate, where, kept, problems, seen)
    return bool(kept)


def _stdin(bad: list[Problem]) -> Iterator[LoadedCandidate]:
    """The candidates of stdin (``parse_stream``), JSON Lines read back line by line from a temporary file."""
    with tempfile.TemporaryFile() as spill:
        count, jsonl = 0, True
        carry = ""
        while True:
            chunk = sys.stdin.read(STDIN_CHUNK)
            lines = (carry + chunk).splitlines(keepends=True)
            # the last line may go on in the next chunk (or its \r be followed by a \n): it waits for it
            carry = lines.pop() if chunk and lines else ""
            for line in lines:
                spill.write(orjson.dumps(line) + b"\n")
                if line.strip():
                    count += 1
                    jsonl = jsonl and line.lstrip().startswith("{")
            if not chunk:
                break
        spill.seek(0)
        texts = (orjson.loads(stored) for stored in spill)
        if count > 1 and jsonl:
            for number, line in enumerate(texts, 1):
                if line.strip():
                    found = _jsonl_line(number, line.splitlines()[0])  # the line without its line break
                    if isinstance(found, list):
                        bad.extend(found)
                    else:
                        yield found
            return
        more, problems = parse_stream("".join(texts))
        bad.extend(problems)
        yield from more


def _add(
    candidate: LoadedCandidate,
    where: str,
    loaded: list[LoadedCandidate],
    problems: list[Problem],
    seen: MutableMapping[str, str],
) -> None:
    """Keep a candidate read from stdin or a bundle, unless its NIP was given before."""
    nip = candidate.candidate.nip
    if nip in seen:
        problems.append(duplicate_problem(where, nip, seen[nip]))
        return
    seen[nip] = where
    loaded.append(candidate)


def duplicate_problem(where: str, nip: str, first: str) -> Problem:
    """A NIP given again at ``where`` (a file, or a bundle's ``BUNDLE:LINE``, located on that line)."""
    bundle, _colon, line = where.rpartition(":")
    on_line = bool(bundle) and line.isdigit()
    return Problem(
        code=ProblemCode.DUPLICATE_CANDIDATE,
        file=bundle if on_line else where,
        line=int(line) if on_line else None,
        path="nip",
        message=f"NIP {nip} is also in {first}",
        hint="one record per civil servant",
    )


def parse_stream(text: str) -> tuple[list[LoadedCandidate], list[Problem]]:
    """A YAML or JSON document (one candidate, or a list of them), else JSON Lines (one candidate a line)."""
    lines = [(n, line) for n, line in enumerate(text.splitlines(), 1) if line.strip()]
    if len(lines) > 1 and all(line.lstrip().startswith("{") for _n, line in lines):
        loaded: list[LoadedCandidate] = []
        problems: list[Problem] = []
        for number, line in lines:
            found = _jsonl_line(number, line)
            if isinstance(found, list):
                problems.extend(found)
            else:
                loaded.append(found)
        return loaded, problems
    doc = parse_text(text, STDIN)
    if not isinstance(doc, Document):
        return [], [doc]
    if isinstance(doc.data, list):
        return _load([_item(doc, i) for i in range(len(doc.data))])
    return _load([doc])


def _jsonl_line(number: int, text: str) -> LoadedCandidate | list[Problem]:
    """Line ``number`` of JSON Lines on stdin, read as a bundle's line is: the candidate named ``<stdin>:LINE``,
    each problem located on the line."""
    return bundle_candidate(STDIN, number, text.encode("utf-8", "surrogatepass"))


def _item(doc: Document, index: int) -> Document:
    lines = {k[1:]: v for k, v in doc.lines.items() if k[:1] == (index,)}
    return Document(file=STDIN, data=doc.data[index], lines=lines)


def _load(docs: list[Document | Problem]) -> tuple[list[LoadedCandidate], list[Problem]]:
    loaded: list[LoadedCandidate] = []
    problems: list[Problem] = []
    for doc in docs:
        result = doc if isinstance(doc, Problem) else load_candidate_doc(doc)
        if isinstance(result, Problem):
            problems.append(result)
        elif isinstance(result, list):
            problems.extend(result)
        else:
            loaded.append(result)
    return loaded, problems
