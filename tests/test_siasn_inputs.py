"""SIASN inputs other than clean folders: JSON-lines bundles, the CSV export, and broken files."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

from cli_runner import run
from siasn_support import FIXTURES, RESPONSES, bundle_line, decisions_of, normalised, written

from engine.load.candidate import Candidate
from engine.siasn.run import import_siasn

NIPS = sorted(p.name for p in RESPONSES.iterdir())


def test_bundle_gives_the_same_dossiers_as_the_folders(tmp_path: Path) -> None:
    lines = [bundle_line(RESPONSES / nip) for nip in NIPS]
    bundle = tmp_path / "bundle.jsonl"
    bundle.write_bytes(b"".join(lines))
    from_folders, from_bundle = tmp_path / "a", tmp_path / "b"
    assert not import_siasn(RESPONSES, from_folders).failed
    result = import_siasn(bundle, from_bundle)
    assert result.written == NIPS and not result.failed
    for number, nip in enumerate(NIPS, start=1):
        assert normalised(written(from_bundle, nip)) == normalised(written(from_folders, nip))
        files = written(from_bundle, nip)["provenance"]["files"]
        sha = hashlib.sha256(lines[number - 1].rstrip(b"\n")).hexdigest()
        assert files == [{"name": f"bundle.jsonl:{number}", "endpoint": "bundle-line", "sha256": sha}]


def test_bad_bundle_lines_are_located_and_the_others_imported(tmp_path: Path) -> None:
    good = [bundle_line(RESPONSES / nip) for nip in NIPS[:3]]
    other = json.loads(good[1])
    other["responses"]["rw-golongan"] = json.loads(good[2])["responses"]["rw-golongan"]  # someone else's ranks
    bundle = tmp_path / "bundle.ndjson"
    bundle.write_bytes(good[0] + good[0] + good[1][:300] + b"\n" + json.dumps(other).encode() + b"\n" + good[2])
    code, stdout, stderr = run("import", "siasn", str(bundle), "--out", str(tmp_path / "out"), "--format", "json")
    assert code == 3
    report = json.loads(stdout)
    errors = {(f["file"].split()[0], f["code"]) for f in report["findings"] if f["kind"] == "error"}
    assert errors == {
        ("bundle.ndjson:2", "duplicate_nip"),
        ("bundle.ndjson:3", "bad_json"),
        ("bundle.ndjson:4", "other_nip"),
    }
    assert report["written"] == [NIPS[0], NIPS[2]]
    assert "3 NIPs not imported" in stderr


def _broken_folder(tmp_path: Path) -> Path:
    root = tmp_path / "responses"
    for nip in NIPS[:6]:
        shutil.copytree(RESPONSES / nip, root / nip)
    a, b, c, d, e, _f = NIPS[:6]
    golongan = root / a / "rw-golongan.json"
    golongan.write_bytes(golongan.read_bytes()[:200])  # truncated
    shutil.copy(RESPONSES / NIPS[7] / "rw-jabatan.json", root / b / "rw-jabatan.json")  # another NIP's
    body = json.loads((root / c / "rw-pendidikan.json").read_text())
    body["data"].append(dict(body["data"][0]))  # the same row twice
    (root / c / "rw-pendidikan.json").write_text(json.dumps(body))
    (root / d / "rw-skp22.json").write_text("<!DOCTYPE html><html><body>502 Bad Gateway</body></html>")
    with (root / e / "rw-kursus.json").open("wb") as big:  # 50 MB, sparse
        big.truncate(50 * 1024 * 1024)
    return root


def test_broken_files_are_located_errors_and_the_other_nips_still_imported(tmp_path: Path) -> None:
    assert not import_siasn(RESPONSES, tmp_path / "out").failed  # an earlier, good import
    root = _broken_folder(tmp_path)
    code, stdout, stderr = run("import", "siasn", str(root), "--out", str(tmp_path / "out"), "--format", "json")
    assert code == 3
    report = json.loads(stdout)
    errors = {(f["file"], f["code"], f["record_id"], f["key"]) for f in report["findings"] if f["kind"] == "error"}
    a, b, c, d, e, f = NIPS[:6]
    assert errors == {
        (f"{a}/rw-golongan.json", "bad_json", "", ""),
        (f"{b}/rw-jabatan.json", "other_nip", "8AE483C6100201000000000000000000", "nipBaru"),  # P10
        (f"{c}/rw-pendidikan.json", "duplicate_row", "8AE483C6050301000000000000000000", "id"),  # P5
        (f"{d}/rw-skp22.json", "html_page", "", ""),
        (f"{e}/rw-kursus.json", "too_large", "", ""),
    }
    assert report["written"] == [f] and sorted(report["failed"]) == sorted([a, b, c, d, e])
    # The five dossiers of the earlier run are removed, so `layak check` cannot use them by mistake.
    assert {p.name for p in (tmp_path / "out").iterdir()} == {f"{nip}.json" for nip in NIPS if nip not in NIPS[:5]}
    assert {x["nip"] for x in report["findings"] if x["code"] == "stale_removed"} == {a, b, c, d, e}
    assert "1 dossiers written" in stderr and "5 NIPs not imported" in stderr
    assert "Traceback" not in stdout + stderr


def test_gateway_and_message_bodies_are_errors(tmp_path: Path) -> None:
    root = tmp_path / "r"
    shutil.copytree(RESPONSES / NIPS[0], root / NIPS[0])
    (root / NIPS[0] / "rw-hukdis.json").write_text('{"Error": "invalid_token", "Message": "Token expired"}')
    (root / NIPS[0] / "data-utama.json").write_text('{"code": 1, "data": "Data tidak ditemukan"}')
    result = import_siasn(root, None)
    assert result.failed == [NIPS[0]]
    codes = {(x.file.split("/")[1], x.code) for x in result.findings if x.kind == "error"}
    assert codes == {("rw-hukdis.json", "gateway_error"), ("data-utama.json", "message_instead_of_data")}


def test_numbers_where_strings_belong_are_reported_not_converted(tmp_path: Path) -> None:
    root = tmp_path / "r"
    shutil.copytree(RESPONSES / NIPS[0], root / NIPS[0])
    path = root / NIPS[0] / "rw-skp22.json"
    body = json.loads(path.read_text())
    body["data"][0]["hasilKinerjaNilai"] = 2  # a JSON number: SIASN never sends one
    path.write_text(json.dumps(body))
    result = import_siasn(root, tmp_path / "out")
    [finding] = [f for f in result.findings if f.code == "not_a_string"]
    assert (finding.key, finding.record_id, finding.args["value"]) == ("hasilKinerjaNilai", body["data"][0]["id"], "2")
    # Without the hasil rating only the stored predikat (code 2, Baik) of that year is read.
    doc = written(tmp_path / "out", NIPS[0])
    year = next(p for p in doc["performance"] if p["source"]["record_id"] == body["data"][0]["id"])
    assert year.get("predikat") == "BAIK" and "rating_hasil_kerja" not in year


def test_csv_export_fills_the_current_state(tmp_path: Path) -> None:
    from ruamel.yaml import YAML

    code, _stdout, stderr = run("import", "siasn", str(FIXTURES / "export.csv"), "--out", str(tmp_path))
    assert code == 0, stderr
    assert sorted(p.stem for p in tmp_path.iterdir()) == [
        "198002022005011002",
        "198706142014031001",
        "199105052015032003",
        "200001012025012001",
    ]
    expected = YAML(typ="safe", pure=True).load((FIXTURES / "expected-csv" / "198706142014031001.yaml").read_text())
    doc = written(tmp_path, "198706142014031001")
    assert normalised(doc) == normalised(expected)
    sha = hashlib.sha256((FIXTURES / "export.csv").read_bytes()).hexdigest()
    assert doc["provenance"]["files"] == [{"name": "export.csv:2", "endpoint": "csv-export", "sha256": sha}]
    cpns = Candidate.model_validate(written(tmp_path, "200001012025012001"))
    assert cpns.legal_position is not None
    assert (cpns.employee_status, cpns.tmt_pns, cpns.legal_position.code) == ("CPNS", None, "51")


def test_csv_histories_are_missing_never_failed(tmp_path: Path) -> None:
    run("import", "siasn", str(FIXTURES / "export.csv"), "--out", str(tmp_path))
    code, stdout, stderr = run(
        "check",
        str(tmp_path / "198706142014031001.json"),
        "--position",
        "kenaikan-pangkat-reguler",
        "--as-of",
        "2026-12-01",
        "--format",
        "json",
        "--no-record",
    )
    assert code == 0, stderr
    [decision] = decisions_of(stdout)
    statuses = {r["id"]: r["status"] for r in decision["requirements"]}
    # Pelaksana since 2020-01-02; III/b since 2022-04-01 = 56 months; the export has no SKP, no sanctions
    # (the rule fails missing sanction evidence, but an unrecorded history is only unknown) and no
    # recognition for rank.
    assert statuses == {
        "pns-status": "pass",
        "not-structural-or-jf": "pass",
        "time-in-rank": "pass",
        "performance": "missing",
        "education-ceiling": "missing",
        "service-exam": "pass",
        "kp-period": "pass",
        "no-running-sanction": "missing",
        "no-pending-sanction": "missing",
    }
    assert decision["verdict"] == "needs_review"


def test_csv_snake_case_header_and_semicolons(tmp_path: Path) -> None:
    text = (FIXTURES / "export.csv").read_text().splitlines()
    header = text[0].lower().replace(" ", "_").replace(",", ";")
    rows = [line.replace(",", ";") for line in text[1:3]]
    (tmp_path / "export.csv").write_text("\n".join([header, *rows]) + "\n")
    result = import_siasn(tmp_path / "export.csv", tmp_path / "out")
    assert result.written == ["198706142014031001", "200001012025012001"]


def test_csv_row_that_cannot_make_a_dossier_is_an_error(tmp_path: Path) -> None:
    text = (FIXTURES / "export.csv").read_text().splitlines()
    bad = text[1].replace(",32,III/b,", ",50,III/b,")  # golongan id 50 does not exist
    (tmp_path / "export.csv").write_text("\n".join([text[0], bad, text[2]]) + "\n")
    code, stdout, _stderr = run(
        "import", "siasn", str(tmp_path / "export.csv"), "--out", str(tmp_path / "o"), "--format", "json"
    )
    assert code == 3
    report = json.loads(stdout)
    assert report["failed"] == ["198706142014031001"] and report["written"] == ["200001012025012001"]
    codes = {(f["code"], f["file"], f["key"]) for f in report["findings"] if f["nip"] == "198706142014031001"}
    assert ("unknown_code", "export.csv:2", "golRuangAkhirId") in codes
    assert ("dossier_invalid", "export.csv:2", "pangkat") in codes


def test_path_that_is_no_input_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("x")
    code, _out, stderr = run("import", "siasn", str(tmp_path / "notes.txt"), "--out", str(tmp_path / "o"))
    assert code == 2 and "expected one folder" in stderr


def test_a_history_of_another_person_without_nip_keys_is_caught_by_person_id(tmp_path: Path) -> None:
    # rw-skp22 rows carry no NIP, only the appraisee's SIASN person id (pnsDinilaiId).
    root = tmp_path / "r"
    shutil.copytree(RESPONSES / "198501152010011001", root / "198501152010011001")
    shutil.copy(RESPONSES / "199002282015031003" / "rw-skp22.json", root / "198501152010011001" / "rw-skp22.json")
    result = import_siasn(root, None)
    assert result.failed == ["198501152010011001"]
    [error] = [f for f in result.findings if f.kind == "error"]
    assert (error.code, error.file, error.record_id, error.key, error.args["found"]) == (
        "other_person",
        "198501152010011001/rw-skp22.json",
        "5f0c1d2e-0304-4001-8000-000000000000",
        "pnsDinilaiId",
        "A8ACA8F0030000000000000000000000",
    )
