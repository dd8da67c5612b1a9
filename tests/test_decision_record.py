"""A decision stands alone: it holds its layout, serialises only as DecisionRecord, and comes back from one."""

from __future__ import annotations

import ast
import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from cli_runner import run
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.audit.canonical import canonical
from engine.compiler.layout import Layout, LayoutCache, compile_layout
from engine.compiler.plan import compile_position
from engine.decide.pipeline import check, check_with
from engine.decide.record import DecisionRecord
from engine.errors import EngineFault, InputError
from engine.load.intake import load_candidates
from engine.load.library import content_hash, load_library

ROOT = Path(__file__).parent.parent
FIXTURES = ROOT / "fixtures" / "candidates"
AS_OF = dt.date(2026, 12, 1)
POSITIONS = ("administrator", "pengawas", "jpt-pratama", "jf-ahli-muda", "pelaksana")


def test_no_module_level_registry_of_layouts() -> None:
    found = []
    for path in (ROOT / "engine").rglob("*.py"):
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.AnnAssign | ast.Assign):
                text = ast.unparse(node)
                if "Layout" in text or "REGISTRY" in text.upper():
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno}: {text[:80]}")
    assert found == []


def test_decision_holds_its_own_layout_and_never_serialises_it() -> None:
    library = load_library(ROOT / "rules")
    candidates, _problems = load_candidates([FIXTURES / "siti-rahma.yaml"])
    first = check(library, "administrator", candidates, AS_OF, backend="reference").decisions[0]
    # Deciding again compiles another layout for the same ruleset and position; the first decision keeps its own.
    second = check(library, "administrator", candidates, AS_OF, backend="reference").decisions[0]
    assert first.layout is not second.layout and first.layout.ruleset_hash == second.layout.ruleset_hash
    assert first.requirements == second.requirements and first == second
    assert "layout" not in first.model_dump() and "layout" not in repr(first)


def test_layout_cache_compiles_once_per_ruleset_and_position() -> None:
    library = load_library(ROOT / "rules")
    ruleset = library.for_position("administrator", None, AS_OF)
    digest = content_hash(ruleset)
    cache = LayoutCache(capacity=2)
    admin = cache.get(ruleset, digest, "administrator")
    assert cache.get(ruleset, digest, "administrator") is admin and len(cache) == 1
    pengawas = cache.get(ruleset, digest, "pengawas")
    assert pengawas is not admin and pengawas.position.id == "pengawas"
    cache.get(ruleset, digest, "administrator")  # used last: pelaksana evicts pengawas, not administrator
    cache.get(ruleset, digest, "pelaksana")
    assert (digest, "administrator") in cache and (digest, "pengawas") not in cache and len(cache) == 2
    candidates, _p = load_candidates([FIXTURES / "siti-rahma.yaml"])
    run = check_with(ruleset, "administrator", candidates, AS_OF, backend="reference", layouts=cache)
    assert run.decisions[0].layout is admin  # a replay batch reuses the layout compiled before
    with pytest.raises(EngineFault, match="no position class 'nosuch'"):
        cache.get(ruleset, digest, "nosuch")


def test_broken_invariants_are_engine_faults() -> None:
    library = load_library(ROOT / "rules")
    ruleset = library.for_position("administrator", None, AS_OF)
    digest = content_hash(ruleset)
    admin, pengawas = ruleset.position("administrator"), ruleset.position("pengawas")
    assert admin is not None and pengawas is not None
    with pytest.raises(EngineFault, match="has no check in the compiled plan"):
        compile_layout(ruleset, digest, admin, compile_position(ruleset, pengawas, digest))
    layout = LayoutCache().get(ruleset, digest, admin)
    with pytest.raises(EngineFault, match="statuses for the"):
        layout.outcomes(("pass",), (None,), (None,))


def _decisions() -> list[tuple[DecisionRecord, Layout]]:
    library = load_library(ROOT / "rules")
    candidates, _problems = load_candidates([FIXTURES])
    return [
        (DecisionRecord.of(d), d.layout)
        for position in POSITIONS
        for d in check(library, position, candidates, AS_OF, backend="reference").decisions
    ]


def test_records_turn_back_into_the_decisions_they_were_made_from() -> None:
    made = _decisions()
    assert len(made) == 5 * 48  # 48 bundled candidate files (six added for the round-2 rule pack)
    verdicts = set()
    for record, layout in made:
        text = json.dumps(record.model_dump(mode="json"))
        again = DecisionRecord.model_validate_json(text)  # as a reader of the JSON gets it
        assert again == record and canonical(again.model_dump(mode="json")) == canonical(json.loads(text))
        decision = again.decision(layout)
        assert DecisionRecord.of(decision) == record and decision.requirements == again.outcomes(layout)
        verdicts.add(record.verdict)
        # "children" only on groups, as record version 1 writes it
        for _path, item in record.flat():
            assert ("children" in item.model_dump()) == bool(item.children)
    assert verdicts == {"eligible", "needs_review", "not_eligible"}


def test_a_record_shown_with_another_positions_layout_is_refused() -> None:
    library = load_library(ROOT / "rules")
    candidates, _p = load_candidates([FIXTURES / "siti-rahma.yaml"])
    record = DecisionRecord.of(check(library, "administrator", candidates, AS_OF, backend="reference").decisions[0])
    other = check(library, "pengawas", candidates, AS_OF, backend="reference").decisions[0].layout
    with pytest.raises(InputError) as raised:
        record.outcomes(other)
    assert raised.value.problems[0].code == "record_mismatch"


@pytest.mark.parametrize("lang", ["en", "id"])
def test_audit_show_prints_what_explain_prints(tmp_path: Path, lang: str) -> None:
    db = str(tmp_path / "audit.db")
    people = [FIXTURES / "sri-wahyuni.yaml", FIXTURES / "indra-kurniawan.yaml", FIXTURES / "rudi-hartono.yaml"]
    code, out, err = run(
        "check",
        *map(str, people),
        "--position",
        "administrator",
        "--as-of",
        AS_OF.isoformat(),
        "--db",
        db,
        "--format",
        "json",
    )
    assert code == 0, err
    for entry in json.loads(out)["decisions"]:
        path = entry["decision"]["candidate"]["file"]
        args = ("--as-of", AS_OF.isoformat(), "--lang", lang, "--horizon", "1")  # a short what-if scan
        for fmt in ("csv", "markdown", "table"):
            _c, shown, _e = run("audit", "show", f"#{entry['seq']}", "--db", db, "--format", fmt, "--lang", lang)
            _c, explained, _e = run("explain", path, "--position", "administrator", *args, "--format", fmt)
            # who, verdict, date and rules, then every requirement: the same blocks; then each adds its own
            # (audit show: where and by whom it was recorded; explain: the what-if section)
            blocks = [[b.strip() for b in text.split("\n\n")][:2] for text in (shown, explained)]
            assert shown.strip() and blocks[0] == blocks[1]


_SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(-(2**53) + 1, 2**53 - 1)
    | st.text(max_size=12)
    | st.floats(allow_nan=False, allow_infinity=False)
)
_NOTES = st.none() | st.builds(
    lambda code, args: {"code": code, "args": args},
    st.text(min_size=1, max_size=8),
    st.dictionaries(st.text(max_size=6), st.text(max_size=6), max_size=3),
)


def _requirement(children: st.SearchStrategy[list[dict[str, Any]]]) -> st.SearchStrategy[dict[str, Any]]:
    def build(ident: str, status: str, observed: Any, note: Any, kids: list[dict[str, Any]]) -> dict[str, Any]:
        item = {"id": ident, "status": status, "observed": observed, "note": note}
        return {**item, "children": kids} if kids else item  # version 1: "children" on groups only

    return st.builds(
        build,
        st.text(min_size=1, max_size=10),
        st.sampled_from(["pass", "fail", "missing", "invalid", "waived"]),
        _SCALARS,
        _NOTES,
        children,
    )


_REQUIREMENTS: st.SearchStrategy[list[dict[str, Any]]] = st.recursive(
    st.just([]), lambda inner: st.lists(_requirement(inner), max_size=3), max_leaves=8
)


@given(
    requirements=_REQUIREMENTS.filter(bool),
    values=st.dictionaries(st.text(min_size=1, max_size=10), _SCALARS, max_size=6),
    jpm=st.none()
    | st.builds(
        lambda v, c: {"scheme": "SELEKSI", "value": v, "capped": c, "category": "MEMENUHI_SYARAT", "basis": "b"},
        _SCALARS,
        st.booleans(),
    ),
    name=st.text(max_size=20),
)
@settings(max_examples=200, deadline=None)
def test_any_version_1_decision_reads_and_writes_back_byte_for_byte(
    requirements: list[dict[str, Any]], values: dict[str, Any], jpm: dict[str, Any] | None, name: str
) -> None:
    recorded = {
        "as_of": "2026-12-01",
        "candidate": {"file": "a.yaml", "name": name, "nip": "198203152006042001"},
        "facts": {"as_of": "2026-12-01", "values": values, "missing": {}, "invalid": {}},
        "jpm": jpm,
        "position": "administrator",
        "requirements": requirements,
        "verdict": "needs_review",
        "ruleset": {"id": "national", "version": "2020.1", "hash": "0" * 64, "layers": ["national@2020.1"]},
    }
    record = DecisionRecord.model_validate(recorded)
    assert canonical(record.model_dump(mode="json")) == canonical(recorded)
    assert DecisionRecord.model_validate_json(json.dumps(recorded)) == record
