"""The fuzz harness's checks: does a problem name file, line and field; did an answered file keep its values."""

from __future__ import annotations

import datetime as dt
import json
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

# Problems about the file as a whole: there is no line or field to name.
FILE_LEVEL = frozenset({"not_text", "file_too_large", "unreadable"})
_SUMMARY = re.compile(r"and [\d,]+ more problems")


def unlocated(problem: dict[str, Any], path: Path, lines: int, *, root_scalar: bool = False) -> str:
    """Why ``problem`` does not name file, line and field, or "" when it does.

    A syntax error names file and line (text that does not parse has no fields yet); a file-level
    problem (not text, too large) names the file; "expected a mapping at the top level" and a problem
    with a document that is one bare value (``root_scalar``) name line 1 and the root, whose path is empty.
    """
    code, message = str(problem.get("code")), str(problem.get("message", ""))
    where = f"{code} {problem.get('path', '')!s}: {message[:80]}"
    if problem.get("file") != str(path):
        return f"does not name the file: {where}"
    if code in FILE_LEVEL or _SUMMARY.fullmatch(message):
        return ""
    line = problem.get("line")
    if not isinstance(line, int) or not 1 <= line <= lines + 1:
        return f"line {line!r} not in 1..{lines + 1}: {where}"
    if code == "syntax_error" or (line == 1 and message == "expected a mapping of fields at the top level"):
        return ""
    if root_scalar and line == 1:
        return ""
    return "" if problem.get("path") else f"names no field: {where}"


def problems_of(kind: str, stdout: str) -> list[dict[str, Any]]:
    """The problems of a JSON answer: `check` lists them under "problems"; `validate` prints its findings."""
    try:
        data = json.loads(stdout)
    except ValueError:
        return [{"code": "no_json_output", "message": stdout[:80]}]
    if kind == "candidate":
        return list(data.get("problems", [])) if isinstance(data, dict) else []
    found = []
    for finding in data:  # validate: "where" is FILE:LINE or FILE, "field" the path
        file, _, line = str(finding["where"]).rpartition(":")
        located = line.isdigit()
        found.append(
            {
                **finding,
                "file": file if located else finding["where"],
                "line": int(line) if located else None,
                "path": finding.get("field", ""),
            }
        )
    return found


def _compare(raw: Any, kept: Any, at: str) -> str:
    """Where the model holds ``raw`` as another type or value, or "" (numbers may become exact decimals)."""
    if isinstance(raw, dict):
        if not isinstance(kept, dict):
            return f"{at}: a mapping became {type(kept).__name__}"
        for key, value in raw.items():
            if key not in kept:
                return f"{at}.{key}: dropped"
            found = _compare(value, kept[key], f"{at}.{key}")
            if found:
                return found
        return ""
    if isinstance(raw, list):
        if not isinstance(kept, list | tuple) or len(kept) != len(raw):
            return f"{at}: a list of {len(raw)} became {kept!r:.60}"
        each = (_compare(r, k, f"{at}[{i}]") for i, (r, k) in enumerate(zip(raw, kept, strict=True)))
        return next((f for f in each if f), "")
    return "" if _same(raw, kept) else f"{at}: {raw!r:.40} ({type(raw).__name__}) became {kept!r:.40}"


def _same(raw: Any, kept: Any) -> bool:
    if isinstance(raw, bool):
        return isinstance(kept, bool) and kept == raw
    if isinstance(raw, int):
        return not isinstance(kept, bool) and isinstance(kept, int | Decimal) and kept == raw
    if isinstance(raw, float):
        return isinstance(kept, Decimal) and kept == Decimal(str(raw))
    if isinstance(raw, str):
        return kept == raw or (isinstance(kept, dt.date) and kept.isoformat() == raw)
    if isinstance(raw, dt.date):
        return type(kept) is type(raw) and kept == raw
    return raw is None and kept is None


def coercion(path: Path) -> str:
    """The first value of an accepted candidate file that the loaded model holds differently, or ""."""
    from engine.load.intake import load_candidate_doc
    from engine.load.source import Document, read_document

    doc = read_document(path)
    if not isinstance(doc, Document):
        return "refused when read again"
    loaded = load_candidate_doc(doc)
    if isinstance(loaded, list):
        return "refused when loaded again"
    return _compare(doc.data, loaded.candidate.model_dump(mode="python"), "")
