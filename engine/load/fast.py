"""A second, native validator of candidate files for the plain-JSON fast path; the model's own stays the judge."""

from __future__ import annotations

import contextlib
import functools
import typing
from collections.abc import Callable, Iterator
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from typing import Any

from pydantic import BaseModel
from pydantic_core import CoreConfig, SchemaValidator, ValidationError
from pydantic_core import core_schema as cs

from engine.load.candidate import Candidate
from engine.load.values import NUMBER_PLACES, date_before, decimal_before

# Candidate's dates and numbers go through Python validators (``values.date_before``, ``values.decimal_before``
# and the bounds pydantic checks in Python after them), about 45 Python calls per dossier. This validator is
# compiled from the very same core schema, instantiating the same classes with the same model validators,
# except that each of those stacks is replaced by native pydantic-core steps that accept a SUBSET of what it
# accepts and give equal values: a date only as "YYYY-MM-DD" text; a number only as an integer or a finite
# float (never a bool, never a quoted number), read as a Decimal from the text ``decimal_before`` reads.
# Whatever it refuses goes to the model's own validator, which accepts it or locates every problem: the fast
# path never accepts what the model refuses, and what it accepts equals the model's result
# (tests/test_fast_validation.py checks both, on real and mutated dossiers).

# A date is a string of the form, then a real calendar date. (The form is needed: pydantic-core's date alone, even
# strict on JSON, reads a string of digits as a timestamp.)
_DATE = cs.chain_schema(
    [cs.str_schema(strict=True, pattern=r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"), cs.date_schema(strict=False)]
)
_PLACES = rf"^-?[0-9]+(\.[0-9]{{1,{NUMBER_PLACES}}})?$"


# Scores, ratings and credit points repeat from dossier to dossier: each number is made once and shared (a Decimal
# is immutable and equal to a fresh one). Derivation and the line writer look numbers up by value, and a Decimal
# computes its hash once (about 1-2 µs for a fresh one, the most of a score's derivation). The integers and texts
# given are those the chains below let through (the keys never mix: an int never equals a str).
_of_integer = functools.lru_cache(maxsize=4096)(Decimal)
_of_text = functools.lru_cache(maxsize=16384)(Decimal)


def _number(ge: Decimal | None, le: Decimal | None) -> cs.CoreSchema:
    """A number as ``decimal_before`` and the bounds read it: Decimal of the integer, or of the float's shortest
    text (``repr``, a C builtin: the text ``decimal_before`` reads) when that is plain positional text with at
    most NUMBER_PLACES decimals; more places, or an exponent (a float under 0.0001 or past 10^16, both refused by
    the model), go to the full validator. pydantic-core's own decimal_places check costs more than the Python
    validator it would replace.

    The bounds are checked natively before the Decimal is made, on the integer (bounds rounded inwards) or on the
    float (bounds as floats): the same answers, since distinct numbers of at most NUMBER_PLACES decimals under
    10^6 are distinct floats, in the same order.
    """
    integer = cs.int_schema(
        strict=True,
        ge=None if ge is None else int(ge.to_integral_value(ROUND_CEILING)),
        le=None if le is None else int(le.to_integral_value(ROUND_FLOOR)),
    )
    real = cs.float_schema(
        strict=True,
        allow_inf_nan=False,
        ge=None if ge is None else float(ge),
        le=None if le is None else float(le),
    )
    # Integers first: a strict float would also take an integer, and 5 must stay Decimal('5'), not Decimal('5.0').
    return cs.union_schema(
        [
            cs.chain_schema([integer, cs.no_info_plain_validator_function(_of_integer)]),
            cs.chain_schema(
                [
                    real,
                    cs.no_info_plain_validator_function(repr),
                    cs.str_schema(strict=True, pattern=_PLACES),
                    cs.no_info_plain_validator_function(_of_text),
                ]
            ),
        ],
        mode="left_to_right",
    )


def _bound(function: Any) -> tuple[str, Decimal] | None:
    """('ge' | 'le', value) when ``function`` is pydantic's bound check of an annotated field by an integer or a
    Decimal, else None."""
    if isinstance(function, functools.partial) and not function.args and len(function.keywords) == 1:
        ((key, value),) = function.keywords.items()
        name = getattr(function.func, "__name__", "")
        exact = type(value) in (int, Decimal) and Decimal(value).is_finite()
        if exact and (key, name) in (("ge", "greater_than_or_equal_validator"), ("le", "less_than_or_equal_validator")):
            return key, Decimal(value)
    return None


def _function(node: dict[str, Any]) -> Callable[..., Any] | None:
    function = node.get("function")
    return function.get("function") if isinstance(function, dict) else None


def _is(node: dict[str, Any], kind: str, function: Callable[..., Any]) -> bool:
    return node.get("type") == kind and _function(node) is function


def _decimal_stack(node: dict[str, Any]) -> cs.CoreSchema | None:
    """The native number schema for ``le(ge(_decimal(decimal)))`` (bounds in either order or absent), else None."""
    bounds: dict[str, Decimal] = {}
    while node.get("type") == "function-after":
        found = _bound(_function(node))  # pydantic's Python check of a bound annotated after a BeforeValidator
        if found is None or found[0] in bounds:
            return None
        bounds[found[0]] = found[1]
        node = node["schema"]
    if _is(node, "function-before", decimal_before) and node["schema"] == {"type": "decimal"}:
        return _number(bounds.get("ge"), bounds.get("le"))
    return None


def native(schema: Any) -> Any:
    """A copy of a core schema with the date and number stacks made native (the original is left untouched)."""
    if isinstance(schema, list):
        return [native(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    if _is(schema, "function-before", date_before) and schema["schema"] == {"type": "date"}:
        return _DATE
    return _decimal_stack(schema) or {key: native(value) for key, value in schema.items()}


def _models(schema: Any) -> set[type]:
    if isinstance(schema, list):
        return set().union(*map(_models, schema)) if schema else set()
    if not isinstance(schema, dict):
        return set()
    found = {schema["cls"]} if schema.get("type") == "model" else set()
    return found.union(*(_models(value) for value in schema.values()))


@contextlib.contextmanager
def _unbuilt(classes: set[type]) -> Iterator[None]:
    # pydantic-core compiles a "model" schema whose class is complete into that class's own validator (its
    # "prebuilt" shortcut), which would bring the Python validators back: the classes read as incomplete
    # while the native schema is compiled, and only then.
    before = {cls: cls.__dict__.get("__pydantic_complete__") for cls in classes}
    for cls in classes:
        cls.__pydantic_complete__ = False  # type: ignore[attr-defined]
    try:
        yield
    finally:
        for cls, complete in before.items():
            cls.__pydantic_complete__ = complete  # type: ignore[attr-defined]


@functools.cache
def fast_validator() -> SchemaValidator:
    """Candidate's schema with native dates and numbers, built once (only the check path needs it)."""
    schema = native(Candidate.__pydantic_core_schema__)
    with _unbuilt(_models(schema)):
        # Strings are made afresh rather than looked up in pydantic-core's process-wide string cache: the free
        # texts of dossiers rarely repeat, and the look-up cost more than it saved (values equal either way).
        return SchemaValidator(schema, CoreConfig(cache_strings="keys"))


def from_json(raw: bytes) -> Candidate | None:
    """The candidate of a JSON dossier straight from its bytes when the native validator accepts it and the
    bytes hold no key twice; None otherwise (the parsed-data path and then the full validator decide).

    The JSON parser keeps the last of two equal keys where the full loader refuses the file: every colon
    outside a string separates a key from its value, and every key of an accepted dossier is a field of one
    of its models (unknown fields are refused), so the colons of the bytes add up to the fields set on the
    models exactly when no key is repeated and no string holds a colon (such files take the parsed-data path,
    which counts the colons inside strings). An escaped colon (``\\u003a``) is no colon of the bytes, and a
    key spelled with escapes is still followed by one. The parser reads ``\\u`` escapes as the full loader's
    does, except a lone surrogate, which it refuses (the full loader then reads the file, as before).
    """
    try:
        found: Candidate = fast_validator().validate_json(raw)
    except ValidationError:
        return None
    return found if raw.count(b":") == _fields_set(found) else None


def from_data(data: dict[str, Any]) -> Candidate | None:
    """The candidate when the native validator accepts parsed JSON (duplicate keys already refused), else None."""
    try:
        found: Candidate = fast_validator().validate_python(data)
    except ValidationError:
        return None
    return found


def _fields_set(model: BaseModel) -> int:
    """How many fields the input set, on this model and every model inside it (only fields set can hold models:
    an unset one holds None or an empty list)."""
    fields = model.__pydantic_fields_set__
    count = len(fields)
    nested = _NESTED[type(model)]
    if nested.isdisjoint(fields):
        return count
    values = model.__dict__
    for name in nested.intersection(fields):
        value = values[name]
        if type(value) is list:
            if value:
                inner = _NESTED[type(value[0])]  # the items of a list field are all of its one model
                for item in value:
                    own = item.__pydantic_fields_set__
                    count += len(own) if inner.isdisjoint(own) else _fields_set(item)
        elif value is not None:
            count += _fields_set(value)
    return count


def _nested(model: type[BaseModel], found: dict[type[BaseModel], frozenset[str]]) -> None:
    """The fields of ``model`` holding models or lists of them, for it and every model inside it."""
    found[model] = frozenset()
    names = []
    for name, info in model.model_fields.items():
        inner = _inner_models(info.annotation)
        if not inner:
            continue
        # A default holding a model would count fields no key set, and could hide a repeated key.
        if not (info.is_required() or info.default is None or info.default_factory is list):
            raise TypeError(f"{model.__name__}.{name}: a field holding models defaults to None or an empty list")
        if len(inner) != 1:  # _fields_set reads the model of a list's first item as that of them all
            raise TypeError(f"{model.__name__}.{name}: a field holding models holds one model")
        names.append(name)
        for cls in inner:
            if cls not in found:
                _nested(cls, found)
    found[model] = frozenset(names)


def _inner_models(annotation: Any) -> list[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [cls for arg in typing.get_args(annotation) for cls in _inner_models(arg)]


# A model field missed here would only count fewer fields than the colons, sending the file to the other paths.
_NESTED: dict[type[BaseModel], frozenset[str]] = {}
_nested(Candidate, _NESTED)
