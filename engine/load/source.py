"""Reading YAML and JSON input files into plain data, keeping the line of every field."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.constructor import DuplicateKeyError, RoundTripConstructor
from ruamel.yaml.error import MarkedYAMLError

from engine.errors import Problem

Loc = tuple[str | int, ...]

SUFFIXES = (".yaml", ".yml", ".json")


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
            # Line numbers are only needed to report a problem: parse again with the slower
            # round-trip loader that keeps them.
            parsed = _parse_round_trip(self._text or "", self.file)
            self._lines = parsed.lines if isinstance(parsed, Document) else {(): 1}
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


def _plain(node: Any, loc: Loc, lines: dict[Loc, int]) -> Any:
    if isinstance(node, CommentedMap):
        out: dict[Any, Any] = {}
        for key, value in node.items():
            child = (*loc, key)
            line, _col = node.lc.key(key)
            lines[child] = line + 1
            out[key] = _plain(value, child, lines)
        return out
    if isinstance(node, CommentedSeq):
        items: list[Any] = []
        for index, value in enumerate(node):
            child = (*loc, index)
            line, _col = node.lc.item(index)
            lines[child] = line + 1
            items.append(_plain(value, child, lines))
        return items
    if isinstance(node, bool) or node is None:
        return node
    # ruamel hands out subclasses (ScalarFloat, ScalarInt, quoted strings); models want the base types.
    for base in (int, float, str):
        if isinstance(node, base):
            return base(node)
    return node


class _DatesAsText(RoundTripConstructor):
    """Keeps dates as written, so an impossible one (2020-02-30) is a located field error, not a crash."""

    def construct_yaml_timestamp(self, node: Any, values: Any = None) -> Any:
        return self.construct_scalar(node)


_DatesAsText.add_constructor("tag:yaml.org,2002:timestamp", _DatesAsText.construct_yaml_timestamp)

# The C-accelerated safe loader (ruamel.yaml.clib) reads valid files about six times faster.
_FAST_YAML = YAML(typ="safe", pure=False)


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out = dict(pairs)
    if len(out) != len(pairs):
        raise ValueError("duplicate key")
    return out


def parse_text(text: str, file: str) -> Document | Problem:
    """Parse JSON or YAML; anything the fast parsers refuse is parsed again to locate the problem."""
    try:
        is_json = file.endswith(".json")
        data = json.loads(text, object_pairs_hook=_unique_keys) if is_json else _FAST_YAML.load(text)
    except Exception:  # the round-trip parser below reports it with a line number
        return _parse_round_trip(text, file)
    return Document(file=file, data=data, text=text)


def _parse_round_trip(text: str, file: str) -> Document | Problem:
    """Parse YAML (JSON is read as the YAML subset it is) keeping lines; a syntax error becomes a Problem."""
    yaml = YAML(typ="rt")
    yaml.Constructor = _DatesAsText
    try:
        raw = yaml.load(text)
    except DuplicateKeyError as error:
        mark = error.problem_mark
        return Problem(
            code="duplicate_key",
            file=file,
            line=mark.line + 1 if mark else None,
            message=str(error.problem).strip(),
            hint="each key may appear only once in a mapping",
        )
    except MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        return Problem(
            code="syntax_error",
            file=file,
            line=mark.line + 1 if mark else None,
            message=str(error.problem or error.context or "cannot parse the file").strip(),
            hint="check indentation, colons and quotes near this line",
        )
    except Exception as error:  # ruamel raises assorted errors on binary or odd input
        return Problem(code="syntax_error", file=file, message=str(error).strip() or "cannot parse")
    lines: dict[Loc, int] = {(): 1}
    return Document(file=file, data=_plain(raw, (), lines), lines=lines, text=text)


def read_document(path: Path) -> Document | Problem:
    """Read and parse one file."""
    try:
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
