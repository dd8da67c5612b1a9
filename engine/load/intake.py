"""Loading candidate files: every file validated, every problem of every file collected."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from engine.errors import Problem
from engine.load.candidate import Candidate
from engine.load.library import CASES_SUFFIX
from engine.load.source import Document, expand_paths, read_document
from engine.load.validation import validate


@dataclass(frozen=True)
class LoadedCandidate:
    file: str
    candidate: Candidate


def load_candidate_doc(doc: Document) -> LoadedCandidate | list[Problem]:
    result = validate(Candidate, doc, "candidate_invalid")
    return result if isinstance(result, list) else LoadedCandidate(doc.file, result)


def load_candidates(paths: list[Path]) -> tuple[list[LoadedCandidate], list[Problem]]:
    """Valid candidates, and the problems of the files that are not (the others still load)."""
    loaded: list[LoadedCandidate] = []
    problems: list[Problem] = []
    seen: dict[str, str] = {}
    for path in expand_paths(paths, exclude_suffix=CASES_SUFFIX):
        if not path.exists():
            problems.append(Problem(code="not_found", file=str(path), message="no such file or directory"))
            continue
        doc = read_document(path)
        if isinstance(doc, Problem):
            problems.append(doc)
            continue
        result = load_candidate_doc(doc)
        if isinstance(result, list):
            problems.extend(result)
            continue
        nip = result.candidate.nip
        if nip in seen:
            problems.append(
                Problem(
                    code="duplicate_candidate",
                    file=str(path),
                    path="nip",
                    line=doc.line_of(("nip",)),
                    message=f"NIP {nip} is also in {seen[nip]}",
                    hint="one file per civil servant",
                )
            )
            continue
        seen[nip] = str(path)
        loaded.append(result)
    return loaded, problems
