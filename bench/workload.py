"""The benchmark's untimed setup: ruleset, plan, layout, generated candidates, derived facts, encoded rows."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from gen import AS_OF, generate

from engine.compiler.layout import Layout, compile_layout
from engine.compiler.plan import Plan, compile_position, encode_row
from engine.decide.decision import Decision, decide
from engine.facts.derive import Facts, derive
from engine.load.candidate import Candidate
from engine.load.library import content_hash, load_library
from engine.load.rulefile import PositionClass

RULES = Path(__file__).resolve().parent / "rules"
POSITION = "administrator-bench"


@dataclass(frozen=True)
class Workload:
    """Everything the timed loops read; built once and shared by every backend."""

    position: PositionClass
    plan: Plan
    # Compiled once per position, as check.py does before deciding a batch.
    layout: Layout
    candidates: list[Candidate]
    facts: list[Facts]
    rows: list[dict[str, int]]

    def slice(self, start: int, stop: int) -> Workload:
        """The same setup for candidates ``start:stop`` only (warm-up, memory batches)."""
        return replace(
            self, candidates=self.candidates[start:stop], facts=self.facts[start:stop], rows=self.rows[start:stop]
        )

    def decisions(self, passed: list[frozenset[int]]) -> list[Decision]:
        """Full decisions from an engine's per-row passing checks: the part of a run after the engine."""
        layout = self.layout
        return [
            decide(layout, candidate, facts, ok)
            for candidate, facts, ok in zip(self.candidates, self.facts, passed, strict=True)
        ]


def build(n: int, seed: int) -> Workload:
    """Generate ``n`` candidates and prepare them up to encoded fact rows."""
    ruleset = load_library(RULES).resolve(None, AS_OF)
    position = ruleset.position(POSITION)
    if position is None:
        raise SystemExit(f"{RULES} has no position '{POSITION}'")
    digest = content_hash(ruleset)
    plan = compile_position(ruleset, position, digest)
    layout = compile_layout(ruleset, digest, position, plan)
    candidates = generate(n, seed)
    facts = [derive(candidate, AS_OF) for candidate in candidates]
    rows = [encode_row(plan, f) for f in facts]
    return Workload(position, plan, layout, candidates, facts, rows)
