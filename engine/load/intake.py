"""Loading candidate files: every file validated, every problem of every file collected."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, MutableMapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson
from pydantic import ValidationError

from engine.errors import Problem
from engine.load import fast
from engine.load.candidate import Candidate
from engine.load.library import CASES_SUFFIX
from engine.load.source import Document, expand_paths, long_numbers, max_file_bytes, parse_text, read_document
from engine.load.validation import validate


@dataclass(frozen=True, slots=True)  # made once a candidate: slots make it ~0.4 µs cheaper
class LoadedCandidate:
    """A validated candidate, its name (a file, ``BUNDLE:LINE``) and, when it was validated from JSON, that JSON
    text's bytes as read (a bundle line without its line break, a .json file's content): a record keeps them as
    the dossier's evidence, and they validate again to the identical candidate through ``json_candidate``."""

    file: str
    candidate: Candidate
    text: bytes | None = None


def load_candidate_doc(doc: Document) -> LoadedCandidate | list[Problem]:
    result = validate(Candidate, doc, "candidate_invalid")
    return result if isinstance(result, list) else LoadedCandidate(doc.file, result)


def plain_json(raw: bytes) -> dict[str, Any] | None:
    """A JSON object parsed by orjson when the full loader would read exactly the same data; None otherwise.

    The full loader (``parse_text``) refuses duplicate keys and reads a few things orjson does not (NaN,
    integers past 64 bits); orjson refuses those, and duplicates are caught by counting colons: outside strings
    a colon only separates a key from its value, so a key dropped as a duplicate leaves fewer colons in the
    re-serialised data. A ``\\u`` escape could write a colon the count would not see: such files take the full path.
    """
    if b"\\u" in raw:
        return None
    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError:
        return None
    if not isinstance(data, dict) or raw.count(b":") != orjson.dumps(data).count(b":"):
        return None
    return data


def plain_candidate(file: str, raw: bytes) -> LoadedCandidate | None:
    """The candidate of a plain JSON dossier that validates, else None (the full path then says why).

    First straight from the bytes through the native validator (``engine.load.fast``). A file it does not take
    as it is (a colon inside a string, a repeated key, an escape, anything it refuses) is parsed by orjson and
    validated natively again, then by the model itself. A dossier the model accepts has bounded integers and
    nesting, so the loader's own bounds hold too.
    """
    if long_numbers(raw):  # orjson would round it: the full loader reads it exactly
        return None
    found = fast.from_json(raw)
    if found is None:
        data = plain_json(raw)
        if data is None:
            return None
        found = fast.from_data(data)
        if found is None:
            try:
                found = Candidate.model_validate(data)
            except ValidationError:
                return None
    return LoadedCandidate(file, found, raw)


def json_candidate(where: str, raw: bytes) -> LoadedCandidate | list[Problem]:
    """The candidate of one dossier's JSON text, read as a bundle line or a .json file is (the fast path, else
    the full loader: duplicate keys, bounds, size limit), or its problems, named ``where``."""
    return _from_json(where, raw, "dossier", lambda problem: problem.model_copy(update={"file": where}))


def _from_json(
    where: str, raw: bytes, what: str, place: Callable[[Problem], Problem]
) -> LoadedCandidate | list[Problem]:
    """The candidate named ``where`` of the JSON text ``raw`` (``what``: "dossier" or "line", for the messages),
    straight from the bytes or through the full loader; every problem located by ``place``."""
    found = plain_candidate(where, raw)
    if found is not None:
        return found
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return [place(Problem(code="not_text", file=where, message=f"the {what} is not UTF-8 text"))]
    doc = parse_text(text, f"{what}.json")  # read as a JSON file is: duplicate keys, bounds, size limit
    if isinstance(doc, Problem):
        return [place(doc)]
    if not isinstance(doc.data, dict):
        return [place(Problem(code="candidate_invalid", file=where, message="expected one dossier (a JSON object)"))]
    result = load_candidate_doc(doc)
    if isinstance(result, list):
        return [place(problem) for problem in result]
    return LoadedCandidate(where, result.candidate, raw)


def read_candidate(path: str) -> LoadedCandidate | list[Problem]:
    """One candidate file: a plain JSON dossier straight from its bytes, anything else (YAML, a problem) through
    the full loader, which locates every problem."""
    raw = b""
    if path.endswith(".json"):
        try:
            with open(path, "rb") as handle:
                raw = handle.read() if os.fstat(handle.fileno()).st_size <= max_file_bytes() else b""
        except OSError:
            raw = b""
        found = plain_candidate(path, raw) if raw else None
        if found is not None:
            return found
    if not os.path.exists(path):
        return [Problem(code="not_found", file=path, message="no such file or directory")]
    doc = read_document(Path(path))
    if isinstance(doc, Problem):
        return [doc]
    result = load_candidate_doc(doc)
    if path.endswith(".json") and raw and isinstance(result, LoadedCandidate):  # the bytes validated as JSON
        return LoadedCandidate(result.file, result.candidate, raw)
    return result


def bundle_candidate(bundle: str, number: int, line: bytes) -> LoadedCandidate | list[Problem]:
    """Line ``number`` (from 1) of a JSON-lines bundle of dossiers, its candidate named ``BUNDLE:LINE``; every
    problem of the line is located on it (a dossier is one line, so that is where each of its fields is)."""
    where = f"{bundle}:{number}"
    line = line[:-1] if line.endswith(b"\n") else line
    return _from_json(where, line, "line", lambda problem: _on_line(problem, bundle, number))


def _on_line(problem: Problem, bundle: str, number: int) -> Problem:
    # a dossier is one line of the bundle: every problem of it, a whole-document one (too large) included, is there
    return problem.model_copy(update={"file": bundle, "line": number})


def load_candidates(paths: list[Path]) -> tuple[list[LoadedCandidate], list[Problem]]:
    """Valid candidates, and the problems of the files that are not (the others still load); a plain JSON
    dossier takes the fast path of ``read_candidate``."""
    problems: list[Problem] = []
    seen: dict[str, str] = {}
    return list(iter_candidates(paths, problems, seen)), problems


def iter_candidates(
    paths: list[Path], problems: list[Problem], seen: MutableMapping[str, str]
) -> Iterator[LoadedCandidate]:
    """``load_candidates`` one at a time: problems appended to ``problems``, NIP → file kept in ``seen``."""
    for path in expand_paths(paths, exclude_suffix=CASES_SUFFIX):
        result = read_candidate(str(path))
        if isinstance(result, list):
            problems.extend(result)
            continue
        nip = result.candidate.nip
        if nip in seen:
            doc = read_document(path)  # read again for the line of the NIP, only in this rare case
            problems.append(
                Problem(
                    code="duplicate_candidate",
                    file=str(path),
                    path="nip",
                    line=doc.line_of(("nip",)) if isinstance(doc, Document) else None,
                    message=f"NIP {nip} is also in {seen[nip]}",
                    hint="one file per civil servant",
                )
            )
            continue
        seen[nip] = str(path)
        yield result
