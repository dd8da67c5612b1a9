"""The typed rule form: nested conditions refuse top-level keys, errors inside groups are located, thresholds
are parsed once, dated values and extended position classes resolve by date, and what is hashed is unchanged."""

from __future__ import annotations

import datetime as dt
import textwrap
from pathlib import Path

import orjson
import pytest
from cli_runner import run
from ruamel.yaml import YAML

from engine.compiler.plan import compile_position
from engine.errors import InputError
from engine.facts.vocabulary import lookup
from engine.load.library import content_hash, load_library, read_rule_file, scan
from engine.load.rulefile import Check, Ruleset, TopCheck, walk
from engine.load.thresholds import checked_threshold
from engine.tools.boundaries import generate
from engine.tools.cases import load_cases

RULES = Path(__file__).parent.parent / "rules"
CANDIDATE = Path(__file__).parent.parent / "fixtures" / "candidates" / "slamet-riyadi.yaml"

HEADER = """\
ruleset:
  id: {id}
  version: "1"
  title: {{en: Test rules, id: Aturan uji}}
  effective_from: 2024-01-01
  basis: [PP 11/2017]
{extra}positions:
"""


def rules(folder: Path, body: str, *, ruleset_id: str = "test", extra: str = "", name: str = "r.yaml") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(HEADER.format(id=ruleset_id, extra=extra) + textwrap.dedent(body))
    return path


def line_of(path: Path, text: str, nth: int = 1) -> int:
    """The 1-based line of the nth line of ``path`` that contains ``text``."""
    found = [i for i, line in enumerate(path.read_text().splitlines(), 1) if text in line]
    return found[nth - 1]


# A group whose second alternative carries `mandatory: false`.
NESTED_OPTIONAL = """\
  - id: kenaikan-pangkat-reguler
    title: {en: KP, id: KP}
    basis: PP 99/2000
    requirements:
      - id: status
        basis: PP 99/2000
        text: {en: Status, id: Status}
        any_of:
          - id: is-pns
            fact: employee_status
            op: eq
            value: PNS
            text: {en: PNS, id: PNS}
          - id: is-pppk
            fact: employee_status
            op: eq
            value: PPPK
            text: {en: PPPK, id: PPPK}
            mandatory: false
"""


def test_nested_mandatory_is_refused_with_its_location(tmp_path: Path) -> None:
    path = rules(tmp_path, NESTED_OPTIONAL)
    _rf, problems = read_rule_file(path)
    assert [(p.code, p.line, p.path) for p in problems] == [
        ("rule_invalid", line_of(path, "mandatory: false"), "positions[0].requirements[0].any_of[1].mandatory")
    ]
    assert "only to top-level requirements" in problems[0].message
    assert "top-level requirement" in problems[0].hint


@pytest.mark.parametrize("command", ["validate", "check"])
def test_validate_and_check_refuse_a_nested_mandatory(tmp_path: Path, command: str) -> None:
    line = line_of(rules(tmp_path / "rules", NESTED_OPTIONAL), "mandatory: false")
    args = (
        ["validate", str(tmp_path / "rules"), "--format", "json"]
        if command == "validate"
        else [
            "check",
            str(CANDIDATE),
            "--rules",
            str(tmp_path / "rules"),
            "--position",
            "kenaikan-pangkat-reguler",
            "--as-of",
            "2025-11-01",
        ]
    )
    code, out, err = run(*args)
    assert code != 0
    shown = out + err
    assert f"r.yaml:{line}" in shown
    assert "positions[0].requirements[0].any_of[1].mandatory" in shown
    assert "only to top-level requirements" in shown


def test_nested_waivable_by_is_refused_and_top_level_keeps_it(tmp_path: Path) -> None:
    body = NESTED_OPTIONAL.replace("            mandatory: false\n", "            waivable_by: [PPK]\n")
    path = rules(tmp_path, body)
    _rf, problems = read_rule_file(path)
    assert [(p.line, p.path) for p in problems] == [
        (line_of(path, "waivable_by"), "positions[0].requirements[0].any_of[1].waivable_by")
    ]
    top = NESTED_OPTIONAL.replace("            mandatory: false\n", "").replace(
        "        basis: PP 99/2000\n        text: {en: Status",
        "        basis: PP 99/2000\n        mandatory: false\n        waivable_by: [PPK]\n        text: {en: Status",
    )
    rule_file, problems = read_rule_file(rules(tmp_path, top, name="top.yaml"))
    assert problems == [] and rule_file is not None
    requirement = rule_file.positions[0].requirements[0]
    assert (requirement.mandatory, requirement.waivable_by) == (False, ("PPK",))


def test_an_error_inside_a_group_points_at_the_child_and_nothing_else(tmp_path: Path) -> None:
    # The misspelt value of the first alternative; pydantic's "Tuple should have at least 2 items after
    # validation" on the enclosing group is a consequence and must not show.
    body = NESTED_OPTIONAL.replace("value: PNS", "value: PNX").replace("            mandatory: false\n", "")
    body = body.replace("            op: eq\n            value: PNX\n", "            op: eq\n            valeu: PNX\n")
    path = rules(tmp_path, body)
    _rf, problems = read_rule_file(path)
    assert [(p.line, p.path, p.message) for p in problems] == [
        (line_of(path, "- id: is-pns"), "positions[0].requirements[0].any_of[0].value", "this field is required"),
        (line_of(path, "valeu: PNX"), "positions[0].requirements[0].any_of[0].valeu", "unknown field"),
    ]


def test_a_group_of_one_says_so_plainly(tmp_path: Path) -> None:
    body = NESTED_OPTIONAL[: NESTED_OPTIONAL.index("          - id: is-pppk")]
    path = rules(tmp_path, body)
    _rf, problems = read_rule_file(path)
    assert [(p.line, p.path) for p in problems] == [(line_of(path, "any_of:"), "positions[0].requirements[0].any_of")]
    assert problems[0].message == "'any_of' needs at least 2 conditions, got 1"
    assert "Tuple" not in problems[0].message and problems[0].hint


def test_a_broken_base_does_not_make_its_overlay_unknown(tmp_path: Path) -> None:
    base = NESTED_OPTIONAL.replace("            mandatory: false\n", "").replace("value: PPPK", "value: PPPX")
    rules(tmp_path, base, ruleset_id="base", name="base.yaml")
    rules(
        tmp_path,
        "  - {id: extra, title: {en: E, id: E}, basis: X}\n",
        ruleset_id="overlay",
        extra="  extends: base\n",
        name="overlay.yaml",
    )
    problems = scan(tmp_path).problems
    assert [(Path(p.file).name, p.code) for p in problems] == [("base.yaml", "bad_threshold")]


DATED = """\
  - id: kenaikan-pangkat-reguler
    title: {en: KP, id: KP}
    basis: PP 99/2000
    requirements:
      - id: time-in-rank
        fact: months_in_rank
        op: gte
        basis: PP 99/2000 Pasal 7
        text: {en: Time in rank, id: Masa pangkat}
        value:
          - {from: 2024-01-01, value: 4y}
          - {from: 2025-10-01, value: 3y, basis: Peraturan 2025, text: {en: Three years, id: Tiga tahun}}
"""


def test_dated_values_resolve_to_the_value_in_force_and_name_it_in_the_hash(tmp_path: Path) -> None:
    library = load_library(rules(tmp_path, DATED).parent)
    before = library.resolve("test", dt.date(2025, 9, 30))
    after = library.resolve("test", dt.date(2025, 10, 1))
    old, new = (r.positions[0].requirements[0] for r in (before, after))
    assert isinstance(old, Check) and isinstance(new, Check)
    assert (old.value, old.threshold, old.basis, old.text.en) == ("4y", 48, "PP 99/2000 Pasal 7", "Time in rank")
    assert (new.value, new.threshold, new.basis, new.text.en) == ("3y", 36, "Peraturan 2025", "Three years")
    assert content_hash(before) != content_hash(after)
    assert content_hash(before) == content_hash(library.resolve("test", dt.date(2024, 1, 1)))
    # the resolved ruleset is plain: what is stored for replay reads back to the same hash
    stored = orjson.loads(orjson.dumps(after.model_dump(mode="json")))
    assert content_hash(Ruleset.model_validate(stored)) == content_hash(after)
    assert dt.date(2025, 10, 1) in library.boundaries()


@pytest.mark.parametrize(
    ("entries", "entry", "words"),
    [
        ("- {from: 2025-10-01, value: 3y}\n- {from: 2024-01-01, value: 4y}", 2, "date order"),
        ("- {from: 2024-01-01, to: 2025-10-01, value: 4y}\n- {from: 2025-10-01, value: 3y}", 2, "overlap"),
        ("- {from: 2024-01-01, to: 2025-09-01, value: 4y}\n- {from: 2025-10-01, value: 3y}", 2, "no value is in force"),
        ("- {from: 2024-02-01, value: 4y}\n- {from: 2025-10-01, value: 3y}", 1, "after the ruleset takes effect"),
        ("- {from: 2024-01-01, value: 4y}\n- {from: 2025-10-01, value: 3years}", 2, "duration"),
    ],
)
def test_dated_values_are_validated(tmp_path: Path, entries: str, entry: int, words: str) -> None:
    written = DATED[: DATED.index("          - {from: 2024")] + textwrap.indent(entries, " " * 10) + "\n"
    path = rules(tmp_path, written)
    _rf, problems = read_rule_file(path)
    found = [p for p in problems if words in p.message]
    assert len(found) == 1, problems
    assert found[0].line == line_of(path, "- {from: ", entry)
    assert found[0].path.startswith(f"positions[0].requirements[0].value[{entry - 1}]")


EXTENDS = """\
  - id: base
    title: {en: Base, id: Dasar}
    basis: PP 11/2017
    requirements:
      - {id: status, fact: employee_status, op: eq, value: PNS, basis: PP 11/2017, text: {en: PNS, id: PNS}}
      - {id: education, fact: education, op: gte, value: D3, basis: PP 11/2017, text: {en: D3, id: D3}}
      - {id: age, fact: age_years, op: lte, value: 56, basis: PP 11/2017, text: {en: Age, id: Usia}}
  - id: special
    title: {en: Special, id: Khusus}
    basis: Local decree
    extends: base
    remove: [age]
    requirements:
      - {id: education, fact: education, op: gte, value: S1, basis: Local decree, text: {en: S1, id: S1}}
      - {id: rank, fact: golongan, op: gte, value: III/b, basis: Local decree, text: {en: III/b, id: III/b}}
"""


def test_a_class_extends_another_replacing_adding_and_removing_by_id(tmp_path: Path) -> None:
    ruleset = load_library(rules(tmp_path, EXTENDS).parent).resolve("test", dt.date(2025, 1, 1))
    special = ruleset.position("special")
    assert special is not None
    assert [(r.id, r.value) for r in special.checks()] == [("status", "PNS"), ("education", "S1"), ("rank", "III/b")]
    # the resolved class is plain: nothing of `extends` is hashed
    assert not {"extends", "remove"} & set(special.model_dump())


@pytest.mark.parametrize(
    ("change", "code", "key"),
    [
        (("extends: base", "extends: bsae"), "unknown_position", "extends"),
        (("remove: [age]", "remove: [agee]"), "unknown_requirement", "remove"),
    ],
)
def test_extends_mistakes_are_located(tmp_path: Path, change: tuple[str, str], code: str, key: str) -> None:
    path = rules(tmp_path, EXTENDS.replace(*change))
    problems = scan(path.parent).problems
    assert [(p.code, p.path) for p in problems] == [(code, f"positions[1].{key}")]
    line = next(i for i, text in enumerate(path.read_text().splitlines(), 1) if text.strip().startswith(key))
    assert problems[0].line == line


def test_thresholds_are_parsed_once_and_never_dumped() -> None:
    library = load_library(RULES)  # checking the files parses every distinct threshold
    misses = checked_threshold.cache_info().misses
    ruleset = library.resolve("national", dt.date(2026, 1, 1))
    for position in ruleset.positions:
        compile_position(ruleset, position)
    assert checked_threshold.cache_info().misses == misses
    lookups = lookup.cache_info().misses
    lookup("competency.M01")
    lookup("competency.M01")
    assert lookup.cache_info().misses <= lookups + 1
    check = ruleset.positions[0].checks()[0]
    assert isinstance(check, TopCheck)
    assert not {"threshold", "encoded", "reads", "acting_reads", "spec", "children"} & set(check.model_dump())


def test_nested_conditions_serialise_as_before() -> None:
    # Stored rulesets carry `mandatory: true` and `waivable_by: []` on nested conditions; they must read back.
    ruleset = load_library(RULES).resolve("national", dt.date(2026, 1, 1))
    body = ruleset.model_dump(mode="json")
    nested = [node for position in ruleset.positions for node, loc in walk(position.requirements) if len(loc) > 1]
    assert nested
    dumped = [n.model_dump(mode="json") for n in nested]
    assert all(d["mandatory"] is True and d["waivable_by"] == [] for d in dumped)
    assert content_hash(Ruleset.model_validate(body)) == content_hash(ruleset)


def test_acting_fact_is_resolved_once_on_the_check() -> None:
    ruleset = load_library(RULES).resolve("national", dt.date(2026, 1, 1))
    position = ruleset.position("administrator")
    assert position is not None
    pengawas = next(c for c in position.checks() if c.id == "experience-pengawas")
    assert pengawas.acting == "review"
    assert (pengawas.reads, pengawas.acting_reads) == ("months_in_post.pengawas", "months_in_post_incl_acting.pengawas")
    plan = compile_position(ruleset, position)
    assert "months_in_post_incl_acting.pengawas" in plan.facts


def test_boundaries_skip_decimal_facts_that_no_assessment_holds(tmp_path: Path) -> None:
    # credit_points_jenjang is a decimal fact without a dot: generating used to end in an IndexError.
    library = load_library(RULES)
    cases = [c for c in load_cases(RULES) if c.position == "jf-ahli-muda"]
    text = generate(library, cases)
    notes = " ".join(case["note"] for case in YAML(typ="safe").load(text)["cases"])
    assert "competency-" in notes and "credit_points" not in notes


def test_generate_boundaries_on_the_shipped_pack_exits_cleanly() -> None:
    code, out, err = run(
        "test", str(RULES / "national" / "jf-ahli-muda.cases.yaml"), "--rules", str(RULES), "--generate-boundaries"
    )
    assert code == 0, err
    assert "internal error" not in err and "cases:" in out
    with pytest.raises(InputError):
        load_library(Path("/nonexistent"))


def test_lint_reads_each_dated_value_at_its_line(tmp_path: Path) -> None:
    from engine.tools.lint import lint

    body = (
        DATED.replace("fact: months_in_rank\n        op: gte", "fact: golongan\n        op: gt")
        .replace("value: 4y}", "value: III/a}")
        .replace("value: 3y,", "value: IV/e,")
    )
    path = rules(tmp_path, body)
    findings = [
        (f.severity, f.problem.code, f.problem.line) for f in lint(path.parent) if f.problem.code.startswith("never_")
    ]
    # nothing lies above IV/e: the second period's value can never pass
    assert findings == [("warning", "never_passes", line_of(path, "- {from: 2025-10-01"))]


def test_coverage_shows_a_fail_side_that_does_not_exist() -> None:
    code, out, err = run("test", str(RULES), "--coverage", "--min-coverage", "100")
    assert code == 0, err
    # two periods of kp-period-month: the second (every month a period month) has no fail side
    rows = [line.split()[-2:] for line in out.splitlines() if " kp-period-month " in line and "-reguler " in line]
    assert rows == [["yes", "yes"], ["yes", "n/a"]]
