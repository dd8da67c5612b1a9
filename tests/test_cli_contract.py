"""The error contract: one problem-code enum, documented exit codes per command, a closed pipe, --debug anywhere."""

from __future__ import annotations

import ast
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import TypeGuard

import pytest
from cli_runner import run
from conftest import raw_sql

from engine.errors import ExitCode, ProblemCode

ROOT = Path(__file__).parent.parent
RULES = ROOT / "rules"
SITI = ROOT / "fixtures" / "candidates" / "siti-rahma.yaml"
DATA = Path(__file__).parent / "data"
AS_OF = ["--as-of", "2026-12-01"]
POS = ["--position", "administrator"]
SIASN = ROOT / "fixtures" / "siasn" / "responses" / "197803222005012002"

OK, FINDINGS, USAGE, INVALID = ExitCode.OK, ExitCode.FINDINGS, ExitCode.USAGE, ExitCode.INVALID_INPUT


# ---- every problem code given to Problem is a member of the enum ------------------------------------


def _modules() -> list[Path]:
    return [*sorted((ROOT / "engine").rglob("*.py")), ROOT / "cli.py"]


def _is_problem(node: ast.AST) -> TypeGuard[ast.Call]:
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "Problem"


def _code_params(tree: ast.Module) -> tuple[dict[str, int], dict[str, int]]:
    """Functions and methods that pass their parameter `code` on to Problem: name → positional index."""
    functions: dict[str, int] = {}
    methods: dict[str, int] = {}
    scopes: list[ast.Module | ast.ClassDef] = [tree, *(n for n in ast.walk(tree) if isinstance(n, ast.ClassDef))]
    for cls_or_mod in scopes:
        for node in cls_or_mod.body:
            if not isinstance(node, ast.FunctionDef):
                continue
            names = [a.arg for a in node.args.args]
            passes = any(
                _is_problem(c)
                and any(k.arg == "code" and isinstance(k.value, ast.Name) and k.value.id == "code" for k in c.keywords)
                for c in ast.walk(node)
            )
            if "code" in names and passes:
                if isinstance(cls_or_mod, ast.ClassDef):
                    methods[node.name] = names.index("code") - 1  # without self
                else:
                    functions[node.name] = names.index("code")
    return functions, methods


def _literal_codes() -> list[tuple[str, int, str]]:
    trees = {path: ast.parse(path.read_text(encoding="utf-8")) for path in _modules()}
    global_functions: dict[str, int] = {}
    for tree in trees.values():
        global_functions.update(_code_params(tree)[0])
    found: list[tuple[str, int, str]] = []
    for path, tree in trees.items():
        _functions, methods = _code_params(tree)
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef) and node.name in {**global_functions, **methods}:
                for arg, default in zip(node.args.args[::-1], node.args.defaults[::-1], strict=False):
                    if arg.arg == "code" and isinstance(default, ast.Constant) and isinstance(default.value, str):
                        found.append((str(path), node.lineno, default.value))
            if not isinstance(node, ast.Call):
                continue
            for k in node.keywords if _is_problem(node) else []:
                if k.arg == "code" and isinstance(k.value, ast.Constant) and isinstance(k.value.value, str):
                    found.append((str(path), node.lineno, k.value.value))
            index = None
            if isinstance(node.func, ast.Name):
                index = global_functions.get(node.func.id)
            elif isinstance(node.func, ast.Attribute):
                index = methods.get(node.func.attr)
            if index is not None and index < len(node.args):
                passed = node.args[index]
                if isinstance(passed, ast.Constant) and isinstance(passed.value, str):
                    found.append((str(path), node.lineno, passed.value))
    return found


def test_every_literal_problem_code_is_a_member_of_the_enum() -> None:
    found = _literal_codes()
    assert len(found) > 30  # the scan does see the codes (it would pass vacuously otherwise)
    members = {c.value for c in ProblemCode}
    strays = [f"{file}:{line}: {code}" for file, line, code in found if code not in members]
    assert not strays, "codes not in ProblemCode:\n" + "\n".join(strays)


def test_a_free_string_is_refused() -> None:
    from pydantic import ValidationError

    from engine.errors import Problem

    with pytest.raises(ValidationError):
        Problem(code="no_such_code", message="x")


# ---- the README documents exactly the enums ----------------------------------------------------------


def _readme_table(heading: str) -> dict[str, list[str]]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split(f"\n### {heading}\n", 1)[1].split("\n#", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("|")][2:]  # header and rule
    table = {}
    for line in rows:
        cells = [c.strip() for c in line.strip("|").split("|")]
        table[cells[0].strip("`")] = cells[1:]
    return table


def test_readme_exit_code_table_matches_the_enum() -> None:
    table = _readme_table("Exit codes")
    assert set(table) == {str(int(c)) for c in ExitCode}
    for code in ExitCode:
        assert table[str(int(code))][0], f"exit code {int(code)} has no meaning in the README"


def test_readme_problem_code_table_matches_the_enum() -> None:
    table = _readme_table("Problem codes")
    assert set(table) == {c.value for c in ProblemCode}
    for code in ProblemCode:
        severity, exit_code, meaning = table[code.value]
        assert severity == code.severity and exit_code == str(int(code.exit_code)) and meaning, code


# ---- exit codes per command --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def broken_rules(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped rules plus one rule file naming an unknown fact."""
    folder = tmp_path_factory.mktemp("broken") / "rules"
    shutil.copytree(RULES, folder)
    shutil.copy(DATA / "bad_rules" / "unknown-fact.yaml", folder / "national" / "zz-bad.yaml")
    return folder


@pytest.fixture(scope="module")
def warning_rules(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("warn")
    shutil.copy(DATA / "lint" / "never-fails.yaml", folder / "w.yaml")
    return folder


@pytest.fixture(scope="module")
def proposed_rules(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped rules with Administrator's education raised from S1 to S2 (Siti Rahma holds an S1)."""
    folder = tmp_path_factory.mktemp("proposed") / "rules"
    shutil.copytree(RULES, folder)
    managerial = folder / "national" / "managerial.yaml"
    text = managerial.read_text(encoding="utf-8")
    marker = "      - id: education\n        fact: education\n        op: gte\n        value: S1"
    start = text.index("  - id: administrator\n")
    assert marker in text[start:]
    managerial.write_text(text[:start] + text[start:].replace(marker, marker[:-2] + "S2", 1), encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def cases(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("cases")
    for name, verdict in (("right", "eligible"), ("wrong", "not_eligible")):
        (folder / name).mkdir()
        (folder / name / "siti.cases.yaml").write_text(
            f"position: administrator\ncases:\n  - note: Siti Rahma on 2026-12-01\n    candidate: {SITI}\n"
            f"    as_of: 2026-12-01\n    verdict: {verdict}\n",
            encoding="utf-8",
        )
    return folder


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("store") / "audit.db"
    code, _out, err = run("check", str(SITI), *POS, *AS_OF, "--db", str(path))
    assert code == 0, err
    return str(path)


@pytest.fixture(scope="module")
def damaged(tmp_path_factory: pytest.TempPathFactory, store: str) -> str:
    """A copy of the store whose record 1 has another verdict column and whose stored ruleset was edited."""
    path = tmp_path_factory.mktemp("damaged") / "audit.db"
    shutil.copy(store, path)
    conn = raw_sql(str(path))
    conn.exec_driver_sql("UPDATE audit_decisions SET verdict = 'not_eligible' WHERE seq = 1")
    (body,) = conn.exec_driver_sql("SELECT body FROM audit_rulesets").one()
    edited = json.loads(body)
    edited["title"]["en"] += " (edited)"
    conn.exec_driver_sql("UPDATE audit_rulesets SET body = ?", (json.dumps(edited),))
    conn.commit()
    conn.close()
    return str(path)


@pytest.fixture(scope="module")
def not_a_store(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("junk") / "audit.db"
    path.write_text("this is not a database\n" * 100)
    return str(path)


def _cases_table(
    broken: Path, warn: Path, proposed: Path, cases: Path, store: str, damaged: str, junk: str
) -> list[tuple[str, list[str], int]]:
    first = json.loads(run("audit", "list", "--db", store, "--format", "json")[1])[0]["decision_id"]
    diff = ["--candidates", str(SITI), *POS, *AS_OF]
    return [
        ("check ok", ["check", str(SITI), *POS, *AS_OF, "--no-record"], OK),
        ("check usage", ["check", str(SITI), *AS_OF], USAGE),
        ("check invalid rules", ["check", str(SITI), *POS, *AS_OF, "--rules", str(broken), "--no-record"], INVALID),
        (
            "check invalid candidate",
            ["check", str(DATA / "bad_candidates" / "syntax-error.yaml"), *POS, *AS_OF],
            INVALID,
        ),
        ("explain ok", ["explain", str(SITI), *POS, *AS_OF], OK),
        ("explain usage", ["explain", str(SITI), *POS, "--horizon", "0"], USAGE),
        ("explain invalid", ["explain", str(SITI), *POS, *AS_OF, "--rules", str(broken)], INVALID),
        ("positions ok", ["positions", *AS_OF], OK),
        ("positions usage", ["positions", "--format", "yaml"], USAGE),
        ("positions invalid", ["positions", *AS_OF, "--rules", str(broken)], INVALID),
        ("facts ok", ["facts", "--list"], OK),
        ("facts usage", ["facts", "--list", str(SITI)], USAGE),
        ("facts invalid", ["facts", str(DATA / "bad_candidates" / "wrong-type-nip.json"), *AS_OF], INVALID),
        ("schema ok", ["schema", "cases"], OK),
        ("schema usage", ["schema", "poem"], USAGE),
        ("validate ok", ["validate", str(RULES)], OK),
        ("validate findings", ["validate", str(warn), "--strict"], FINDINGS),
        ("validate usage", ["validate", "--strict=maybe"], USAGE),
        ("validate invalid", ["validate", str(broken)], INVALID),
        ("test ok", ["test", str(cases / "right"), "--rules", str(RULES)], OK),
        ("test findings", ["test", str(cases / "wrong"), "--rules", str(RULES)], FINDINGS),
        ("test usage", ["test", "--min-coverage", "101"], USAGE),
        ("test invalid rules", ["test", str(cases / "right"), "--rules", str(broken)], INVALID),
        ("test no cases", ["test", str(cases / "nosuch")], INVALID),
        ("diff ok", ["diff", str(RULES), str(RULES), *diff], OK),
        ("diff findings", ["diff", str(RULES), str(proposed), *diff], FINDINGS),
        ("diff usage", ["diff", str(RULES), *diff], USAGE),
        ("diff invalid", ["diff", str(RULES), str(broken), *diff], INVALID),
        ("audit list ok", ["audit", "list", "--db", store], OK),
        ("audit list usage", ["audit", "list", "--db", store, "--since", "yesterday"], USAGE),
        ("audit list invalid", ["audit", "list", "--db", junk], INVALID),
        ("audit show ok", ["audit", "show", first, "--db", store], OK),
        ("audit show usage", ["audit", "show", "--db", store], USAGE),
        ("audit show invalid", ["audit", "show", "00000000", "--db", store], INVALID),
        ("audit verify ok", ["audit", "verify", "--db", store], OK),
        ("audit verify findings", ["audit", "verify", "--db", damaged], FINDINGS),
        ("audit verify usage", ["audit", "verify", "--db", store, "--format", "yaml"], USAGE),
        ("audit verify invalid", ["audit", "verify", "--db", store, "--expect-head", "twelve"], INVALID),
        ("audit head ok", ["audit", "head", "--db", store], OK),
        ("audit head usage", ["audit", "head", "--db"], USAGE),
        ("audit head invalid", ["audit", "head", "--db", junk], INVALID),
        ("audit export ok", ["audit", "export", "--db", store], OK),
        ("audit export usage", ["audit", "export", "--db", store, "--salt", "s"], USAGE),
        ("audit export invalid", ["audit", "export", "--db", junk], INVALID),
        ("replay ok", ["replay", "--all", "--db", store], OK),
        ("replay findings", ["replay", "--all", "--db", damaged], FINDINGS),
        ("replay usage", ["replay", "--db", store], USAGE),
        ("replay invalid", ["replay", "--all", "--db", junk], INVALID),
        ("import siasn ok", ["import", "siasn", str(SIASN), "--out", str(Path(junk).parent / "dossiers")], OK),
        ("import siasn usage", ["import", "siasn", str(SIASN)], USAGE),
        (
            "import siasn invalid",
            ["import", "siasn", str(Path(junk).parent), "--out", str(Path(junk).parent / "out")],
            INVALID,
        ),
    ]


def test_exit_codes_per_command(
    broken_rules: Path,
    warning_rules: Path,
    proposed_rules: Path,
    cases: Path,
    store: str,
    damaged: str,
    not_a_store: str,
) -> None:
    wrong = []
    for name, args, expected in _cases_table(
        broken_rules, warning_rules, proposed_rules, cases, store, damaged, not_a_store
    ):
        code, _out, err = run(*args)
        if code != expected:
            wrong.append(f"{name}: exit {code}, expected {int(expected)}\n  {err.strip()[:300]}")
        assert "Traceback" not in err and "internal error" not in err, name
    assert not wrong, "\n".join(wrong)


def test_the_same_broken_rule_file_exits_3_everywhere(broken_rules: Path) -> None:
    for args in (
        ["validate", str(broken_rules), "--format", "csv"],
        ["check", str(SITI), *POS, *AS_OF, "--rules", str(broken_rules), "--no-record"],
    ):
        code, out, err = run(*args)
        assert code == 3 and "zz-bad.yaml" in out + err and "unknown_fact" in out + err, (args, out, err)


# ---- closed pipe, --debug ----------------------------------------------------------------------------


def test_a_closed_pipe_ends_quietly() -> None:
    layak = [sys.executable, "-c", "from cli import main; main()"]
    proc = subprocess.Popen(
        [*layak, "explain", str(SITI), *POS, *AS_OF], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()  # the reader is gone before layak writes its first line
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=120) == ExitCode.CLOSED_PIPE
    assert err == "", err


def test_a_closed_pipe_through_the_shell() -> None:
    shell = shutil.which("bash")
    if shell is None:
        pytest.skip("no bash")
    layak = (
        f"{sys.executable} -c 'from cli import main; main()' explain {SITI} --position administrator --as-of 2026-12-01"
    )
    done = subprocess.run(
        [shell, "-c", f"set -o pipefail; {layak} | head -1"], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert done.stdout.startswith("candidate: Siti Rahma") and done.stdout.count("\n") == 1
    assert done.stderr == ""
    # One write that fits the pipe is complete before `head` leaves (0); a longer one meets the closed pipe.
    assert done.returncode in (ExitCode.OK, ExitCode.CLOSED_PIPE)
    done = subprocess.run(
        [shell, "-c", f"set -o pipefail; {layak} | true"], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == ExitCode.CLOSED_PIPE and done.stderr == ""


@pytest.mark.parametrize("where", ["before", "after", "middle"])
def test_debug_is_accepted_anywhere(where: str, monkeypatch: pytest.MonkeyPatch) -> None:
    import engine.decide.pipeline as command  # what both the streamed and the whole-run check call

    def broken(*_a: object, **_k: object) -> None:
        raise RuntimeError("simulated bug")

    monkeypatch.setattr(command, "run_engine", broken)
    args = ["check", str(SITI), *POS, *AS_OF, "--no-record"]
    if where == "before":
        args = ["--debug", *args]
    elif where == "after":
        args = [*args, "--debug"]
    else:
        args = [*args[:2], "--debug", *args[2:]]
    code, _out, err = run(*args)
    assert code == ExitCode.INTERNAL and "Traceback" in err and "simulated bug" in err


def test_without_debug_no_traceback(monkeypatch: pytest.MonkeyPatch) -> None:
    import engine.decide.pipeline as command  # what both the streamed and the whole-run check call

    def broken(*_a: object, **_k: object) -> None:
        raise RuntimeError("simulated bug")

    monkeypatch.setattr(command, "run_engine", broken)
    code, _out, err = run("check", str(SITI), *POS, *AS_OF, "--no-record")
    assert code == ExitCode.INTERNAL and "Traceback" not in err and "internal error: RuntimeError" in err


def test_debug_after_a_double_dash_is_an_argument() -> None:
    code, _out, err = run("check", *POS, *AS_OF, "--no-record", "--", "--debug")
    assert code == ExitCode.INVALID_INPUT and "--debug" in err  # a candidate file named --debug, not found


# ---- startup ------------------------------------------------------------------------------------------


def test_importing_the_cli_loads_no_engine_libraries() -> None:
    probe = (
        "import sys, cli; heavy = [m for m in ('sqlalchemy', 'pydantic', 'durable', 'durable_rules_engine', "
        "'tabulate', 'engine.errors') if m in sys.modules]; print(heavy)"
    )
    done = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_version_names_layak_the_rule_pack_and_durable_rules() -> None:
    from importlib.metadata import version

    from engine import __version__

    code, out, _err = run("--version")
    assert code == 0
    assert f"layak {__version__}" in out and f"durable-rules {version('durable-rules')}" in out
    managerial = (RULES / "national" / "managerial.yaml").read_text(encoding="utf-8")
    national = re.search(r'^  version: "([^"]+)"', managerial, re.MULTILINE)
    assert national is not None and f"national {national.group(1)}" in out
