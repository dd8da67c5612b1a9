"""Rule pack round 2 (issue 8): dated waivers and their replay, the retirement-age horizon of the what-if,
the discipline lint, document ages exact to the day, and the new candidate fields in the schema.

Every date is computed by hand from the fixture's dates and the regulation named in each test.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from cli_runner import run

from engine.facts.calendar import started_months, without_leave
from engine.facts.derive import derive
from engine.load.intake import load_candidates
from engine.tools.lint import lint

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures" / "candidates"
WAWAN = FIXTURES / "wawan-setiadi.yaml"
HARTONO = FIXTURES / "hartono-wijaya.yaml"


def explain(path: Path, position: str, as_of: str, *more: str) -> dict[str, Any]:
    """`explain --format json`: the decision record (verdict, requirement statuses and notes) and the what-if."""
    code, out, err = run("explain", str(path), "--position", position, "--as-of", as_of, "--format", "json", *more)
    assert code in (0, 1), err
    doc: dict[str, Any] = json.loads(out)
    return {**doc["decision"], "what_if": doc["what_if"]}


def table(path: Path, position: str, as_of: str, *more: str) -> str:
    # Markdown keeps each cell on one line (the terminal table wraps long notes over several lines).
    code, out, err = run("explain", str(path), "--position", position, "--as-of", as_of, "--format", "markdown", *more)
    assert code in (0, 1), err
    return out


def requirement(doc: dict[str, Any], req_id: str) -> dict[str, Any]:
    found: dict[str, Any] = next(r for r in doc["requirements"] if r["id"] == req_id)
    return found


@pytest.mark.parametrize(
    ("as_of", "verdict", "status", "code", "words"),
    [
        # PP 17/2020 Pasal 107 ayat (2): prior approval. Approval dated 2026-01-16, expires 2026-03-31; aged 57.
        ("2026-01-15", "not_eligible", "fail", "waiver_later", "dated 2026-01-16, after 2026-01-15"),
        ("2026-01-16", "eligible", "waived", "waived", "waived by PRESIDEN"),
        ("2026-03-31", "eligible", "waived", "waived", "waived by PRESIDEN"),
        ("2026-04-01", "not_eligible", "fail", "waiver_expired", "expired on 2026-03-31, before 2026-04-01"),
    ],
)
def test_waiver_counts_from_its_date_through_its_expiry(
    as_of: str, verdict: str, status: str, code: str, words: str
) -> None:
    doc = explain(WAWAN, "jpt-pratama", as_of)
    assert doc["verdict"] == verdict
    age = requirement(doc, "max-age")
    assert age["status"] == status and age["note"]["code"] == code
    assert words in table(WAWAN, "jpt-pratama", as_of)


def test_waiver_note_in_indonesian() -> None:
    text = table(WAWAN, "jpt-pratama", "2026-01-15", "--lang", "id")
    assert "terlebih dahulu" in text and "bertanggal 2026-01-16, sesudah 2026-01-15" in text


def test_replay_gives_the_waiver_answer_given_then(tmp_path: Path) -> None:
    db = str(tmp_path / "store.db")
    verdicts = {}
    for as_of in ("2026-01-15", "2026-01-16", "2026-04-01"):
        code, out, err = run(
            "check", str(WAWAN), "--position", "jpt-pratama", "--as-of", as_of, "--db", db, "--format", "json"
        )
        assert code in (0, 1), err
        verdicts[as_of] = json.loads(out)["decisions"][0]["decision"]["verdict"]
    assert verdicts == {"2026-01-15": "not_eligible", "2026-01-16": "eligible", "2026-04-01": "not_eligible"}
    code, out, err = run("replay", "--all", "--db", db, "--format", "json")
    assert code == 0, err
    replayed = json.loads(out)
    assert len(replayed) == 3 and {r["result"] for r in replayed} == {"IDENTICAL"}


def test_waiver_expiring_before_its_date_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(WAWAN.read_text().replace("expires: 2026-03-31", "expires: 2026-01-01"))
    code, _out, err = run("explain", str(path), "--position", "jpt-pratama", "--as-of", "2026-01-16")
    assert code != 0 and "expires is before date" in err and "Traceback" not in err


def test_what_if_proposes_no_date_past_the_retirement_age() -> None:
    # Born 1968-12-02: the administration BUP of 58 (PP 11/2017 Pasal 239) is reached on 2026-12-02. Eligible on
    # 2026-12-01 (the day before), and only through that day.
    what = explain(HARTONO, "administrator", "2026-12-01")["what_if"]
    assert (what["eligible_on"], what["eligible_until"]) == ("2026-12-01", "2026-12-01")
    # Past the BUP no date at all is proposed: the scan does not look beyond it.
    late = explain(HARTONO, "administrator", "2026-12-02")
    assert late["verdict"] == "not_eligible"
    assert late["what_if"]["eligible_on"] is None
    assert all(c["passes_on"] is None for c in late["what_if"]["changes"])


def test_what_if_stops_at_the_bup_for_a_requirement_met_only_later(tmp_path: Path) -> None:
    # Pengawas from 2024-01-04 (36 months on 2027-01-04), born 1968-12-02 (BUP 58 on 2026-12-02): the experience
    # would be met on 2027-01-04, after the BUP, so no date is proposed for it.
    path = tmp_path / "late.yaml"
    text = (
        HARTONO.read_text()
        .replace("tmt_end: 2021-01-04", "tmt_end: 2024-01-04")
        .replace("tmt_start: 2021-01-04", "tmt_start: 2024-01-04")
    )
    path.write_text(text)
    doc = explain(path, "administrator", "2026-11-01")
    assert doc["verdict"] == "not_eligible"
    experience = next(c for c in doc["what_if"]["changes"] if c["id"] == "experience")
    assert experience["passes_on"] is None
    assert doc["what_if"]["eligible_on"] is None
    lapse_ids = {lapse["id"] for lapse in doc["what_if"]["lapses"]}
    assert "below-bup" in lapse_ids


@pytest.mark.parametrize(
    ("start", "end", "months"),
    [
        (dt.date(2026, 6, 1), dt.date(2026, 12, 1), 6),  # exactly six months
        (dt.date(2026, 6, 1), dt.date(2026, 12, 2), 7),  # six months and a day: over a six-month window
        (dt.date(2026, 6, 1), dt.date(2026, 6, 1), 0),
        (dt.date(2026, 6, 1), dt.date(2026, 6, 2), 1),
        (dt.date(2024, 2, 29), dt.date(2025, 3, 1), 12),  # the 12th month from 29 Feb completes when March begins
    ],
)
def test_started_months(start: dt.date, end: dt.date, months: int) -> None:
    assert started_months(start, end) == months


def test_discipline_lint(tmp_path: Path) -> None:
    rules = tmp_path / "rules"
    (rules / "national").mkdir(parents=True)
    managerial = rules / "national" / "managerial.yaml"
    shutil.copy(ROOT / "rules" / "national" / "managerial.yaml", managerial)
    text = managerial.read_text()
    # Remove the look-back from Pengawas: the lint names the position and the missing fact.
    start = text.index("  - id: pengawas\n")
    cut = text.index("      - id: no-recent-sanction\n", start)
    end = text.index("      - id: health\n", cut)
    managerial.write_text(text[:cut] + text[end:])
    found = [f.problem for f in lint(rules) if f.problem.code == "discipline"]
    assert len(found) == 1 and "'pengawas'" in found[0].message and "worst_sanction_last_24m" in found[0].message
    # Saying why (both languages) satisfies it.
    text = managerial.read_text()
    managerial.write_text(
        text.replace(
            "    title: {en: Pengawas (former echelon IV), id: Pengawas (eks eselon IV)}\n",
            "    title: {en: Pengawas (former echelon IV), id: Pengawas (eks eselon IV)}\n"
            "    discipline_omitted: {en: test reason, id: alasan uji}\n",
        )
    )
    assert not [f for f in lint(rules) if f.problem.code == "discipline"]


def test_national_pack_carries_discipline_everywhere() -> None:
    found = [
        f.problem
        for f in lint(ROOT / "rules" / "national")
        if f.problem.code == "discipline" and "kenaikan-pangkat" not in f.problem.file
    ]
    assert found == []


def test_new_candidate_fields_are_in_the_schema() -> None:
    code, out, err = run("schema", "candidate")
    assert code == 0, err
    schema = json.loads(out)
    waiver = schema["$defs"]["Waiver"]["properties"]
    assert "expires" in waiver


def test_an_overlay_may_set_another_assessment_window(tmp_path: Path) -> None:
    # The national window is 36 months (Peraturan BKN 26/2019 Pasal 29 ayat (4)); an agency overlay replaces the
    # requirement by id with 24 months. Siti Rahma's assessment of 2025-09-10 is 26 months and 21 days old on
    # 2027-12-01 (started months: 27): valid nationally, too old under the overlay.
    rules = tmp_path / "rules"
    shutil.copytree(ROOT / "rules" / "national", rules / "national", ignore=shutil.ignore_patterns("*.cases.yaml"))
    (rules / "agency").mkdir()
    (rules / "agency" / "window.yaml").write_text("""\
ruleset:
  id: window-24
  version: "1"
  title: {en: Two-year assessment window, id: Masa berlaku penilaian dua tahun}
  effective_from: 2025-01-01
  basis: [Contoh keputusan instansi]
  extends: national
positions:
  - id: administrator
    title: {en: Administrator, id: Administrator}
    basis: PP 11/2017 Pasal 54
    requirements:
      - id: assessment-valid
        fact: assessment_months_started
        op: lte
        value: 24m
        basis: Contoh keputusan instansi
        text: {en: Assessment at most 2 years old, id: Penilaian kompetensi paling lama 2 tahun}
""")
    siti = str(FIXTURES / "siti-rahma.yaml")
    national = explain(Path(siti), "administrator", "2027-12-01", "--rules", str(rules))
    overlay = explain(Path(siti), "administrator", "2027-12-01", "--rules", str(rules), "--ruleset", "window-24")
    assert requirement(national, "assessment-valid")["status"] == "pass"
    assert requirement(overlay, "assessment-valid")["status"] == "fail"


def test_cltn_is_taken_out_of_service_rank_and_post() -> None:
    # CLTN 2024-02-01..2024-08-01 = 6 months 0 days. Pengawas from 2023-06-01: 36 months on 2026-12-01 (not
    # 2026-06-01). Rank III/d from 2018-04-01: 104 months on 2026-12-01 without leave, 98 with it. Service since
    # 2006-04-01: 248 months, 242 with the leave taken out.
    [loaded], problems = load_candidates([FIXTURES / "ratih-puspitasari.yaml"])
    assert problems == []
    facts = derive(loaded.candidate, dt.date(2026, 12, 1))
    assert facts.values["months_in_post.pengawas"] == 36
    assert derive(loaded.candidate, dt.date(2026, 11, 30)).values["months_in_post.pengawas"] == 35
    assert facts.values["months_in_rank"] == 98
    assert facts.values["months_of_service"] == 242
    assert facts.anchors["months_in_post.pengawas"] == dt.date(2023, 12, 1)


@pytest.mark.parametrize(
    ("leave", "start", "end"),
    [
        # ended inside the period: the start moves by its months and days
        ((dt.date(2024, 2, 1), dt.date(2024, 8, 1)), dt.date(2023, 12, 1), dt.date(2026, 12, 1)),
        ((dt.date(2024, 2, 1), dt.date(2024, 8, 11)), dt.date(2023, 12, 11), dt.date(2026, 12, 1)),
        # still running on the date: the period ends where the leave began
        ((dt.date(2026, 3, 1), None), dt.date(2023, 6, 1), dt.date(2026, 3, 1)),
        # resumes after the date: the same
        ((dt.date(2026, 3, 1), dt.date(2027, 3, 1)), dt.date(2023, 6, 1), dt.date(2026, 3, 1)),
        # entirely before the period: no effect
        ((dt.date(2020, 1, 1), dt.date(2020, 7, 1)), dt.date(2023, 6, 1), dt.date(2026, 12, 1)),
    ],
)
def test_without_leave(leave: tuple[dt.date, dt.date | None], start: dt.date, end: dt.date) -> None:
    assert without_leave(dt.date(2023, 6, 1), dt.date(2026, 12, 1), [leave]) == (start, end)


def test_gap_is_exact_to_the_day() -> None:
    ratih = FIXTURES / "ratih-puspitasari.yaml"
    text = table(ratih, "administrator", "2026-11-30")
    assert "needs ≥ 3 years, has 2 years 11 months (1 day short: met on 2026-12-01)" in text
    # 2026-10-20 + 1 month = 2026-11-20, + 11 days = 2026-12-01
    assert "(kurang 1 bulan 11 hari: terpenuhi pada 2026-12-01)" in table(
        ratih, "administrator", "2026-10-20", "--lang", "id"
    )


def test_leave_is_in_the_schema_and_checked(tmp_path: Path) -> None:
    code, out, _err = run("schema", "candidate")
    assert "Leave" in json.loads(out)["$defs"]
    path = tmp_path / "bad.yaml"
    path.write_text((FIXTURES / "ratih-puspitasari.yaml").read_text().replace("end: 2024-08-01", "end: 2024-01-01"))
    code, _out, err = run("explain", str(path), "--position", "administrator", "--as-of", "2026-12-01")
    assert code != 0 and "end is not after start" in err and "Traceback" not in err
    path.write_text((FIXTURES / "ratih-puspitasari.yaml").read_text().replace("type: CLTN", "type: SAKIT"))
    code, _out, err = run("explain", str(path), "--position", "administrator", "--as-of", "2026-12-01")
    assert code != 0 and "leave" in err and "Traceback" not in err
