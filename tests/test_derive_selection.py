"""A selected derivation gives exactly the facts a plan reads: the same values (with their types), notes and
anchors as the full derivation, for every position class of rules/ and for every fact of the vocabulary asked
for alone, over the fixture dossiers, generated ones and random dates."""

from __future__ import annotations

import datetime as dt
import shutil
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))

from derive_reference import file_dossiers  # noqa: E402
from population_support import generator  # noqa: E402
from rules_support import RULES, raise_experience  # noqa: E402

from engine.compiler.layout import Layout, LayoutCache  # noqa: E402
from engine.decide import pipeline, stream  # noqa: E402
from engine.decide.decision import derivation_for, facts_read  # noqa: E402
from engine.errors import InputError  # noqa: E402
from engine.facts.derive import Facts, derive  # noqa: E402
from engine.facts.families import FAMILIES, members  # noqa: E402
from engine.facts.selection import EVERYTHING, selection  # noqa: E402
from engine.facts.vocabulary import VOCABULARY  # noqa: E402
from engine.load.candidate import Candidate  # noqa: E402
from engine.load.intake import load_candidates  # noqa: E402
from engine.load.library import content_hash, load_library  # noqa: E402
from engine.load.rulefile import Ruleset  # noqa: E402
from engine.tools.diff import DiffReport, diff_batches  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
FILES = dict(file_dossiers(ROOT))
GENERATED = [Candidate.model_validate(data) for _name, data in generator().generate(60, seed=12)]
DOSSIERS = [*FILES.values(), *GENERATED]  # hand-written, SIASN-imported and generated (committed and fresh)
# Every dossier but the committed population's 2,000 (the fresh generated ones stand for them), on fixed dates,
# with its full derivation made once.
SAMPLE = [c for name, c in FILES.items() if not name.startswith("fixtures/population/")] + GENERATED
DATES = (dt.date(2019, 6, 30), dt.date(2024, 2, 29), dt.date(2025, 5, 20), dt.date(2026, 12, 1))
FULL = {(i, day): derive(c, day) for i, c in enumerate(SAMPLE) for day in DATES}


def _layouts() -> dict[str, Layout]:
    library = load_library(ROOT / "rules")
    ids = sorted({p.id for versions in library.files.values() for _file, rf in versions for p in rf.positions})
    cache = LayoutCache()
    found: dict[str, Layout] = {}
    for day in DATES:
        for position_id in ids:
            try:
                ruleset: Ruleset = library.for_position(position_id, None, day)
            except InputError:
                continue  # not in force on that day
            position = next(p for p in ruleset.positions if p.id == position_id)
            found[f"{position_id}@{day}"] = cache.get(ruleset, content_hash(ruleset), position)
    return found


LAYOUTS = _layouts()
NAMES = sorted({*VOCABULARY, *(f for layout in LAYOUTS.values() for f in facts_read(layout))})
FAMILY_MEMBERS = sorted(
    f"{family}.{m}" if family not in ("rating_min_last", "worst_sanction_last") else f"{family}_{m}{unit}"
    for family in FAMILIES
    for m in members(family)
    for unit in ({"rating_min_last": "y", "worst_sanction_last": "m"}.get(family, ""),)
)


def _read(facts: Facts, names: Iterable[str]) -> dict[str, Any]:
    """What a reader of these names can see: value with its type and repr, note with its arguments, anchor."""
    seen: dict[str, Any] = {}
    for name in sorted(names):
        value = facts.values.get(name, "<absent>")
        seen[name] = (
            type(value).__name__,
            repr(value),
            facts.missing.get(name),
            facts.invalid.get(name),
            facts.anchors.get(name),
        )
    return seen


def test_every_position_class_is_covered_and_skips_work() -> None:
    assert {key.split("@")[0] for key in LAYOUTS} >= {"administrator", "pengawas", "jf-ahli-muda"}
    assert len({key.split("@")[0] for key in LAYOUTS}) >= 10
    for key, layout in LAYOUTS.items():
        chosen = derivation_for(layout)
        assert chosen is not None, key  # every fact a shipped plan reads is known to the selection
    administrator = derivation_for(LAYOUTS[f"administrator@{DATES[-1]}"])
    assert administrator is not None
    assert administrator.steps < EVERYTHING.steps and "rank_promotion" not in administrator.steps
    assert administrator.posts < EVERYTHING.posts and administrator.rating_years == 2


def test_every_fact_of_the_vocabulary_has_a_step() -> None:
    for name in [*VOCABULARY, *FAMILY_MEMBERS, "competency.T_ANALISIS_DATA"]:
        assert selection([name]) is not None, name
    assert selection(["no_such_fact"]) is None  # unknown: the caller derives everything


@settings(max_examples=300, deadline=None)
@given(
    candidate=st.sampled_from(DOSSIERS),
    plan=st.sampled_from(sorted(LAYOUTS)),
    as_of=st.one_of(st.sampled_from(DATES), st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2035, 12, 31))),
)
def test_a_plan_reads_the_same_facts_from_its_selection(candidate: Candidate, plan: str, as_of: dt.date) -> None:
    layout = LAYOUTS[plan]
    names = facts_read(layout)
    chosen = derivation_for(layout)
    assert _read(derive(candidate, as_of, chosen), names) == _read(derive(candidate, as_of), names)


@settings(max_examples=300, deadline=None)
@given(
    candidate=st.sampled_from(DOSSIERS),
    names=st.lists(st.sampled_from(sorted({*NAMES, *FAMILY_MEMBERS})), min_size=1, max_size=4),
    as_of=st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2035, 12, 31)),
)
def test_any_facts_asked_for_are_those_of_the_full_derivation(
    candidate: Candidate, names: list[str], as_of: dt.date
) -> None:
    assert _read(derive(candidate, as_of, selection(names)), names) == _read(derive(candidate, as_of), names)


@pytest.mark.parametrize("name", sorted({*NAMES, *FAMILY_MEMBERS}))
def test_each_fact_alone_on_every_dossier(name: str) -> None:
    chosen = selection([name])
    for (i, as_of), full in FULL.items():
        assert _read(derive(SAMPLE[i], as_of, chosen), [name]) == _read(full, [name]), (i, as_of)


@pytest.mark.parametrize("position", ["administrator", "pengawas", "jf-ahli-muda", "kenaikan-pangkat-reguler"])
def test_shortlist_rows_are_those_of_the_full_derivation(position: str, monkeypatch: pytest.MonkeyPatch) -> None:
    library = load_library(ROOT / "rules")
    as_of = DATES[-1]
    ruleset = library.for_position(position, None, as_of)
    files = sorted(str(p) for p in (ROOT / "fixtures" / "candidates").glob("*.yaml"))
    selected = stream.decide_batch(stream.Setup(ruleset, position, as_of, want="rows"), 0, files)
    monkeypatch.setattr(stream, "derivation_for", lambda layout: None)
    full = stream.decide_batch(stream.Setup(ruleset, position, as_of, want="rows"), 0, files)
    assert selected.problems == full.problems
    assert list(zip(selected.nips, selected.verdicts, selected.ranked, strict=True)) == list(
        zip(full.nips, full.verdicts, full.ranked, strict=True)
    )
    assert len(full.nips) >= 10


def test_a_diff_is_that_of_the_full_derivation(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    proposed = tmp_path / "proposed"
    shutil.copytree(RULES, proposed, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    managerial = proposed / "national" / "managerial.yaml"
    managerial.write_text(raise_experience(managerial.read_text()))
    base, changed = load_library(RULES), load_library(proposed)
    loaded, _problems = load_candidates([ROOT / "fixtures" / "candidates"])
    as_of = DATES[-1]

    def report() -> DiffReport:
        return diff_batches(base, changed, ["administrator", "pengawas"], [loaded[:20], loaded[20:]], as_of)

    selected = report()
    monkeypatch.setattr(pipeline, "derivation_for", lambda layout: None)
    full = report()
    assert selected == full
    assert selected.flips  # the change flips someone, so the flips' observed values are compared too
