"""The benchmark's untimed setup: ruleset, plan, generated candidates, derived facts, encoded rows."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from engine.candidate import Candidate
from engine.decide import Decision, decide
from engine.derive import Facts, derive
from engine.plan import Plan, compile_position, encode_row
from engine.rulefile import PositionClass, Ruleset
from engine.rules import content_hash, load_library
from gen import AS_OF, generate

RULES = Path(__file__).resolve().parent / "rules"
POSITION = "administrator-bench"


@dataclass(frozen=True)
class Workload:
    """Everything the timed loops read; built once and shared by every backend."""

    ruleset: Ruleset
    ruleset_hash: str
    position: PositionClass
    plan: Plan
    candidates: list[Candidate]
    facts: list[Facts]
    rows: list[dict[str, int]]

    def decisions(self, passed: list[frozenset[int]]) -> list[Decision]:
        """Full decisions from an engine's per-row passing checks: the part of a run after the engine."""
        ruleset, digest, position, plan = self.ruleset, self.ruleset_hash, self.position, self.plan
        return [decide(ruleset, digest, position, plan, candidate, facts, ok)
                for candidate, facts, ok in zip(self.candidates, self.facts, passed, strict=True)]


def build(n: int, seed: int) -> Workload:
    """Generate ``n`` candidates and prepare them up to encoded fact rows."""
    ruleset = load_library(RULES).resolve(None, AS_OF)
    position = ruleset.position(POSITION)
    if position is None:
        raise SystemExit(f"{RULES} has no position '{POSITION}'")
    digest = content_hash(ruleset)
    plan = compile_position(ruleset, position, digest)
    candidates = generate(n, seed)
    facts = [derive(candidate, AS_OF) for candidate in candidates]
    rows = [encode_row(plan, f) for f in facts]
    return Workload(ruleset, digest, position, plan, candidates, facts, rows)
