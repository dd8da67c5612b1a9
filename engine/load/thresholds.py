"""Thresholds: a rule's written value parsed against its fact into native and encoded form, once per value."""

from __future__ import annotations

import difflib
import functools
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from engine.errors import EngineFault
from engine.facts.vocabulary import DECIMAL_PLACES, FactSpec, encode, lookup

MAX_IN_VALUES = 25  # durable-rules allows 32 expressions per rule; guards take some
ACTING_FAMILY = "months_in_post."
ACTING_INCLUDED = "months_in_post_incl_acting."
_MONTHS = re.compile(r"^(?:(\d+)y)?(?:(\d+)m)?$")
_COMPARISONS = {"gt", "gte", "lt", "lte"}


@dataclass(frozen=True)
class Threshold:
    """A check's threshold in its fact's native type (a list for in/not_in) and as the engines compare it."""

    native: Any
    encoded: int | tuple[int, ...]


def parse_threshold(spec: FactSpec, op: str, raw: Any) -> tuple[Any, str]:
    """The threshold in the fact's native type, or (None, a message saying what was expected)."""
    if op in ("in", "not_in"):
        if not isinstance(raw, list | tuple) or not raw:
            return None, f"'{op}' needs a non-empty list of values"
        if len(raw) > MAX_IN_VALUES:
            return None, f"'{op}' takes at most {MAX_IN_VALUES} values"
        parsed = [parse_threshold(spec, "eq", item) for item in raw]
        errors = [msg for _v, msg in parsed if msg]
        return ([v for v, _m in parsed], "") if not errors else (None, errors[0])
    if isinstance(raw, list | tuple):
        return None, f"'{op}' compares with one value, not a list"
    if op in _COMPARISONS and not spec.ordered:
        return None, f"fact '{spec.name}' has no order; use eq, ne, in or not_in"
    value, message = _scalar(spec, raw)
    if message:
        return None, message
    if spec.kind in ("int", "decimal", "months"):
        number = Decimal(value)
        if spec.minimum is not None and number < spec.minimum or spec.maximum is not None and number > spec.maximum:
            return None, f"{raw!r} is outside the range of '{spec.name}' ({spec.minimum}..{spec.maximum})"
    return value, ""


def _scalar(spec: FactSpec, raw: Any) -> tuple[Any, str]:
    kind = spec.kind
    if kind == "bool":
        return (raw, "") if isinstance(raw, bool) else (None, f"'{spec.name}' is true or false, got {raw!r}")
    if kind == "scale":
        scale = spec.scale_obj()
        if isinstance(raw, str) and raw in scale.ranks:
            return raw, ""
        close = difflib.get_close_matches(str(raw), scale.values, n=1)
        hint = f" (did you mean '{close[0]}'?)" if close else ""
        return None, f"{raw!r} is not a valid {scale.name} value; expected one of {', '.join(scale.values)}{hint}"
    if kind == "months":
        match = _MONTHS.match(raw) if isinstance(raw, str) and raw else None
        if not match:
            return None, f"'{spec.name}' is a duration written like 4y, 3y6m or 18m; got {raw!r}"
        return int(match.group(1) or 0) * 12 + int(match.group(2) or 0), ""
    if isinstance(raw, bool) or not isinstance(raw, int | float):
        return None, f"'{spec.name}' is a number, got {raw!r}"
    if kind == "int":
        return (raw, "") if isinstance(raw, int) else (None, f"'{spec.name}' is a whole number, got {raw!r}")
    try:
        number = Decimal(str(raw))
    except InvalidOperation:
        return None, f"{raw!r} is not a number"
    if not number.is_finite() or abs(number) >= 10**9:  # beyond any threshold; round() would fail
        return None, f"{raw!r} is not a usable threshold (finite, below 1,000,000,000)"
    if number != round(number, DECIMAL_PLACES):
        return None, f"{raw!r} has more than {DECIMAL_PLACES} decimal places"
    return number, ""


def spec_of(name: str) -> FactSpec:
    """The spec of a fact the loader accepted; an unknown name here is an engine fault."""
    spec = lookup(name)
    if spec is None:
        raise EngineFault(f"fact '{name}' is not in the vocabulary (the loader refuses unknown facts)")
    return spec


def frozen_value(raw: Any) -> Any:
    """A written value made hashable for the threshold memo; types are kept apart (True is not 1)."""
    if isinstance(raw, list | tuple):
        return tuple(frozen_value(item) for item in raw)
    return (type(raw).__name__, raw)


def _thawed(key: Any) -> Any:
    if isinstance(key, tuple) and key and isinstance(key[0], tuple):
        return [_thawed(item) for item in key]
    return key[1] if isinstance(key, tuple) and len(key) == 2 and isinstance(key[0], str) else list(key)


@functools.cache
def checked_threshold(spec: FactSpec, op: str, value: Any) -> Threshold | str:
    """The parsed threshold of a written value (as frozen_value gives it), or what was expected instead.
    Memoised: the loader checks every threshold through here, so each distinct (fact, op, value) is parsed
    once per process and every later use (compile, layout, lint, what-if, views) reads the result."""
    native, message = parse_threshold(spec, op, _thawed(value))
    if message:
        return message
    if isinstance(native, list):
        return Threshold(native, tuple(encode(spec, v) for v in native))
    return Threshold(native, encode(spec, native))


def threshold_of(fact: str, op: str, value: Any) -> Threshold:
    """The threshold of a check the loader accepted (``value`` as frozen_value gives it)."""
    found = checked_threshold(spec_of(fact), op, value)
    if isinstance(found, str):
        raise EngineFault(f"threshold {value!r} of '{fact}' was not checked at load: {found}")
    return found


@functools.cache
def acting_fact(fact: str) -> str:
    """The fact that counts acting (Plt/Plh) service too, for a months_in_post.<post> fact ('' otherwise)."""
    return ACTING_INCLUDED + fact[len(ACTING_FAMILY) :] if fact.startswith(ACTING_FAMILY) else ""
