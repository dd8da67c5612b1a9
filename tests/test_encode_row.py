"""encode_row's per-plan encoders give what ``encode`` (the definition) gives, for every fact and kind of value.

The encoders are bound to each fact's kind once per plan and remember decimal and flag codes by value; values
equal to one another (1, 1.0, True, Decimal("1.00")) must share a code, values that differ must not.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

from engine.compiler.layout import LayoutCache
from engine.compiler.plan import encode_row, encoder
from engine.facts.derive import derive
from engine.facts.vocabulary import VOCABULARY, FactSpec, encode, lookup
from engine.load.intake import load_candidates
from engine.load.library import content_hash, load_library

ROOT = Path(__file__).parent.parent
AS_OF = dt.date(2026, 12, 1)
NUMBERS: list[Any] = [
    0,
    Decimal("0.00"),
    Decimal("-0"),
    0.0,
    False,
    1,
    True,
    1.0,
    Decimal("1.00"),
    Decimal("87.525"),
    Decimal("87.52"),
    79.99,
    Decimal("79.99"),
    Decimal("200"),
    5,
    Decimal("5.7"),
    5.7,
    36,
    720,
]


def samples(spec: FactSpec) -> list[Any]:
    if spec.kind == "scale":
        return list(spec.scale_obj().values)
    return NUMBERS


def fact_names() -> set[str]:
    """Every fixed fact and every fact the fixtures derive (family members such as competency.M01 among them)."""
    loaded, _problems = load_candidates([ROOT / "fixtures" / "candidates"])
    return set(VOCABULARY) | {name for item in loaded for name in derive(item.candidate, AS_OF).values}


def test_each_encoder_agrees_with_encode_on_every_fact() -> None:
    checked = set()
    for name in sorted(fact_names()):
        spec = lookup(name)
        assert spec is not None
        code = encoder(spec)
        values = samples(spec)
        for _twice in range(2):  # the second round reads the remembered codes, in another order
            for value in values:
                assert code(value) == encode(spec, value), (name, value)
                assert type(code(value)) is int
            values = values[::-1]
        checked.add(spec.kind)
    assert checked == {"int", "months", "decimal", "bool", "scale"}


def test_rows_of_the_fixtures_are_the_facts_encoded_one_by_one() -> None:
    library = load_library(ROOT / "rules")
    loaded, _problems = load_candidates([ROOT / "fixtures" / "candidates"])
    for position in ("administrator", "jf-ahli-muda", "kenaikan-pangkat-reguler"):
        ruleset = library.for_position(position, None, AS_OF)
        plan = LayoutCache().get(ruleset, content_hash(ruleset), position).plan
        for item in loaded:
            facts = derive(item.candidate, AS_OF)
            expected = {
                f"f{i}": encode(spec, facts.values[name])
                for i, name in enumerate(plan.facts)
                if name in facts.values and (spec := lookup(name)) is not None
            }
            row = encode_row(plan, facts)
            assert row == expected and list(row) == list(expected)
