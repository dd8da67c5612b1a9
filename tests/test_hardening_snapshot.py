"""verify, export and replay --all each read one consistent snapshot while a writer commits in between."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from cli_runner import run

from engine.audit.store import Store

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "fixtures" / "candidates"
ONE = FIXTURES / "dimas-saputra.yaml"
AS_OF = "2026-12-01"


def proposed_rules(folder: Path) -> Path:
    """The shipped rules with the administrator experience raised: another ruleset version and hash."""
    target = folder / "proposed"
    shutil.copytree(ROOT / "rules", target, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    path = target / "national" / "managerial.yaml"
    text = path.read_text()
    start, end = text.index("  - id: administrator\n"), text.index("  - id: pengawas\n")
    path.write_text(text[:start] + text[start:end].replace("value: 3y", "value: 4y") + text[end:])
    return target


class Interleaver:
    """Runs a writer (a `check` under another ruleset) right after one chosen read step of the reader."""

    def __init__(self, url: str, rules: Path, monkeypatch: pytest.MonkeyPatch, step: str) -> None:
        self.url, self.rules, self.writes = url, rules, 0
        original = getattr(Store, step)
        writer = self.write
        if step == "rows":

            def rows(store: Store, *args: Any, **kwargs: Any) -> Iterator[dict[str, Any]]:
                for number, row in enumerate(original(store, *args, **kwargs)):
                    yield row
                    if number == 0:
                        writer()

            monkeypatch.setattr(Store, "rows", rows)
        else:

            def read(store: Store, *args: Any, **kwargs: Any) -> Any:
                result = original(store, *args, **kwargs)
                writer()
                return result

            monkeypatch.setattr(Store, step, read)

    def write(self) -> None:
        if self.writes:
            return
        self.writes += 1
        code, _o, err = run(
            "check",
            str(ONE),
            "--position",
            "administrator",
            "--as-of",
            AS_OF,
            "--db",
            self.url,
            "--rules",
            str(self.rules),
        )
        assert code == 0, err


@pytest.fixture
def log(store_url: str) -> str:
    code, _o, err = run("check", str(FIXTURES), "--position", "administrator", "--as-of", AS_OF, "--db", store_url)
    assert code == 0, err
    return store_url


def count(url: str) -> int:
    with Store.open(url) as store:
        return store.count()


@pytest.mark.parametrize("step", ["ruleset_bodies", "rows"])
def test_verify_reads_one_snapshot(log: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, step: str) -> None:
    before = count(log)
    writer = Interleaver(log, proposed_rules(tmp_path), monkeypatch, step)
    code, out, err = run("audit", "verify", "--db", log, "--format", "json")
    assert writer.writes == 1
    assert code == 0, (out, err)
    assert json.loads(out)["records"] == before
    monkeypatch.undo()
    code, out, _err = run("audit", "verify", "--db", log, "--format", "json")
    assert code == 0 and json.loads(out)["records"] == before + 1


@pytest.mark.parametrize("step", ["ruleset_bodies", "rows"])
def test_export_reads_one_snapshot(log: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, step: str) -> None:
    before = count(log)
    writer = Interleaver(log, proposed_rules(tmp_path), monkeypatch, step)
    path = tmp_path / "audit.jsonl"
    code, _out, err = run("audit", "export", "--db", log, "-o", str(path))
    assert code == 0, err
    assert writer.writes == 1
    monkeypatch.undo()
    code, out, err = run("audit", "verify", "--export", str(path), "--format", "json")
    assert code == 0, (out, err)
    assert json.loads(out)["records"] == before


@pytest.mark.parametrize("step", ["ruleset_body", "rows"])
def test_replay_all_reads_one_snapshot(log: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, step: str) -> None:
    before = count(log)
    writer = Interleaver(log, proposed_rules(tmp_path), monkeypatch, step)
    code, out, err = run("replay", "--all", "--db", log, "--format", "json")
    assert writer.writes == 1
    assert code == 0, err
    assert len(json.loads(out)) == before
