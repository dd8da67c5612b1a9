"""Golden compiled plans of the shipped rules: a rule edit shows its compiled effect in review.

Each file under tests/golden/plans/<ruleset>/<position>.json is the plan of one position class as in force on
GOLDEN_DATE: per engine comparison its key, fact, operator, threshold (written, native, encoded) and basis.
After an intended rule change, regenerate with ``LAYAK_UPDATE_GOLDEN=1 pytest tests/test_golden_plans.py`` and
commit the files with the rule change, so the diff shows what the engines will compare.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path
from typing import Any

import pytest

from engine.compiler.plan import describe
from engine.load.library import load_library

RULES = Path(__file__).parent.parent / "rules"
GOLDEN = Path(__file__).parent / "golden" / "plans"
GOLDEN_DATE = dt.date(2026, 1, 1)
UPDATE = os.environ.get("LAYAK_UPDATE_GOLDEN") == "1"


def _expected() -> dict[Path, str]:
    library = load_library(RULES)
    out: dict[Path, str] = {}
    for ruleset_id in library.ids():
        ruleset = library.resolve(ruleset_id, GOLDEN_DATE)
        for position in ruleset.positions:
            out[GOLDEN / ruleset_id / f"{position.id}.json"] = _text(describe(ruleset, position))
    return out


def _text(plan: dict[str, Any]) -> str:
    """JSON with one comparison per line, so that a rule edit is a one-line diff."""

    def one(value: object) -> str:
        return json.dumps(value, ensure_ascii=False)

    checks = ",\n".join(f"    {one(c)}" for c in plan["checks"])
    return (
        f'{{\n  "as_of": {one(GOLDEN_DATE.isoformat())},\n  "ruleset": {one(plan["ruleset"])},\n'
        f'  "position": {one(plan["position"])},\n  "facts": {one(plan["facts"])},\n'
        f'  "checks": [\n{checks}\n  ]\n}}\n'
    )


def test_compiled_plans_match_the_golden_files() -> None:
    expected = _expected()
    present = set(GOLDEN.rglob("*.json"))
    if UPDATE:
        for stale in present - set(expected):
            stale.unlink()
        for path, text in expected.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        pytest.skip("golden plans regenerated")
    hint = "if the rule change is intended: LAYAK_UPDATE_GOLDEN=1 pytest tests/test_golden_plans.py"
    assert sorted(map(str, present - set(expected))) == [], f"stale golden plans; {hint}"
    assert sorted(map(str, set(expected) - present)) == [], f"missing golden plans; {hint}"
    for path, text in expected.items():
        assert path.read_text(encoding="utf-8") == text, f"{path} differs from the compiled plan; {hint}"


def test_a_golden_plan_reads_as_the_rule_says() -> None:
    # KP reguler on 2026-01-01: 4 years in rank = 48 months; from 2025-10-01 every month is a KP period month
    # (Peraturan BKN 4/2025); the S2 exemption compares education ranks.
    plan = json.loads((GOLDEN / "kenaikan-pangkat" / "kenaikan-pangkat-reguler.json").read_text())
    checks = {c["key"]: c for c in plan["checks"]}
    assert checks["time-in-rank"]["threshold"] == {"written": "4y", "native": 48, "encoded": 48}
    assert checks["time-in-rank"]["basis"] == "PP 99/2000 Pasal 7"
    assert checks["kp-period-month"]["threshold"]["native"] == list(range(1, 13))
    assert checks["kp-period-month"]["basis"] == "Peraturan BKN 4/2025"
    # a nested check without its own basis cites the group holding it
    assert checks["kp-period-day"]["basis"] == (
        "Peraturan BKN 4/2023 Pasal 2 (to 2025-09-30); Peraturan BKN 4/2025 (from 2025-10-01)"
    )
    assert checks["ujian-dinas-ii-exempt"]["threshold"]["written"] == "S2"
    assert [c["key"] for c in plan["checks"] if c["key"].endswith("~acting")] == []
