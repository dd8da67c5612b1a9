"""Candidate snapshots: the validated dossier as JSON that rebuilds the identical ``Candidate``."""

from __future__ import annotations

import types
from decimal import Decimal
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel

from engine.load.candidate import Candidate

PERSONAL = ("nip", "name")  # the snapshot fields an export redacts (with the candidate's file path)


def snapshot(candidate: Candidate) -> dict[str, Any]:
    """JSON form of a candidate; decimals are kept as exact strings ("3.50" stays "3.50").

    Fields at their defaults are left out, so a field added later (with a default) changes neither old
    snapshots nor the content hash of a candidate that does not use it.
    """
    return candidate.model_dump(mode="json", exclude_defaults=True)


def revive(data: dict[str, Any]) -> Candidate:
    """The candidate a snapshot was taken of: exact decimals restored before strict validation."""
    return Candidate.model_validate(_model(Candidate, data))


def _model(model: type[BaseModel], data: Any) -> Any:
    if not isinstance(data, dict):
        return data
    fields = model.model_fields
    return {key: _value(fields[key].annotation, value) if key in fields else value for key, value in data.items()}


def _value(annotation: Any, value: Any) -> Any:
    if value is None:
        return None
    origin = get_origin(annotation)
    args = get_args(annotation)
    if origin is Annotated:
        return _value(args[0], value)
    if annotation is Decimal:
        return Decimal(value) if isinstance(value, str) else value
    if origin in (Union, types.UnionType):
        for arg in args:
            if arg is not type(None):
                revived = _value(arg, value)
                if revived is not value:
                    return revived
        return value
    if origin in (list, tuple) and isinstance(value, list):
        return [_value(args[0], item) for item in value] if args else value
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return _model(annotation, value)
    return value
