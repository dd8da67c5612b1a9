"""Building plain data from YAML parser events: no recursion, no tags, bounded depth and alias expansion."""

from __future__ import annotations

import datetime as dt
import functools
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.events import (
    AliasEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
)
from ruamel.yaml.nodes import ScalarNode

from engine.errors import Problem, path_text

Loc = tuple[str | int, ...]

# Real files nest at most about a dozen levels (rule groups inside groups); deeper input is refused
# before anything recursive (the validators, the report) can see it.
MAX_DEPTH = 48
# Aliases share a subtree, but everything downstream walks it once per reference: an eight-level
# alias bomb is a few hundred bytes that expands to billions of values. Count the expanded values:
# a real dossier holds a few hundred and the largest rule file a few thousand, and the cap keeps the
# worst one-megabyte file within seconds.
MAX_VALUES = 200_000
# The engine compares 64-bit integers; anything wider is a typing mistake, not a dossier value.
INT_MIN, INT_MAX = -(2**63), 2**63 - 1

_YAML = "tag:yaml.org,2002:"
_SCALAR_TAGS = frozenset(f"{_YAML}{name}" for name in ("str", "int", "float", "bool", "null", "timestamp"))
_FAST_YAML = YAML(typ="safe", pure=False)  # only its C event parser and resolver are used
_RESOLVER = _FAST_YAML.resolver
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


class Refused(Exception):
    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


def _refuse(code: str, file: str, line: int | None, loc: Loc, message: str, hint: str = "") -> Refused:
    return Refused(Problem(code=code, file=file, line=line, path=path_text(loc), message=message, hint=hint))


@functools.lru_cache(maxsize=8192)
def _implicit_tag(value: str) -> str:
    # ruamel's resolver returns Tag objects whose comparisons are slow; plain strings, cached, are not.
    return str(_RESOLVER.resolve(ScalarNode, value, (True, False)))


def _scalar(event: ScalarEvent, file: str, loc: Loc) -> Any:
    value: str = event.value
    tag = event.tag
    line = event.start_mark.line + 1
    if tag in (None, "!"):
        if not event.implicit[0]:
            return value  # quoted: always text
        if value.isascii() and value.isdigit() and len(value) < 19:  # the commonest scalar, no resolver
            return int(value)
        tag = _implicit_tag(value)
    elif tag not in _SCALAR_TAGS:
        raise _refuse(
            "unsupported_tag", file, line, loc, f"the tag {tag.replace(_YAML, '!!')} is not allowed", _TAG_HINT
        )
    return _typed(str(tag), value, file, line, loc)


def _typed(tag: str, value: str, file: str, line: int, loc: Loc) -> Any:
    if tag == f"{_YAML}str":
        return value
    if tag == f"{_YAML}null":
        return None
    if tag == f"{_YAML}bool":
        return value.lower() in ("true", "yes", "on", "y")
    try:
        if tag == f"{_YAML}int":
            return _int(value, file, line, loc)
        if tag == f"{_YAML}float":
            text = value.replace("_", "").lower()
            if text.lstrip("+-") in (".inf", ".nan"):
                return float(text.replace(".", ""))
            return exact_number(text)
    except ValueError:
        raise _refuse("invalid_value", file, line, loc, f"{value[:40]!r} is not a {tag.replace(_YAML, '')}") from None
    if tag == f"{_YAML}timestamp":
        # Dates stay as written when they are not real (2020-02-30): the model then names the field.
        try:
            return dt.date.fromisoformat(value) if _DATE.fullmatch(value) else dt.datetime.fromisoformat(value)
        except ValueError:
            return value
    if tag == f"{_YAML}merge":
        raise _refuse("unsupported_tag", file, line, loc, "merge keys (<<) are not supported", "write the fields out")
    return value


def exact_number(text: str) -> float | Decimal:
    """A decimal literal as a float when the float is what is written, else as the exact Decimal written.

    A double holds any decimal of at most 15 significant digits exactly enough that its shortest text (repr) is
    that decimal again; past that, parsing rounds silently (2.9999999999999999999 is 3.0), and a value just under
    a threshold would pass it. Read exactly instead, the models refuse such a value with its field (too many
    places, out of range) instead of comparing a rounded one."""
    number = float(text)
    digits = sum(map(str.isdigit, text))
    if digits <= 15:  # the common case: no Decimal made
        return number
    try:
        written = Decimal(text)
    except InvalidOperation:  # YAML's float forms Decimal does not read (".5e3" reads; "1_0.5" was cleaned)
        return number
    if written.is_finite() and number == number and Decimal(repr(number)) == written:
        return number
    return written


def _int(value: str, file: str, line: int, loc: Loc) -> int:
    text = value.replace("_", "")
    sign = -1 if text.startswith("-") else 1
    digits = text.lstrip("+-")
    if len(digits) > 40:  # refused before int() spends time on thousands of digits
        raise _refuse("number_out_of_range", file, line, loc, f"{value[:40]}... is far too large a number")
    bases = {"0x": 16, "0o": 8, "0b": 2}
    number = sign * (int(digits[2:], bases[digits[:2]]) if digits[:2] in bases else int(digits, 10))
    if not INT_MIN <= number <= INT_MAX:
        raise _refuse("number_out_of_range", file, line, loc, f"{value} is outside the 64-bit integer range")
    return number


_NO_KEY = object()
_TAG_HINT = "write plain values; files are data, tags like !!python/... are never run"


class _Frame:
    """An open mapping or sequence: the container, its path, the key awaiting a value, values inside."""

    __slots__ = ("container", "count", "key", "loc")

    def __init__(self, container: Any, loc: Loc) -> None:
        self.container, self.loc, self.count = container, loc, 0
        self.key: Any = _NO_KEY


class _Builder:
    """Plain data from the C event parser, without recursion; refuses tags, deep nesting, alias bombs."""

    def __init__(self, file: str, lines: dict[Loc, int] | None) -> None:
        self.file, self.lines = file, lines
        self.stack: list[_Frame] = []
        self.anchors: dict[str, tuple[Any, int]] = {}
        self.open_anchors: dict[int, str] = {}  # id(container) -> anchor, for containers still open
        self.root: Any = None
        self.documents = 0
        self.total = 0

    def run(self, text: str) -> Any:
        for event in _FAST_YAML.parse(text):
            if isinstance(event, MappingEndEvent | SequenceEndEvent):
                self._close()
            elif isinstance(event, DocumentStartEvent):
                self.documents += 1
                if self.documents > 1:
                    raise _refuse(
                        "syntax_error",
                        self.file,
                        event.start_mark.line + 1,
                        (),
                        "more than one document in the file",
                        "remove the second '---'",
                    )
            elif isinstance(event, ScalarEvent | MappingStartEvent | SequenceStartEvent | AliasEvent):
                frame = self.stack[-1] if self.stack else None
                if frame is not None and isinstance(frame.container, dict) and frame.key is _NO_KEY:
                    self._key(frame, event)
                else:
                    self._value(frame, event)
        return self.root

    def _close(self) -> None:
        frame = self.stack.pop()
        anchor = self.open_anchors.pop(id(frame.container), None)
        if anchor is not None:
            self.anchors[anchor] = (frame.container, frame.count)
        if self.stack:
            self.stack[-1].count += frame.count

    def _key(self, frame: _Frame, event: Any) -> None:
        line = event.start_mark.line + 1
        if not isinstance(event, ScalarEvent):
            raise _refuse("syntax_error", self.file, line, frame.loc, "a mapping key must be a plain name")
        key = _scalar(event, self.file, frame.loc)
        if key in frame.container:
            raise _refuse(
                "duplicate_key",
                self.file,
                line,
                (*frame.loc, key),
                f"found duplicate key {key!r}",
                "each key may appear only once in a mapping",
            )
        frame.key = key
        if self.lines is not None:
            self.lines[(*frame.loc, key)] = line

    def _value(self, frame: _Frame | None, event: Any) -> None:
        line = event.start_mark.line + 1
        if frame is None:
            loc: Loc = ()
        elif isinstance(frame.container, dict):
            loc = (*frame.loc, frame.key)
        else:
            loc = (*frame.loc, len(frame.container))
            if self.lines is not None:
                self.lines[loc] = line
        value, count = self._construct(event, line, loc)
        self.total += count
        if self.total > MAX_VALUES:
            raise _refuse(
                "too_large",
                self.file,
                line,
                loc,
                f"more than {MAX_VALUES:,} values (an alias counts every value it repeats)",
                "a real file holds a few thousand; aliases (*name) may not multiply the file",
            )
        if frame is None:
            self.root = value
        else:
            if isinstance(frame.container, dict):
                frame.container[frame.key] = value
                frame.key = _NO_KEY
            else:
                frame.container.append(value)
            frame.count += count
        if isinstance(event, MappingStartEvent | SequenceStartEvent):
            self.stack.append(_Frame(value, loc))

    def _construct(self, event: Any, line: int, loc: Loc) -> tuple[Any, int]:
        if isinstance(event, AliasEvent):
            if event.anchor not in self.anchors:
                raise _refuse("syntax_error", self.file, line, loc, f"unknown or unfinished anchor {event.anchor!r}")
            return self.anchors[event.anchor]
        if isinstance(event, ScalarEvent):
            value = _scalar(event, self.file, loc)
            if event.anchor:
                self.anchors[event.anchor] = (value, 1)
            return value, 1
        if event.tag not in (None, "!", f"{_YAML}map", f"{_YAML}seq"):
            raise _refuse(
                "unsupported_tag",
                self.file,
                line,
                loc,
                f"the tag {event.tag.replace(_YAML, '!!')} is not allowed",
                _TAG_HINT,
            )
        if len(self.stack) >= MAX_DEPTH:
            raise Refused(
                Problem(
                    code="too_deep",
                    file=self.file,
                    line=line,
                    path=f"{path_text(loc[:6])}...",
                    message=f"values nested more than {MAX_DEPTH} levels deep",
                    hint="a real dossier or rule file nests about a dozen levels",
                )
            )
        container: Any = {} if isinstance(event, MappingStartEvent) else []
        if event.anchor:
            self.open_anchors[id(container)] = event.anchor
        return container, 1


def build(text: str, file: str, lines: dict[Loc, int] | None) -> Any:
    return _Builder(file, lines).run(text)
