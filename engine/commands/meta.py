"""--version and shell completion: answered without importing the engine (plain file reads, no YAML parser)."""

from __future__ import annotations

import hashlib
import platform
import re
from pathlib import Path

from engine import __version__


def version_lines(rules: Path) -> list[str]:
    """layak's version, the rule pack in use (its rulesets and a digest of its files), durable-rules'."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        durable = version("durable-rules")
    except PackageNotFoundError:
        durable = "not installed"
    files = sorted(p for p in rules.rglob("*.yaml") if p.is_file()) if rules.is_dir() else []
    digest = hashlib.sha256()
    rulesets = []
    for path in files:
        data = path.read_bytes()
        digest.update(path.relative_to(rules).as_posix().encode() + b"\0" + data)
        header = _HEADER.search(data.decode("utf-8", "replace"))
        if header and not path.name.endswith(".cases.yaml"):
            rulesets.append(f"{header['id']} {header['version']}")
    pack = ", ".join(sorted(set(rulesets))) or "no rule files"
    return [
        f"layak {__version__}",
        f"rules {rules} ({pack}; sha256 {digest.hexdigest()[:16]})",
        f"durable-rules {durable}",
        f"python {platform.python_version()}",
    ]


# Read for --version only (no YAML parser, to stay fast): the `ruleset:` header's id and version.
_HEADER = re.compile(
    r"^ruleset:\s*\n(?:[ \t]+.*\n)*?[ \t]+id:\s*[\"']?(?P<id>[\w.-]+)[\"']?\s*\n"
    r"(?:[ \t]+.*\n)*?[ \t]+version:\s*[\"']?(?P<version>[\w.-]+)",
    re.MULTILINE,
)


def position_ids(rules: Path) -> list[str]:
    """Position ids of a rules directory, for shell completion: a plain scan, so a broken file never prints an
    error into the user's shell and completion stays instant."""
    found: set[str] = set()
    for path in rules.rglob("*.yaml") if rules.is_dir() else []:
        if not path.name.endswith(".cases.yaml"):
            found.update(re.findall(r"^  - id:\s*[\"']?([\w.-]+)", path.read_text("utf-8", "replace"), re.MULTILINE))
    return sorted(found)
