"""The rules lock file: version → content hash of every rule file, so an edit without a version bump is caught."""

from __future__ import annotations

import json
from pathlib import Path

from engine.audit.canonical import digest
from engine.errors import Problem, ProblemCode
from engine.load.library import Scan
from engine.load.rulefile import RuleFile

LOCK_NAME = "layak.lock"
_HINT = "bump ruleset.version or run `layak validate --update-lock`"


def lock_path(root: Path) -> Path:
    return (root if root.is_dir() else root.parent) / LOCK_NAME


def content_hash(rule_file: RuleFile) -> str:
    """SHA-256 of the parsed file (RFC 8785): comments and layout do not count, any rule change does."""
    return digest(rule_file.model_dump(mode="json"))


def entries(root: Path, found: Scan) -> list[dict[str, str]]:
    base = lock_path(root).parent
    rows = [
        {
            "file": Path(file).resolve().relative_to(base.resolve()).as_posix(),
            "ruleset": rule_file.ruleset.id,
            "version": rule_file.ruleset.version,
            "sha256": content_hash(rule_file),
        }
        for versions in found.files.values()
        for file, rule_file in versions
    ]
    return sorted(rows, key=lambda row: row["file"])


def write_lock(root: Path, found: Scan) -> Path:
    path = lock_path(root)
    text = json.dumps({"lock_version": 1, "files": entries(root, found)}, indent=2, ensure_ascii=False)
    path.write_text(text + "\n", encoding="utf-8")
    return path


def _read(path: Path) -> tuple[dict[tuple[str, str], str], list[Problem]]:
    """(file, version) → hash; a lock that cannot be read is one error naming it."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        rows = data["files"]
        return {(str(r["file"]), str(r["version"])): str(r["sha256"]) for r in rows}, []
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError) as exc:
        problem = Problem(
            code=ProblemCode.LOCK_INVALID,
            file=str(path),
            message=f"the lock file cannot be read: {exc}",
            hint="run `layak validate --update-lock` to write it again",
        )
        return {}, [problem]


def check_lock(root: Path, found: Scan) -> tuple[list[Problem], list[Problem]]:
    """(errors, warnings): a locked version whose content changed; files or versions the lock lacks.

    A rules directory without a lock file is not checked (the lock is opt-in)."""
    path = lock_path(root)
    if not path.is_file():
        return [], []
    locked, errors = _read(path)
    if errors:
        return errors, []
    hashes = {(row["file"], row["version"]): row["sha256"] for row in entries(root, found)}
    base = path.parent.resolve()
    warnings: list[Problem] = []
    for versions in found.files.values():
        for file, rule_file in versions:
            rel = Path(file).resolve().relative_to(base).as_posix()
            version = rule_file.ruleset.version
            doc = found.docs.get(file)
            line = doc.line_of(("ruleset", "version")) if doc else None
            if (rel, version) not in locked:
                warnings.append(
                    Problem(
                        code=ProblemCode.NOT_LOCKED,
                        message=f"version {version} of '{rule_file.ruleset.id}' is not in {LOCK_NAME}",
                        hint="run `layak validate --update-lock` once the change is reviewed",
                        file=file,
                        line=line,
                        path="ruleset.version",
                    )
                )
            elif locked[(rel, version)] != hashes[(rel, version)]:
                errors.append(
                    Problem(
                        code=ProblemCode.VERSION_NOT_BUMPED,
                        message=(
                            f"{rel} changed but its version {version} did not: the content no longer matches "
                            f"the hash in {LOCK_NAME}"
                        ),
                        hint=_HINT,
                        file=file,
                        line=line,
                        path="ruleset.version",
                    )
                )
    return errors, warnings
