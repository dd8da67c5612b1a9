"""Runs every ``*.cases.yaml`` beside the shipped rules: hand-computed expectations must hold."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.cases import LoadedCase, load_cases, run_case
from engine.rules import load_library

RULES = Path(__file__).parent.parent / "rules"
LIBRARY = load_library(RULES)
CASES = load_cases(RULES)


def test_there_are_cases() -> None:
    assert len(CASES) >= 10


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_rule_case(case: LoadedCase) -> None:
    result = run_case(LIBRARY, case)
    assert result.passed, "\n".join(result.differences)
