"""Digests of derived facts per (dossier, as-of date): the differential that keeps fact derivation byte-identical.

Run from the repository root, with the code to compare against (e.g. an unpacked ``git archive main`` on
PYTHONPATH) to write the reference, then with the changed code to check it:

    python bench/derive_reference.py --write /tmp/derive/reference.tsv
    python bench/derive_reference.py --check /tmp/derive/reference.tsv

Dossiers: every candidate file of fixtures/ (hand-written, population, SIASN-imported), the valid candidate
files under tests/data, and the first ``--bundle-lines`` lines of ``--bundle``. The dump is canonical and
strict: every value with its type and repr (Decimal('3.50') is not Decimal('3.5'), True is not 1), missing and
invalid notes with code and arguments, the anchors, all in insertion order.

``--fixtures-out FILE`` writes the small committed digest file tests/test_derive_reference.py reads.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import sys
import time
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path.cwd()))

from engine.facts.derive import Facts, derive  # noqa: E402
from engine.load.candidate import Candidate  # noqa: E402
from engine.load.intake import bundle_candidate, read_candidate  # noqa: E402

DATES = [
    dt.date.fromisoformat(d)
    for d in (
        "2019-06-30",
        "2020-02-29",
        "2023-12-31",
        "2024-01-01",
        "2024-02-29",
        "2025-03-31",
        "2025-05-19",
        "2025-05-20",
        "2026-11-29",
        "2026-12-01",
    )
]
# For the committed fixture digests: the first and the last day of every month 2018-2027 (month ends of 28-31
# days, leap days, the day a month completes), one digest per dossier over all of them.
SWEEP = [
    day
    for year in range(2018, 2028)
    for month in range(1, 13)
    for day in (dt.date(year, month, 1), dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1))
]
FILE_ROOTS = (
    "fixtures/candidates",
    "fixtures/population/candidates",
    "fixtures/siasn/expected",
    "fixtures/siasn/expected-csv",
    "tests/data",
)


def canonical(facts: Facts) -> bytes:
    """The facts as text: every entry in order, values with their type."""
    parts = [f"as_of={facts.as_of.isoformat()}"]
    parts += [f"v {k}={type(v).__name__}:{v!r}" for k, v in facts.values.items()]
    parts += [f"m {k}={n.code}:{sorted(n.args.items())!r}:{list(n.args)!r}" for k, n in facts.missing.items()]
    parts += [f"i {k}={n.code}:{sorted(n.args.items())!r}:{list(n.args)!r}" for k, n in facts.invalid.items()]
    parts += [f"a {k}={d.isoformat()}" for k, d in facts.anchors.items()]
    return "\n".join(parts).encode()


def digest(facts: Facts) -> str:
    return hashlib.sha256(canonical(facts)).hexdigest()[:16]


def sweep_digest(candidate: Candidate) -> str:
    """One digest of a dossier's facts on every day of SWEEP."""
    return hashlib.sha256(b"\n--\n".join(canonical(derive(candidate, day)) for day in SWEEP)).hexdigest()[:16]


def fixture_digests(base: Path = Path()) -> dict[str, dict[str, str]]:
    """Per fixture dossier (the population left out: tests/test_check_reference.py and the bundle check cover
    it): its digest on each of DATES, and on all of SWEEP under the key "sweep"."""
    return {
        name: {**{d.isoformat(): digest(derive(candidate, d)) for d in DATES}, "sweep": sweep_digest(candidate)}
        for name, candidate in file_dossiers(base)
        if not name.startswith("fixtures/population/")
    }


def file_dossiers(base: Path = Path()) -> Iterator[tuple[str, Candidate]]:
    """Every valid candidate file under FILE_ROOTS of the checkout ``base``, named by its path in it."""
    for root in FILE_ROOTS:
        for path in sorted((base / root).rglob("*")):
            if path.suffix not in (".yaml", ".yml", ".json") or path.name.endswith(".cases.yaml"):
                continue
            loaded = read_candidate(str(path))
            if not isinstance(loaded, list):
                yield path.relative_to(base).as_posix(), loaded.candidate


def bundle_dossiers(bundle: str, lines: int) -> Iterator[tuple[str, Candidate]]:
    with open(bundle, "rb") as handle:
        for number, line in enumerate(handle, 1):
            if number > lines:
                return
            loaded = bundle_candidate(bundle, number, line.rstrip(b"\n"))
            if not isinstance(loaded, list):
                yield loaded.file, loaded.candidate


def digests(bundle: str, lines: int) -> Iterator[tuple[str, str, str]]:
    for name, candidate in (*file_dossiers(), *bundle_dossiers(bundle, lines)):
        for as_of in DATES:
            yield name, as_of.isoformat(), digest(derive(candidate, as_of))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    what = parser.add_mutually_exclusive_group(required=True)
    what.add_argument("--write", type=Path)
    what.add_argument("--check", type=Path)
    what.add_argument("--fixtures-out", type=Path)
    parser.add_argument("--bundle", default="/tmp/fast_data/b100000.jsonl")
    parser.add_argument("--bundle-lines", type=int, default=20_000)
    args = parser.parse_args()
    started = time.perf_counter()
    if args.fixtures_out:
        table = fixture_digests()
        args.fixtures_out.write_text(json.dumps(table, indent=1, sort_keys=True) + "\n")
        print(f"{len(table)} dossiers × {len(DATES)} dates and a sweep written to {args.fixtures_out}")
        return 0
    rows = list(digests(args.bundle, args.bundle_lines))
    if args.write:
        args.write.parent.mkdir(parents=True, exist_ok=True)
        args.write.write_text("".join(f"{n}\t{d}\t{h}\n" for n, d, h in rows))
        print(f"{len(rows)} digests written to {args.write} in {time.perf_counter() - started:.1f} s")
        return 0
    expected = {tuple(line.split("\t")[:2]): line.split("\t")[2] for line in args.check.read_text().splitlines()}
    got = {(n, d): h for n, d, h in rows}
    differ = sorted(k for k in expected.keys() | got.keys() if expected.get(k) != got.get(k))
    for name, date in differ[:20]:
        print(f"DIFFERS {name} {date}: expected {expected.get((name, date))} got {got.get((name, date))}")
    print(f"{len(got)} digests compared, {len(differ)} differ, in {time.perf_counter() - started:.1f} s")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
