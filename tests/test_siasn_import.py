"""`layak import siasn` on the twelve synthetic civil servants of fixtures/siasn: golden dossiers written by
hand from the mapping tables, provenance, and the import report."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest
from cli_runner import run
from siasn_support import EXPECTED, FIXTURES, RESPONSES, golden, normalised, written

from engine.audit.snapshot import snapshot
from engine.load.candidate import Candidate
from engine.siasn.tables import rows, table

NIPS = sorted(p.stem for p in EXPECTED.glob("*.yaml"))


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    out = tmp_path_factory.mktemp("dossiers")
    code, stdout, stderr = run("import", "siasn", str(RESPONSES), "--out", str(out), "--format", "json")
    assert code == 0, stderr
    assert "12 dossiers written" in stderr
    return out, json.loads(stdout)


def test_twelve_civil_servants() -> None:
    assert len(NIPS) == 12
    assert sorted(p.name for p in RESPONSES.iterdir()) == NIPS


@pytest.mark.parametrize("nip", NIPS)
def test_dossier_matches_the_hand_written_golden(imported: tuple[Path, dict[str, Any]], nip: str) -> None:
    out, _report = imported
    assert normalised(written(out, nip)) == golden(nip)


@pytest.mark.parametrize("nip", NIPS)
def test_provenance_fingerprints_every_response_file(imported: tuple[Path, dict[str, Any]], nip: str) -> None:
    out, _report = imported
    files = written(out, nip)["provenance"]["files"]
    expected = [
        {"name": p.name, "endpoint": p.stem, "sha256": hashlib.sha256(p.read_bytes()).hexdigest()}
        for p in sorted(RESPONSES.joinpath(nip).glob("*.json"), key=lambda p: p.stem)
    ]
    assert files == expected


def test_every_mapped_entry_keeps_its_siasn_row_id(imported: tuple[Path, dict[str, Any]]) -> None:
    out, _report = imported
    for nip in NIPS:
        doc = written(out, nip)
        for history in ("pangkat", "education", "positions", "performance", "discipline", "trainings"):
            for entry in doc.get(history, []):
                assert entry["source"]["system"] == "SIASN"
                assert len(entry["source"]["record_id"]) in (32, 36), (nip, history, entry)


def test_the_audit_snapshot_carries_the_provenance(imported: tuple[Path, dict[str, Any]]) -> None:
    out, _report = imported
    candidate = Candidate.model_validate(written(out, NIPS[0]))
    shot = snapshot(candidate)
    assert candidate.provenance is not None
    assert shot["provenance"]["files"][0]["sha256"] == candidate.provenance.files[0].sha256
    assert shot["pangkat"][0]["source"]["record_id"]


def _findings(report: dict[str, Any], nip: str, kind: str) -> list[dict[str, Any]]:
    return [f for f in report["findings"] if f["nip"] == nip and f["kind"] == kind]


def test_report_names_the_predikat_that_disagrees_with_the_matrix(imported: tuple[Path, dict[str, Any]]) -> None:
    _out, report = imported
    # Sri Wahyuni 2025: hasil 1 (di atas) x perilaku 3 (di bawah) = Kurang/Misconduct; SIASN stores 3.
    [finding] = _findings(report, "197803222005012002", "disagreement")
    assert finding["file"] == "197803222005012002/rw-skp22.json"
    assert finding["record_id"] == "5f0c1d2e-0204-4002-8000-000000000000"
    assert finding["key"] == "KuadranKinerjaNilai"
    assert finding["args"]["computed"] == "KURANG_MISCONDUCT"
    assert finding["args"]["stored"] == "3 BUTUH_PERBAIKAN"


def test_report_names_the_rank_that_disagrees_with_the_history(imported: tuple[Path, dict[str, Any]]) -> None:
    _out, report = imported
    [finding] = _findings(report, "199212122019022012", "disagreement")
    assert (finding["key"], finding["code"]) == ("golRuangAkhirId", "rank_differs")
    assert finding["args"]["profile"] == "III/a TMT 2025-04-01"
    assert finding["args"]["history"] == "II/d TMT 2023-04-01"
    assert finding["args"]["history_row"] == "5f0c1d2e-1201-4002-8000-000000000000"


def test_report_locates_every_unknown_code(imported: tuple[Path, dict[str, Any]]) -> None:
    _out, report = imported
    unknown = {
        (f["file"].split("/")[1], f["record_id"], f["key"], f["args"]["value"])
        for f in _findings(report, "198008082005011011", "unmapped")
        if f["code"] == "unknown_code"
    }
    assert unknown == {
        ("rw-golongan.json", "5f0c1d2e-1101-4003-8000-000000000000", "golonganId", "46"),
        ("rw-pendidikan.json", "8AE483C6110302000000000000000000", "tkPendidikanId", "99"),
        ("rw-skp22.json", "5f0c1d2e-1104-4002-8000-000000000000", "hasilKinerjaNilai", "4"),
        ("rw-hukdis.json", "5f0c1d2e-1106-4003-8000-000000000000", "jenisHukuman", "99"),
        ("rw-hukdis.json", "8AE483C6110604000000000000000000", "jenisHukuman", "R"),
    }


def test_report_lists_each_inferred_value(imported: tuple[Path, dict[str, Any]]) -> None:
    _out, report = imported
    inferred = [(f["record_id"], f["key"]) for f in _findings(report, "198501152010011001", "inferred")]
    # Ahmad Fadli: two pre-2024 posts (acting status assumed, end from the next post), one SLTA without a
    # diploma date, the S1 entry education, two SKP schemes from the year, the Latsar recognised by name.
    assert sorted(inferred) == sorted(
        [
            ("8AE483C6010201000000000000000000", "appointment"),
            ("8AE483C6010201000000000000000000", "tmt_end"),
            ("8AE483C6010202000000000000000000", "appointment"),
            ("8AE483C6010202000000000000000000", "tmt_end"),
            ("8AE483C6010301000000000000000000", "graduated"),
            ("8AE483C6010302000000000000000000", "recognised_for_rank"),
            ("8AE483C6010501000000000000000000", "scheme"),
            ("8AE483C6010502000000000000000000", "scheme"),
            ("5f0c1d2e-0108-4001-8000-000000000000", "type"),
        ]
    )


def test_review_flags_legal_positions_other_than_active(imported: tuple[Path, dict[str, Any]]) -> None:
    _out, report = imported
    flagged = {f["nip"]: f["args"]["value"] for f in report["findings"] if f["code"] == "not_active"}
    assert flagged == {
        "196905051990031005": "20 Masa Persiapan Pensiun",
        "196501011990031007": "07 Pejabat Negara",
        "198806062012122008": "03 Tugas Belajar",
    }


def test_report_formats_and_languages(tmp_path: Path) -> None:
    folder = RESPONSES / "197803222005012002"
    for fmt in ("table", "csv", "markdown"):
        code, stdout, _err = run(
            "import", "siasn", str(folder), "--out", str(tmp_path), "--format", fmt, "--lang", "id"
        )
        assert code == 0
        if fmt == "table":  # long texts wrap inside their column: the words are there, maybe on different lines
            assert {"tidak", "sesuai", "matriks"} <= set(stdout.split())
            continue
        assert "tidak sesuai" in stdout and "matriks PermenPANRB 6/2022" in stdout
    code, stdout, _err = run("import", "siasn", str(folder), "--out", str(tmp_path), "--format", "csv")
    assert stdout.splitlines()[0] == "nip,kind,file,record_id,key,message"


def _fixture_values(endpoint: str, key: str) -> set[str]:
    values: set[str] = set()
    for path in RESPONSES.glob(f"*/{endpoint}.json"):
        data = json.loads(path.read_text())["data"]
        for record in [data] if isinstance(data, dict) else data if isinstance(data, list) else []:
            if isinstance(record.get(key), str):
                values.add(record[key])
    return values


@pytest.mark.parametrize(
    ("name", "part", "endpoint", "key"),
    [
        ("golongan", "table", "rw-golongan", "golonganId"),
        ("jenis_jabatan", "table", "rw-jabatan", "jenisJabatan"),
        ("eselon", "table", "rw-jabatan", "eselonId"),
        ("tingkat_pendidikan", "table", "rw-pendidikan", "tkPendidikanId"),
        ("jenis_kp", "table", "rw-golongan", "jenisKPId"),
        ("jenis_hukuman", "table", "rw-hukdis", "jenisHukuman"),
        ("predikat", "kuadran", "rw-skp22", "KuadranKinerjaNilai"),
        ("predikat", "rating", "rw-skp22", "hasilKinerjaNilai"),
        ("predikat", "rating", "rw-skp22", "PerilakuKerjaNilai"),
        ("penugasan", "table", "rw-jabatan", "jenisPenugasanId"),
    ],
)
def test_fixtures_cover_every_row_of_the_mapping_tables(name: str, part: str, endpoint: str, key: str) -> None:
    assert set(rows(name, part)) <= _fixture_values(endpoint, key)


def test_every_mapping_table_names_its_source() -> None:
    for path in (Path(__file__).resolve().parent.parent / "engine" / "siasn" / "tables").glob("*.yaml"):
        assert len(table(path.stem)["source"]) > 40, path


def test_fixtures_hold_each_pitfall() -> None:
    texts = {p: p.read_text() for p in RESPONSES.glob("*/*.json")}
    assert any('"tmtGolongan": "2010-01-01T00:00:00Z"' in t for t in texts.values())  # ISO rank TMT
    assert any('"tmtGolongan": "01-04-2009"' in t for t in texts.values())  # dd-mm-yyyy rank TMT
    assert any('"tmtPelantikan": "01-01-0001"' in t for t in texts.values())  # the zero-date sentinel
    assert any('"tanggalKursus": "-"' in t for t in texts.values())  # a dash for missing
    assert any('"data": "Data tidak ditemukan"' in t for t in texts.values())  # an empty history
    assert any('"PerilakuKerjaNilai"' in t and '"KuadranKinerjaNilai"' in t for t in texts.values())
    assert any('"skPembatalanNomor": "800/12/2025"' in t for t in texts.values())  # an annulled sanction
    assert any('"id": "8AE483C6' in t for t in texts.values()) and any('"id": "5f0c1d2e-' in t for t in texts.values())
    assert FIXTURES.joinpath("people.py").exists()
