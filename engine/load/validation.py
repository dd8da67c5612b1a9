"""Turning pydantic validation errors into located, readable Problems."""

from __future__ import annotations

import difflib
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from engine.errors import Problem, path_text
from engine.load.source import Document

M = TypeVar("M", bound=BaseModel)
# A file with thousands of wrong fields is reported by its first hundred problems: reporting (and
# spelling hints for) every one of them took minutes on a one-megabyte file.
MAX_PROBLEMS = 100

_MESSAGES = {
    "missing": "this field is required",
    "extra_forbidden": "unknown field",
    "string_type": "expected text",
    "int_type": "expected a whole number",
    "bool_type": "expected true or false",
    "list_type": "expected a list",
    "model_type": "expected a mapping of fields",
    "dict_type": "expected a mapping of fields",
}


def _known_fields(model: type[BaseModel], loc: tuple[Any, ...]) -> list[str]:
    """Field names valid at the parent of ``loc`` (for did-you-mean hints)."""
    current: Any = model
    for part in loc[:-1]:
        if isinstance(part, int) or not (isinstance(current, type) and issubclass(current, BaseModel)):
            continue
        info = current.model_fields.get(part)
        if info is None:
            return []
        current = _model_inside(info.annotation)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return list(current.model_fields)
    return []


def _model_inside(annotation: Any) -> Any:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()) or ():
        found = _model_inside(arg)
        if found is not None:
            return found
    return None


# pydantic puts the tag of a discriminated union into the error path: a requirement's shape right after
# its list index, a threshold's shape right after `value`; people never wrote it, so it must not show.
_UNION_TAGS = frozenset({"check", "any_of", "all_of"})
_VALUE_TAGS = frozenset({"plain", "dated"})
_HINTS = {
    "top_level_only": "mandatory and waivable_by apply to a whole top-level requirement: set them there",
}


def _clean_loc(raw: tuple[Any, ...]) -> tuple[Any, ...]:
    out: list[Any] = []
    previous: Any = None
    for part in raw:
        tag = isinstance(part, str) and (
            part.startswith("function-")
            or (part in _UNION_TAGS and isinstance(previous, int))
            or (part in _VALUE_TAGS and previous == "value")
        )
        previous = part
        if not tag:
            out.append(part)
    return tuple(out)


def _too_short(item: Any, loc: tuple[Any, ...]) -> tuple[str, str]:
    written = item.get("input")
    count = len(written) if isinstance(written, list | tuple) else 0
    key = loc[-1] if loc else ""
    if key in ("any_of", "all_of"):
        return (
            f"'{key}' needs at least {item['ctx']['min_length']} conditions, got {count}",
            "a single condition needs no group: write it as the requirement itself",
        )
    least = item["ctx"]["min_length"]
    return f"needs at least {least} {'entry' if least == 1 else 'entries'}, got {count}", ""


def problems_of(error: ValidationError, doc: Document, model: type[BaseModel], code: str) -> list[Problem]:
    """One Problem per pydantic error, with line and field path; nothing dropped."""
    problems = []
    errors = [(item, _clean_loc(item["loc"])) for item in error.errors(include_url=False)]
    for item, loc in errors[:MAX_PROBLEMS]:
        kind = item["type"]
        message = _MESSAGES.get(kind, item["msg"])
        hint = _HINTS.get(kind, "")
        if kind == "too_short":
            # pydantic counts the entries that validated: a list whose entries have errors of their own is
            # "too short" only as a consequence of them.
            if any(other[: len(loc)] == loc and len(other) > len(loc) for _i, other in errors):
                continue
            message, hint = _too_short(item, loc)
        elif kind == "extra_forbidden" and loc:
            close = difflib.get_close_matches(str(loc[-1]), _known_fields(model, loc), n=1)
            hint = f"did you mean '{close[0]}'?" if close else "remove it or check the spelling"
        elif kind == "string_pattern_mismatch":
            message = f"{item['input']!r} does not have the expected form ({item['ctx']['pattern']})"
        elif (
            kind not in ("missing", "top_level_only")
            and "got" not in message
            and "input" in item
            and not isinstance(item["input"], dict | list)
        ):
            message = f"{message}, got {item['input']!r}"
        if message.startswith("Value error, "):
            message = message[len("Value error, ") :]
        problems.append(
            Problem(code=code, file=doc.file, line=doc.line_of(loc), path=path_text(loc), message=message, hint=hint)
        )
    if len(errors) > MAX_PROBLEMS:
        problems.append(
            Problem(
                code=code,
                file=doc.file,
                message=f"and {len(errors) - MAX_PROBLEMS:,} more problems",
                hint="fix the ones above first",
            )
        )
    return problems


def validate(model: type[M], doc: Document, code: str) -> M | list[Problem]:
    """Validate a whole document against a model, returning the model or all its problems."""
    if not isinstance(doc.data, dict):
        return [Problem(code=code, file=doc.file, line=1, message="expected a mapping of fields at the top level")]
    try:
        return model.model_validate(doc.data)
    except ValidationError as error:
        return problems_of(error, doc, model, code)
