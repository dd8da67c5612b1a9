"""Candidates from files, directories, or stdin (`-`): one YAML/JSON document, a list of them, or JSON Lines."""

from __future__ import annotations

import sys
from pathlib import Path

from engine.decide import inputs
from engine.decide.inputs import bundle_batches, is_bundle
from engine.errors import Problem, ProblemCode
from engine.load.intake import LoadedCandidate, load_candidate_doc, load_candidates
from engine.load.source import Document, parse_text

STDIN = "<stdin>"


def read_candidates(paths: list[Path]) -> tuple[list[LoadedCandidate], list[Problem]]:
    """Like load_candidates, with `-` read from stdin; a NIP given twice anywhere is a problem."""
    files = [p for p in paths if str(p) != "-" and not is_bundle(p)]
    loaded, problems = load_candidates(files) if files else ([], [])
    if len(files) == len(paths):
        return loaded, problems
    seen = {c.candidate.nip: c.file for c in loaded}
    for path in paths:
        if is_bundle(path):
            for items in bundle_batches(str(path), 1000):
                for found in inputs.loaded(items):
                    if isinstance(found, list):
                        problems.extend(found)
                    else:
                        _add(found, found.file, loaded, problems, seen)
    if all(str(p) != "-" for p in paths):
        return loaded, problems
    more, bad = parse_stream(sys.stdin.read())
    for candidate in more:
        _add(candidate, STDIN, loaded, problems, seen)
    return loaded, problems + bad


def _add(
    candidate: LoadedCandidate, where: str, loaded: list[LoadedCandidate], problems: list[Problem], seen: dict[str, str]
) -> None:
    """Keep a candidate read from stdin or a bundle, unless its NIP was given before."""
    nip = candidate.candidate.nip
    if nip in seen:
        bundle, _colon, line = where.rpartition(":")
        problems.append(
            Problem(
                code=ProblemCode.DUPLICATE_CANDIDATE,
                file=bundle if line.isdigit() else where,
                line=int(line) if line.isdigit() else None,
                path="nip",
                message=f"NIP {nip} is also in {seen[nip]}",
                hint="one record per civil servant",
            )
        )
        return
    seen[nip] = where
    loaded.append(candidate)


def parse_stream(text: str) -> tuple[list[LoadedCandidate], list[Problem]]:
    """A YAML or JSON document (one candidate, or a list of them), else JSON Lines (one candidate a line)."""
    lines = [(n, line) for n, line in enumerate(text.splitlines(), 1) if line.strip()]
    if len(lines) > 1 and all(line.lstrip().startswith("{") for _n, line in lines):
        # Blank lines in front keep each record's line numbers those of the stream.
        return _load([parse_text("\n" * (n - 1) + line, STDIN) for n, line in lines])
    doc = parse_text(text, STDIN)
    if not isinstance(doc, Document):
        return [], [doc]
    if isinstance(doc.data, list):
        return _load([_item(doc, i) for i in range(len(doc.data))])
    return _load([doc])


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
