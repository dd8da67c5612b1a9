"""Writes expected.json: digests of the `check --format jsonl` lines of the bundled fixtures and population.

Run from the repository root, on the commit whose output is the reference:

    python tests/data/check_reference/produce.py

Produce it with the code the change is measured against (e.g. a checkout of main), never with the change
itself: the test then says the change decides byte for byte as that code did. The current file was produced
after the look-back family (worst_sanction_last_12m/36m/60m) added three facts to every record; before it was
written, each line of main's output at 691ab4a was checked equal byte for byte to this output with the three
facts taken out. It was regenerated when the penyesuaian ijazah statement added two facts
(diploma_matches_duties, diploma_formation_available) to every record: each line of the fixtures and population
output (administrator, kenaikan-pangkat-reguler, kp-penyesuaian-ijazah, kp-pilihan-jf, pelaksana, jpt-pratama;
population pengawas) was checked equal to main's with the two facts taken out.

The rules are a frozen copy (``rules/`` here, the shipped pack of the commit it was produced on, rule cases
left out), so a later rule correction does not move the reference; a change of the engine or of the facts
does, and then the test names the candidates whose line changed. Regenerate only for an intended change of
the decision records, and say so in the commit.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

from click.testing import CliRunner

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
AS_OF = "2026-12-01"
RULES = "tests/data/check_reference/rules"
# (candidates folder, positions): every position for the hand-written fixtures, four for the population.
SUITES = {
    "fixtures/candidates": [
        "administrator",
        "jf-ahli-madya",
        "jf-ahli-muda",
        "jf-ahli-pertama",
        "jf-ahli-utama",
        "jf-mahir",
        "jf-penyelia",
        "jf-terampil",
        "jpt-madya",
        "jpt-pratama",
        "jpt-utama",
        "kenaikan-pangkat-reguler",
        "kp-penyesuaian-ijazah",
        "kp-pilihan-jf",
        "pelaksana",
        "pengawas",
    ],
    "fixtures/population/candidates": ["administrator", "pengawas", "kenaikan-pangkat-reguler", "jf-ahli-muda"],
}


def digest(line: bytes) -> str:
    """The first 16 hex digits of a line's SHA-256: any change of a byte changes it."""
    return hashlib.sha256(line).hexdigest()[:16]


def jsonl(folder: str, position: str) -> bytes:
    """`layak check FOLDER --position P --no-record --format jsonl --jobs 1` (paths relative to the root)."""
    from cli import cli

    args = ["check", folder, "--rules", RULES, "--position", position, "--as-of", AS_OF, "--no-record"]
    result = CliRunner().invoke(cli, [*args, "--format", "jsonl", "--jobs", "1"])
    if result.exit_code not in (0, 3):
        raise SystemExit(f"{' '.join(args)}: exit {result.exit_code}\n{result.stderr}")
    return result.stdout_bytes


def main() -> None:
    if Path.cwd() != ROOT:
        raise SystemExit(f"run from {ROOT}: the records hold candidate paths relative to it")
    expected: dict[str, dict[str, list[str]]] = {}
    for folder, positions in SUITES.items():
        for position in positions:
            lines = jsonl(folder, position).splitlines()
            expected.setdefault(folder, {})[position] = [digest(line) for line in lines]
            sys.stderr.write(f"{folder} {position}: {len(lines)} lines\n")
    text = json.dumps({"as_of": AS_OF, "rules": RULES, "suites": expected}, indent=0, sort_keys=True)
    (HERE / "expected.json").write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
