"""Reading YAML and JSON input files into plain data, bounded in size and shape, keeping field lines."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.reader import ReaderError

from engine.errors import Problem
from engine.load.events import INT_MAX, INT_MIN, MAX_DEPTH, Loc, Refused, build, exact_number

__all__ = ["Document", "Loc", "expand_paths", "file_digest", "parse_text", "read_document"]

SUFFIXES = (".yaml", ".yml", ".json")

# A dossier is a few kilobytes and the largest bundled rule file a few dozen: one megabyte is far
# beyond any real input, and keeps parsing and validation of the worst-shaped file within seconds.
DEFAULT_MAX_FILE_BYTES = 1 << 20
MAX_FILE_BYTES_ENV = "LAYAK_MAX_FILE_BYTES"


def max_file_bytes() -> int:
    """The per-file size limit: env LAYAK_MAX_FILE_BYTES, else one megabyte."""
    raw = os.environ.get(MAX_FILE_BYTES_ENV, "")
    try:
        return int(raw) if raw.strip() else DEFAULT_MAX_FILE_BYTES
    except ValueError:
        return DEFAULT_MAX_FILE_BYTES


class Document:
    """A parsed file: plain Python data, and the 1-based line of each field path (found when first asked)."""

    def __init__(self, file: str, data: Any, lines: dict[Loc, int] | None = None, text: str | None = None) -> None:
        self.file = file
        self.data = data
        self._lines = lines
        self._text = text

    @property
    def lines(self) -> dict[Loc, int]:
        if self._lines is None:
            # Lines are only needed to report a problem: the event parser runs again (in C, on a
            # file already bounded in size), this time recording the line of every field.
            lines: dict[Loc, int] = {(): 1}
            # Best effort: JSON that YAML reads differently (NaN, odd escapes) keeps the lines found so far.
            with contextlib.suppress(Refused, YAMLError, ValueError, RecursionError):
                build(self._text or "", self.file, lines)
            self._lines = lines
        return self._lines

    def line_of(self, loc: Loc) -> int | None:
        """The line of the deepest known prefix of ``loc`` (a pydantic error loc fits)."""
        lines = self.lines
        probe = tuple(loc)
        while probe:
            if probe in lines:
                return lines[probe]
            probe = probe[:-1]
        return lines.get((), None)


# Digits and the decimal point as "0", a quote as itself, anything else as a space.
_SHAPE = bytes(0x30 if chr(i) in "0123456789." else (0x22 if i == 0x22 else 0x20) for i in range(256))
_LONG_NUMBER = b" " + b"0" * 16


def long_numbers(raw: bytes) -> bool:
    """Whether the JSON text ``raw`` may hold a number of more than 15 significant digits: one a float-based
    parser (orjson) would round silently, and so must be read by the full loader (``exact_number``). A run of 16
    number characters after a space or a separator is one; strings of digits (NIPs) start after a quote and do
    not count, while one after a space inside a string is a harmless false alarm (the full loader reads it)."""
    return _LONG_NUMBER in raw.translate(_SHAPE)


def _check_json(data: Any) -> bool:
    """True when JSON data has the YAML loader's bounds (depth, integer range); walked without recursion."""
    todo: list[tuple[Any, int]] = [(data, 0)]
    while todo:
        value, depth = todo.pop()
        if isinstance(value, dict | list):
            if depth >= MAX_DEPTH:
                return False
            todo.extend((child, depth + 1) for child in (value.values() if isinstance(value, dict) else value))
        elif isinstance(value, int) and not isinstance(value, bool) and not INT_MIN <= value <= INT_MAX:
            return False
    return True


def _yaml_problem(error: YAMLError, file: str, text: str) -> Problem:
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    # The C parser places an error at the end of the stream one line past the last one.
    last = max(1, text.count("\n") + (0 if text.endswith("\n") else 1))
    if isinstance(error, MarkedYAMLError):
        message = str(error.problem or error.context or "cannot parse the file").strip()
    else:
        message = str(error).strip().splitlines()[0] if str(error).strip() else "cannot parse the file"
    if mark:
        line: int | None = min(mark.line + 1, last)
    elif isinstance(error, ReaderError) and isinstance(error.position, int):
        # A character the YAML reader refuses (a control character) has a position, not a mark.
        line = min(text.count("\n", 0, error.position) + 1, last)
    else:
        line = None
    return Problem(
        code="syntax_error",
        file=file,
        line=line,
        message=message,
        hint="check indentation, colons and quotes near this line",
    )


def parse_text(text: str, file: str) -> Document | Problem:
    """Parse JSON or YAML into plain data, or the first Problem that makes the file unusable."""
    limit = max_file_bytes()
    if len(text) > limit:
        return _too_big(file, len(text.encode("utf-8", "replace")), limit)
    if file.endswith(".json"):
        try:
            data = json.loads(text, object_pairs_hook=_unique_keys, parse_float=exact_number)
        except json.JSONDecodeError as error:
            return Problem(
                code="syntax_error",
                file=file,
                line=error.lineno,
                message=error.msg,
                hint="check commas, brackets and quotes near this line",
            )
        except (ValueError, RecursionError):
            data = None  # a duplicate key or deep nesting: the event parser below locates it
        else:
            if _check_json(data):
                return Document(file=file, data=data, text=text)
    try:
        # Lines are recorded in the same pass: a problem never costs a second parse of a large file.
        lines: dict[Loc, int] = {(): 1}
        data = build(text, file, lines)
    except Refused as refused:
        return refused.problem
    except YAMLError as error:
        return _yaml_problem(error, file, text)
    except (ValueError, RecursionError, MemoryError) as error:  # odd input the parser itself chokes on
        return Problem(code="syntax_error", file=file, message=str(error).strip()[:200] or "cannot parse the file")
    return Document(file=file, data=data, lines=lines, text=text)


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out = dict(pairs)
    if len(out) != len(pairs):
        raise ValueError("duplicate key")
    return out


def _too_big(file: str, size: int, limit: int) -> Problem:
    return Problem(
        code="file_too_large",
        file=file,
        message=f"the file has {size:,} bytes; the limit is {limit:,}",
        hint=f"a real dossier is a few kilobytes; raise the limit with {MAX_FILE_BYTES_ENV} if needed",
    )


def read_document(path: Path) -> Document | Problem:
    """Read and parse one file, refusing files over the size limit before reading them."""
    limit = max_file_bytes()
    try:
        size = path.stat().st_size
        if size > limit:
            return _too_big(str(path), size, limit)
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        return Problem(code="not_text", file=str(path), message="the file is not UTF-8 text")
    except OSError as error:
        return Problem(code="unreadable", file=str(path), message=error.strerror or str(error))
    return parse_text(text, str(path))


def expand_paths(paths: list[Path], *, exclude_suffix: str = "") -> Iterator[Path]:
    """Files named directly, and every YAML/JSON file under a named directory, sorted."""
    for path in paths:
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                name = child.name
                if child.is_file() and name.endswith(SUFFIXES) and not name.startswith("."):
                    if exclude_suffix and name.endswith(exclude_suffix):
                        continue
                    yield child
        else:
            yield path


def file_digest(name: str) -> str:
    """SHA-256 of a file's bytes ("" when it cannot be read): what a facts table records of each dossier."""
    try:
        with open(name, "rb") as handle:
            return hashlib.file_digest(handle, "sha256").hexdigest()
    except OSError:
        return ""
