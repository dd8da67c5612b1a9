"""`layak report`: the board's document is built from the audit store's records, all of them and only them.

Expected values come from the records themselves (`audit list`, `audit head`) and from hand computation:
Rudi Hartono is Pengawas since 2023-12-02, so three years of it (PP 11/2017 Pasal 54) are reached on
2026-12-02 and four on 2027-12-02; Indra Kurniawan's age cap for JPT Pratama is waived by the President
(B-77/M.SM.02.03/2025) as his file says.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from cli_runner import run
from conftest import raw_sql
from rules_support import RULES, raise_experience

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures" / "candidates"
BOARD = "SK 821/2026"
AS_OF = "2026-12-01"
PEOPLE = ("budi-santoso", "eko-prasetyo", "rudi-hartono", "agus-setiawan", "wulan-sari")
HOSTILE = '<script>alert("x")</script> Siti & Co'


def record(db: str, paths: list[Path], *extra: str, position: str = "administrator") -> None:
    code, _out, err = run(
        "check", *map(str, paths), "--position", position, "--as-of", AS_OF, "--db", db, "--format", "json", *extra
    )
    assert code == 0, err


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A store holding one board run (five fixtures and a candidate with markup in the name) and another run."""
    folder = tmp_path_factory.mktemp("board")
    paths = [FIXTURES / f"{name}.yaml" for name in PEOPLE]
    hostile = folder / "hostile.yaml"
    hostile.write_text((FIXTURES / "siti-rahma.yaml").read_text().replace("name: Siti Rahma", f"name: '{HOSTILE}'"))
    db = str(folder / "audit.db")
    record(db, [*paths, hostile], "--board", BOARD)
    record(db, [FIXTURES / "indra-kurniawan.yaml"], "--board", "SK 9/2026", position="jpt-pratama")
    return db


def listed(db: str, *args: str) -> list[dict[str, object]]:
    code, out, err = run("audit", "list", "--db", db, "--format", "json", *args)
    assert code == 0, err
    rows: list[dict[str, object]] = json.loads(out)
    return rows


def report(db: str, *args: str) -> str:
    code, out, err = run("report", "--db", db, *args)
    assert code == 0, err
    return out


def sections(html: str) -> dict[int, str]:
    """Each candidate section's HTML by the record number it prints."""
    parts = re.split(r'(?=<section class="candidate")', html)[1:]
    out: dict[int, str] = {}
    for part in parts:
        seq = re.search(r'data-seq="(\d+)"', part)
        assert seq is not None, part[:200]
        out[int(seq.group(1))] = part
    return out


@pytest.fixture(scope="module")
def board_html(store: str) -> str:
    return report(store, "--board", BOARD)


def test_every_recorded_candidate_has_a_section_and_no_other(store: str, board_html: str) -> None:
    rows = listed(store, "--board", BOARD)
    assert len(rows) == len(PEOPLE) + 1
    found = sections(board_html)
    assert sorted(found) == sorted(int(str(r["seq"])) for r in rows)
    for row in rows:
        part = found[int(str(row["seq"]))]
        assert f'id="decision-{row["decision_id"]}"' in part and str(row["nip"]) in part
    assert "Indra Kurniawan" not in board_html  # recorded for another board


def test_counts_match_the_records(store: str, board_html: str) -> None:
    rows = listed(store, "--board", BOARD)
    printed = {v: int(n) for v, n in re.findall(r'data-verdict="(\w+)">(\d+)<', board_html)}
    expected = {v: sum(1 for r in rows if r["verdict"] == v) for v in ("eligible", "needs_review", "not_eligible")}
    assert printed == expected
    # Hand-checked verdicts of the fixtures (see `layak explain`): two eligible; Eko (acting service, no health
    # certificate) and Agus (D-III under the unconfirmed S1 floor) open; Rudi and Wulan failing.
    assert expected == {"eligible": 2, "needs_review": 2, "not_eligible": 2}
    data = json.loads(report(store, "--board", BOARD, "--format", "json"))
    assert data["counts"] == expected and data["total"] == len(rows)


def test_cover_shows_the_head_that_audit_head_prints_and_it_verifies_later(
    store: str, board_html: str, tmp_path: Path
) -> None:
    code, out, _err = run("audit", "head", "--db", store, "--format", "json")
    head = json.loads(out)["head"]
    assert re.search(rf'id="head">{re.escape(head)}<', board_html)
    assert f"layak audit verify --expect-head {head}" in board_html
    assert "SK 821/2026" in board_html and "administrator" in board_html and AS_OF in board_html
    assert f'id="replayed" class="">{len(PEOPLE) + 1} of {len(PEOPLE) + 1} records give the same' in board_html
    ruleset = json.loads(report(store, "--board", BOARD, "--format", "json"))["ruleset"]
    assert ruleset["hash"] in board_html and ruleset["version"] in board_html
    # Later, on a copy of the store that has grown, the printed head still checks out.
    copy = str(tmp_path / "later.db")
    shutil.copy(store, copy)
    record(copy, [FIXTURES / "siti-rahma.yaml"], "--board", "SK 10/2026")
    assert run("audit", "verify", "--db", copy, "--expect-head", head)[0] == 0


def test_markup_in_a_name_stays_text(board_html: str) -> None:
    assert "<script" not in board_html.lower()
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; Siti &amp; Co" in board_html


def test_the_file_is_self_contained(board_html: str) -> None:
    """Nothing to fetch: references stay inside the file, charts are inline SVG drawn by matplotlib."""
    assert "<script" not in board_html.lower() and " src=" not in board_html and "@import" not in board_html
    references = re.findall(r'(?:href="|url\()([^")]*)', board_html)
    assert references and all(ref.startswith("#") for ref in references)
    assert board_html.count("<svg") == 2  # the chart of unmet requirements and the JPM histogram


def test_shortlist_ranks_as_check_does(store: str, board_html: str) -> None:
    code, out, err = run(
        "check",
        *(str(FIXTURES / f"{n}.yaml") for n in PEOPLE),
        "--position",
        "administrator",
        "--as-of",
        AS_OF,
        "--no-record",
        "--format",
        "json",
    )
    ranked = [d["decision"]["candidate"]["nip"] for d in json.loads(out)["decisions"]]
    shortlist = board_html[board_html.index('id="shortlist"') :]
    positions = [shortlist.index(nip) for nip in ranked]
    assert positions == sorted(positions)


def test_what_would_make_eligible_and_when(board_html: str) -> None:
    rudi = next(part for part in sections(board_html).values() if "Rudi Hartono" in part)
    assert "2026-12-02" in rudi  # Pengawas from 2023-12-02: three years on 2026-12-02
    assert 'data-requirement="experience-pengawas"' in rudi


def test_waivers_show_authority_and_document(store: str) -> None:
    html = report(store, "--board", "SK 9/2026")
    waivers = html[html.index('class="waivers"') :]
    assert "max-age" in waivers and "PRESIDEN" in waivers and "B-77/M.SM.02.03/2025" in waivers


def test_selection_by_seq_range_and_decision_ids(store: str) -> None:
    rows = listed(store)
    assert sorted(sections(report(store, "--seq", "2-3"))) == [2, 3]
    ids = [str(rows[0]["decision_id"]), str(rows[4]["decision_id"])]
    assert sorted(sections(report(store, "--decision", ids[0], "--decision", ids[1]))) == [1, 5]


def test_bad_selections_are_clear_errors(store: str) -> None:
    code, _out, err = run("report", "--db", store, "--board", "SK 404/2026")
    assert code == 3 and "no recorded decisions for board 'SK 404/2026'" in err and "Traceback" not in err
    code, _out, err = run("report", "--db", store, "--seq", "5-7")  # two runs: administrator and jpt-pratama
    assert code == 3 and "several positions" in err
    assert run("report", "--db", store)[0] == 2
    assert run("report", "--db", store, "--board", BOARD, "--seq", "1-2")[0] == 2
    assert run("report", "--db", store, "--seq", "9-2")[0] == 2


def test_texts_thresholds_and_what_if_come_from_the_stored_ruleset(tmp_path: Path) -> None:
    """Rules changed after the board met (or deleted) do not change what the report prints."""
    rules = tmp_path / "rules-then"
    shutil.copytree(RULES, rules, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    managerial = rules / "national" / "managerial.yaml"
    text = raise_experience(managerial.read_text()).replace("Education at least S1/D-IV", "Education S1/D-IV (then)")
    managerial.write_text(text)
    db = str(tmp_path / "audit.db")
    record(db, [FIXTURES / "rudi-hartono.yaml"], "--board", BOARD, "--rules", str(rules))
    shutil.rmtree(rules)
    html = report(db, "--board", BOARD)
    assert "Education S1/D-IV (then)" in html and "Education at least S1/D-IV" not in html
    assert "≥ 4 years" in html and "2027-12-02" in html and "2026-12-02" not in html


def test_indonesian_report(store: str) -> None:
    html = report(store, "--board", BOARD, "--lang", "id")
    assert '<html lang="id">' in html and "Laporan sidang" in html and "memenuhi syarat" in html
    assert "Pendidikan paling rendah S1/D-IV" in html


def test_files_are_written_whole(store: str, tmp_path: Path) -> None:
    out = tmp_path / "board.html"
    code, stdout, err = run("report", "--db", store, "--board", BOARD, "--out", str(out))
    assert code == 0 and stdout == "" and str(out) in err
    assert out.read_text().startswith("<!DOCTYPE html>") and out.read_text().rstrip().endswith("</html>")
    code, _out, err = run("report", "--db", store, "--board", BOARD, "--out", str(tmp_path / "no" / "x.html"))
    assert code == 3 and "cannot write" in err


def test_replays_are_left_out_and_a_second_run_must_be_chosen(store: str, tmp_path: Path) -> None:
    copy = str(tmp_path / "copy.db")
    shutil.copy(store, copy)
    code, _out, err = run("replay", "--all", "--record", "--db", copy)
    assert code == 0, err
    assert len(listed(copy, "--board", BOARD)) == 2 * (len(PEOPLE) + 1)  # the replays carry the board too
    before = sorted(sections(report(store, "--board", BOARD)))
    assert sorted(sections(report(copy, "--board", BOARD))) == before
    record(copy, [FIXTURES / "siti-rahma.yaml"], "--board", BOARD)  # the board decides again
    code, _out, err = run("report", "--db", copy, "--board", BOARD)
    assert code == 3 and "was decided in 2 runs" in err and "--seq" in err


def test_a_record_that_no_longer_replays_is_flagged(store: str, tmp_path: Path) -> None:
    """A stored ruleset changed after the fact (Education raised to S3): Budi Santoso (S2) replays otherwise."""
    copy = str(tmp_path / "tampered.db")
    shutil.copy(store, copy)
    with raw_sql(copy) as conn:
        body = conn.exec_driver_sql("SELECT hash, body FROM audit_rulesets").fetchall()
        for digest, text in body:
            edited = text.replace(
                '"text":{"en":"Education at least S1/D-IV","id":"Pendidikan paling rendah S1/D-IV"},"value":"S1"',
                '"text":{"en":"Education at least S1/D-IV","id":"Pendidikan paling rendah S1/D-IV"},"value":"S3"',
            )
            conn.exec_driver_sql("UPDATE audit_rulesets SET body = ? WHERE hash = ?", (edited, digest))
        conn.commit()
    html = report(copy, "--board", BOARD)
    total = len(PEOPLE) + 1  # every record now rests on a ruleset whose content hash is not the recorded one
    assert f'id="replayed" class="warn">0 of {total} records give the same' in html
    budi = next(part for part in sections(html).values() if "Budi Santoso" in part)
    # (the S1 floor is unconfirmed, so an S2 under S3 goes to the board: status and note both change)
    assert "DIFFERS from the record: (ruleset) hash; (verdict) value; education note; education status" in budi
    agus = next(part for part in sections(html).values() if "Agus Setiawan" in part)  # D-III: fails either way
    assert "DIFFERS from the record: (ruleset) hash<" in agus
