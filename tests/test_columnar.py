"""The columnar backend against the reference evaluator and durable-rules, and decisions made from a facts table.

Random plans and rows must give the same passing checks in all three evaluators; on every bundled fixture, the
decisions made from a facts table (columnar passing checks, one decide() per group of alike rows) must equal
the decisions `check` makes from the files on durable-rules, field by field.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import engine
from engine.compiler.plan import Plan, PlanCheck
from engine.decide.pipeline import check
from engine.decide.stream import candidate_files, read_candidate
from engine.errors import CrossCheckMismatch, InputError
from engine.evaluate import columnar, reference
from engine.evaluate.durable import DurableEvaluator
from engine.facts.derive import derive
from engine.facts.table import FactTable, build, facts_from_json, facts_json, open_table
from engine.load.intake import LoadedCandidate, load_candidates
from engine.load.library import Library, load_library
from engine.tools import facttable as ft

ROOT = Path(engine.__file__).resolve().parents[1]
FIXTURES = ROOT / "fixtures" / "candidates"
OPS = ("eq", "ne", "gt", "gte", "lt", "lte", "in", "not_in")
BIG = (2**40, -(2**40), 2**31, -(2**31) - 1, 2**53 + 1, 2**62)
SETTINGS = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)
values = st.one_of(st.integers(-4, 4), st.sampled_from(BIG), st.integers(-(2**40), 2**40))


@st.composite
def plans(draw: st.DrawFn) -> Plan:
    # up to 140 checks: more than two 63-bit mask columns
    n_facts = draw(st.integers(1, 12))
    checks = []
    for index in range(draw(st.integers(1, 140))):
        op = draw(st.sampled_from(OPS))
        value: int | tuple[int, ...] = (
            tuple(draw(st.lists(values, min_size=1, max_size=8))) if op in ("in", "not_in") else draw(values)
        )
        checks.append(PlanCheck(key=f"k{index}", fact=draw(st.integers(0, n_facts - 1)), op=op, value=value))
    return Plan(name="random", ruleset_hash="test", facts=tuple(f"x{i}" for i in range(n_facts)), checks=tuple(checks))


@st.composite
def rows(draw: st.DrawFn, n_facts: int) -> list[dict[str, int]]:
    """Rows in which each field is present with probability 0.8 (an absent field must never pass)."""
    return [
        {f"f{i}": draw(values) for i in range(n_facts) if draw(st.integers(0, 4)) > 0}
        for _ in range(draw(st.integers(0, 25)))
    ]


@SETTINGS
@given(plan=plans(), data=st.data())
def test_random_plans_agree_in_all_three_evaluators(plan: Plan, data: st.DataObject) -> None:
    rows_ = data.draw(rows(len(plan.facts)), label="rows")
    want = reference.evaluate(plan, rows_)
    assert columnar.evaluate(plan, rows_) == want
    with DurableEvaluator(plan) as evaluator:
        assert evaluator.evaluate(rows_) == want


def test_a_check_on_an_absent_fact_never_passes() -> None:
    # ne and not_in hold for every present value but 3; absent, they must still fail
    plan = Plan(
        name="absent",
        ruleset_hash="test",
        facts=("x",),
        checks=(PlanCheck(key="a", fact=0, op="ne", value=3), PlanCheck(key="b", fact=0, op="not_in", value=(3,))),
    )
    assert columnar.evaluate(plan, [{}, {"f0": 4}, {"f0": 3}]) == [frozenset(), frozenset({0, 1}), frozenset()]


# ---------------------------------------------------------------- decisions from a facts table

AS_OF = (dt.date(2023, 6, 1), dt.date(2026, 12, 1))


@pytest.fixture(scope="module")
def library() -> Library:
    return load_library(ROOT / "rules")


@pytest.fixture(scope="module")
def dossiers(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixtures, the SIASN imports (histories the source does not hold: facts ``not_recorded``), and two
    files whose facts are invalid (born after the date; a competency level finer than hundredths)."""
    folder = tmp_path_factory.mktemp("dossiers")
    shutil.copytree(FIXTURES, folder / "candidates")
    shutil.copytree(ROOT / "fixtures" / "siasn" / "expected", folder / "siasn")
    text = (FIXTURES / "siti-rahma.yaml").read_text()
    nip = text.split("nip: ", 1)[1].split("\n", 1)[0].strip().strip("'\"")
    born = text.replace(nip, nip[:-1] + str((int(nip[-1]) + 1) % 10))
    (folder / "born-later.yaml").write_text(born.replace("birth_date: 1982-03-15", "birth_date: 2031-01-01"))
    fine = text.replace(nip, nip[:-1] + str((int(nip[-1]) + 2) % 10))
    (folder / "too-precise.yaml").write_text(fine.replace("{code: M01, attained: 3,", "{code: M01, attained: 3.125,"))
    return folder


@pytest.fixture(scope="module")
def candidates(dossiers: Path) -> list[LoadedCandidate]:
    loaded, problems = load_candidates([dossiers])
    assert len(loaded) > 60 and not problems, problems
    return loaded


@pytest.fixture(scope="module")
def tables(tmp_path_factory: pytest.TempPathFactory, dossiers: Path) -> dict[dt.date, FactTable]:
    folder = tmp_path_factory.mktemp("tables")
    out = {}
    for as_of in AS_OF:
        path = folder / f"{as_of}.parquet"
        build(candidate_files([dossiers]), as_of, path, read_candidate)
        out[as_of] = open_table(path, as_of)
        unknown = pl.read_parquet(path, columns=["unknown"])["unknown"].to_list()
        assert any("i:age_years" in u for u in unknown)
        assert as_of < AS_OF[-1] or any("i:competency.M01" in u for u in unknown)
        assert sum("n:" in u for u in unknown) >= 10
    return out


def test_stored_facts_read_back_equal(candidates: list[LoadedCandidate]) -> None:
    for loaded in candidates:
        facts = derive(loaded.candidate, AS_OF[1])
        again = facts_from_json(facts_json(facts), AS_OF[1])
        assert again == facts and again.anchors == facts.anchors, loaded.file


def test_the_columnar_backend_reaches_identical_decisions(library: Library, candidates: list[LoadedCandidate]) -> None:
    for as_of in AS_OF:
        for ruleset in library.in_force_bases(as_of):
            for position in ruleset.positions:
                durable = check(library, position.id, candidates, as_of, ruleset.id, backend="durable")
                frame = check(library, position.id, candidates, as_of, ruleset.id, backend="columnar")
                assert [d.model_dump() for d in frame.decisions] == [d.model_dump() for d in durable.decisions]


def test_decisions_from_a_facts_table_equal_decisions_from_the_files(
    library: Library, candidates: list[LoadedCandidate], tables: dict[dt.date, FactTable]
) -> None:
    compared, verdicts = 0, set()
    for as_of, table in tables.items():
        for ruleset in library.in_force_bases(as_of):
            for position in ruleset.positions:
                run = check(library, position.id, candidates, as_of, ruleset.id, backend="durable")
                layout = ft.compile_for(ruleset, position.id)
                pop = ft.population(table, [layout])
                decided = ft.decide_population(pop, layout)
                rows = [r for r, v in enumerate(decided.verdicts) if v is not None]
                by_file = {d.candidate.file: d for d in run.decisions}
                assert len(rows) == len(by_file) and decided.problems == run.problems
                for row, made in zip(rows, ft.decisions(pop, decided, rows), strict=True):
                    want = by_file[pop.frame["file"][row]]
                    assert decided.verdicts[row] == want.verdict
                    assert columnar.statuses_of(decided.statuses[row]) == want.statuses
                    assert made.model_dump() == want.model_dump()
                    verdicts.add(want.verdict)
                assert ft.cross_check(pop, decided, rows) == len(rows)
                compared += len(rows)
    assert compared > 200 and verdicts == {"eligible", "needs_review", "not_eligible"}


def test_a_difference_with_durable_stops_the_run(
    library: Library, tables: dict[dt.date, FactTable], monkeypatch: pytest.MonkeyPatch
) -> None:
    table = tables[AS_OF[1]]
    ruleset = library.for_position("administrator", None, table.as_of)
    layout = ft.compile_for(ruleset, "administrator")
    pop = ft.population(table, [layout])
    decided = ft.decide_population(pop, layout)
    monkeypatch.setattr(ft.Decided, "passed", lambda self, row: frozenset())  # a columnar backend gone wrong
    with pytest.raises(CrossCheckMismatch, match="durable-rules decided"):
        ft.cross_check(pop, decided, ft.sample(pop.frame.height, 10, seed=7))


def test_the_sample_is_seeded_and_sized() -> None:
    assert ft.sample(1000, 1, seed=5) == ft.sample(1000, 1, seed=5)
    assert len(ft.sample(1000, 1, seed=5)) == 10 and len(ft.sample(10, 1, seed=5)) == 1
    assert ft.sample(1000, 0, seed=5) == [] and ft.sample(0, 50, seed=5) == []
    assert ft.sample(7, 100, seed=1) == list(range(7))


# ---------------------------------------------------------------- a stale table is refused


def _refused(call: object, *args: object, **kwargs: object) -> str:
    with pytest.raises(InputError) as error:
        call(*args, **kwargs)  # type: ignore[operator]
    [problem] = error.value.problems
    assert problem.code == "stale_facts" or problem.code == "not_found", problem
    return str(problem)


def test_a_table_for_another_date_is_refused(tables: dict[dt.date, FactTable]) -> None:
    table = tables[AS_OF[0]]
    message = _refused(open_table, table.path, AS_OF[1])
    assert str(AS_OF[0]) in message and str(AS_OF[1]) in message


def test_a_changed_dossier_is_named(tmp_path: Path) -> None:
    folder = tmp_path / "dossiers"
    folder.mkdir()
    for name in ("dewi-lestari.yaml", "siti-rahma.yaml"):
        (folder / name).write_text((FIXTURES / name).read_text())
    path = tmp_path / "t.parquet"
    build(candidate_files([folder]), AS_OF[1], path, read_candidate)
    table = open_table(path, AS_OF[1])
    from engine.decide.inputs import digests
    from engine.facts.table import check_dossiers

    check_dossiers(table, digests([folder]))  # unchanged: accepted
    target = folder / "siti-rahma.yaml"
    target.write_text(target.read_text() + "\n# edited\n")
    message = _refused(check_dossiers, table, digests([folder]))
    assert "changed 1" in message and "siti-rahma.yaml" in message and "dewi" not in message


def test_an_altered_or_foreign_table_is_refused(tmp_path: Path, tables: dict[dt.date, FactTable]) -> None:
    table = tables[AS_OF[1]]
    altered = tmp_path / "altered.parquet"
    frame = pl.read_parquet(table.path)
    first = pl.col("nip") == frame["nip"][0]
    frame = frame.with_columns(pl.when(first).then(pl.lit("0" * 64)).otherwise("dossier").alias("dossier"))
    frame.write_parquet(altered, metadata=pl.read_parquet_metadata(table.path))
    assert "altered" in _refused(open_table, altered, AS_OF[1])
    foreign = tmp_path / "foreign.parquet"
    pl.DataFrame({"a": [1]}).write_parquet(foreign)
    assert "not a layak facts table" in _refused(open_table, foreign)
    garbage = tmp_path / "garbage.parquet"
    garbage.write_text("not parquet")
    assert "cannot read" in _refused(open_table, garbage)
    assert "cannot read" in _refused(open_table, tmp_path / "missing.parquet")
