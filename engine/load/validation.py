"""Turning pydantic validation errors into located, readable Problems."""

from __future__ import annotations

import difflib
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from engine.errors import Problem, path_text
from engine.load.source import Document

M = TypeVar("M", bound=BaseModel)

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


# pydantic puts the tag of a discriminated union (rule-file requirement shapes) into the error path,
# right after the list index; people never wrote it, so it must not show.
_UNION_TAGS = frozenset({"check", "any_of", "all_of"})


def _clean_loc(raw: tuple[Any, ...]) -> tuple[Any, ...]:
    out: list[Any] = []
    for part in raw:
        if isinstance(part, str) and (part.startswith("function-") or
                                      (part in _UNION_TAGS and out and isinstance(out[-1], int))):
            continue
        out.append(part)
    return tuple(out)


def problems_of(error: ValidationError, doc: Document, model: type[BaseModel], code: str) -> list[Problem]:
    """One Problem per pydantic error, with line and field path; nothing dropped."""
    problems = []
    for item in error.errors(include_url=False):
        loc = _clean_loc(item["loc"])
        kind = item["type"]
        message = _MESSAGES.get(kind, item["msg"])
        hint = ""
        if kind == "extra_forbidden" and loc:
            close = difflib.get_close_matches(str(loc[-1]), _known_fields(model, loc), n=1)
            hint = f"did you mean '{close[0]}'?" if close else "remove it or check the spelling"
        elif kind == "string_pattern_mismatch":
            message = f"{item['input']!r} does not have the expected form ({item['ctx']['pattern']})"
        elif (kind != "missing" and "got" not in message and "input" in item
              and not isinstance(item["input"], dict | list)):
            message = f"{message}, got {item['input']!r}"
        if message.startswith("Value error, "):
            message = message[len("Value error, "):]
        problems.append(Problem(code=code, file=doc.file, line=doc.line_of(loc), path=path_text(loc),
                                message=message, hint=hint))
    return problems


def validate(model: type[M], doc: Document, code: str) -> M | list[Problem]:
    """Validate a whole document against a model, returning the model or all its problems."""
    if not isinstance(doc.data, dict):
        return [Problem(code=code, file=doc.file, line=1, message="expected a mapping of fields at the top level")]
    try:
        return model.model_validate(doc.data)
    except ValidationError as error:
        return problems_of(error, doc, model, code)
