"""Import → check: imported dossiers decided for KP reguler on 2026-12-01, verdicts worked out by hand.

Hand computation (calendar months completed; "last 2 years" = 2025 and 2024; PermenPANRB 6/2022 matrix):
- Ahmad Fadli: current post PELAKSANA (definitive since 2024-01-29); III/b since 2022-04-01 = 56 months >= 48;
  2025 di atas x di atas = Sangat Baik, 2024 sesuai x sesuai = Baik, so the lower is Baik; S1 recognised
  (entry education), ceiling III/d above III/b; III/b needs no service exam; no sanction. SIASN holds no
  pending objection or appeal, so "no pending sanction" is missing: needs review.
- Sutarno: 2024 di bawah x sesuai = Butuh Perbaikan < Baik: fails; his discipline history holds a sanction
  type with no candidate-file value, so "no running sanction" is missing, not passed: not eligible.
- Yohanes Tanaem: 2024 di bawah x di bawah = Sangat Kurang: fails; the 12-month tukin cut from 2026-07-01
  runs on 2026-12-01: fails; III/b since 2019-04-01 = 92 months passes: not eligible.
- Lina Marpaung: her latest position record cannot be mapped and data-utama's rank disagrees with the history,
  so current post, time in rank and the education ceiling are missing, never failed; 2025 sesuai x di atas =
  Baik and 2024 di atas x sesuai = Baik pass: needs review.
- Sri Wahyuni: current post PENGAWAS fails (structural posts take KP pilihan); 2025 is a source conflict, so
  the rating is missing: not eligible.
- Rizky Ramadhan: JF Ahli Muda fails the pelaksana requirement; his S2 has no sign of recognition, so the
  education ceiling is missing: not eligible.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from cli_runner import run
from siasn_support import RESPONSES, decisions_of

EXPECTED = {
    "198501152010011001": (
        "needs_review",
        {
            "pns-status": "pass",
            "not-structural-or-jf": "pass",
            "time-in-rank": "pass",
            "performance": "pass",
            "education-ceiling": "pass",
            "service-exam": "pass",
            "kp-period": "pass",
            "no-running-sanction": "pass",
            "no-pending-sanction": "missing",
        },
    ),
    "196905051990031005": (
        "not_eligible",
        {
            "not-structural-or-jf": "pass",
            "time-in-rank": "pass",
            "performance": "fail",
            "education-ceiling": "pass",
            "no-running-sanction": "missing",
            "no-pending-sanction": "missing",
        },
    ),
    "197509091998031009": (
        "not_eligible",
        {
            "not-structural-or-jf": "pass",
            "time-in-rank": "pass",
            "performance": "fail",
            "education-ceiling": "pass",
            "no-running-sanction": "fail",
        },
    ),
    "199212122019022012": (
        "needs_review",
        {
            "not-structural-or-jf": "missing",
            "time-in-rank": "missing",
            "performance": "pass",
            "education-ceiling": "missing",
            "service-exam": "missing",
            "no-running-sanction": "pass",
        },
    ),
    "197803222005012002": (
        "not_eligible",
        {"not-structural-or-jf": "fail", "time-in-rank": "pass", "performance": "missing", "education-ceiling": "pass"},
    ),
    "199002282015031003": (
        "not_eligible",
        {"not-structural-or-jf": "fail", "education-ceiling": "missing", "performance": "pass"},
    ),
}


@pytest.fixture(scope="module")
def decisions(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, object]]:
    out = tmp_path_factory.mktemp("dossiers")
    code, _stdout, stderr = run("import", "siasn", str(RESPONSES), "--out", str(out))
    assert code == 0, stderr
    paths = [str(out / f"{nip}.json") for nip in EXPECTED]
    code, stdout, stderr = run(
        "check",
        *paths,
        "--position",
        "kenaikan-pangkat-reguler",
        "--as-of",
        "2026-12-01",
        "--format",
        "json",
        "--no-record",
    )
    assert code == 0, stderr  # `layak check` accepts every imported dossier unchanged
    return {d["candidate"]["nip"]: d for d in decisions_of(stdout)}


@pytest.mark.parametrize("nip", sorted(EXPECTED))
def test_verdict_and_requirements_match_the_hand_worked_expectation(
    decisions: dict[str, dict[str, object]], nip: str
) -> None:
    verdict, statuses = EXPECTED[nip]
    decision = decisions[nip]
    requirements = decision["requirements"]
    assert isinstance(requirements, list)
    got = {r["id"]: r["status"] for r in requirements}
    assert {k: got[k] for k in statuses} == statuses
    assert decision["verdict"] == verdict


def test_every_imported_dossier_is_accepted_by_check(tmp_path: Path) -> None:
    code, _out, stderr = run("import", "siasn", str(RESPONSES), "--out", str(tmp_path))
    assert code == 0, stderr
    code, _stdout, stderr = run(
        "check", str(tmp_path), "--position", "pengawas", "--as-of", "2026-12-01", "--no-record"
    )
    assert code == 0, stderr
    assert "12 candidates" in stderr


def test_the_audit_record_carries_the_provenance_and_a_redacted_export_hides_the_nip(tmp_path: Path) -> None:
    nip = "198501152010011001"
    run("import", "siasn", str(RESPONSES / nip), "--out", str(tmp_path / "d"))
    db = str(tmp_path / "audit.db")
    code, _out, stderr = run(
        "check", str(tmp_path / "d"), "--position", "pelaksana", "--as-of", "2026-12-01", "--db", db
    )
    assert code == 0, stderr
    code, export, _err = run("audit", "export", "--db", db)
    [record] = [json.loads(line) for line in export.splitlines() if '"kind":"decision"' in line]
    sha = hashlib.sha256((RESPONSES / nip / "rw-golongan.json").read_bytes()).hexdigest()
    assert sha in json.dumps(record)
    code, redacted, _err = run("audit", "export", "--db", db, "--redact", "--salt", "s")
    assert nip not in redacted and sha in redacted
