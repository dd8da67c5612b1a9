"""`layak explain`'s what-if section: the smallest change per unmet requirement, the day time alone meets it,
and the earliest day the candidate is eligible if only time passes.

Every date below is computed by hand from the candidate's TMT dates and the rules (README: service counts in
completed calendar months, a month completing on the same day of a later month, or when the next month begins
if that day does not exist; ratings of the last two calendar years before the as-of year; KP dates per
Peraturan BKN 4/2023 and 4/2025), then checked against `explain --as-of` on that day and the day before.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from cli import cli
from engine.facts.vocabulary import lookup
from engine.tools.whatif import nearest

COMPETENT = ", ".join(
    f"{{code: {c}, attained: 3, standard: 3}}" for c in ("M01", "M02", "M03", "M04", "M05", "M06", "M07", "M08", "SK01")
)


def candidate(
    tmp_path: Path,
    name: str,
    *,
    education: str = "S1",
    pangkat: str,
    positions: str,
    ratings: tuple[int, ...] = (2024, 2025),
    m01: str = "3",
    health: dt.date = dt.date(2026, 12, 1),
) -> Path:
    """A PNS who meets every Administrator requirement except what the arguments change (a health certificate
    dated 2026-12-01 stays within 6 months through 2027-06-01)."""
    rows = "\n".join(f'  - {{period: "{y}", scheme: PERMENPANRB_6_2022, predikat: BAIK}}' for y in ratings)
    text = f"""\
nip: "198607122012011001"
name: {name}
birth_date: 1986-07-12
instansi_id: test
employee_status: PNS
tmt_cpns: 2012-01-01
pangkat: {pangkat}
education: [{{level: {education}, graduated: 2010-08-01, recognised_for_rank: true}}]
positions:
{positions}
performance:
{rows}
competency_assessments:
  - {{assessment_id: T-1, provider: BKN, provider_accredited: true, date: 2025-05-05, purpose: PEMETAAN,
     scores: [{COMPETENT.replace("M01, attained: 3", "M01, attained: " + m01)}]}}
health_certificate_date: {health.isoformat()}
"""
    path = tmp_path / f"{name.lower().replace(' ', '-')}.yaml"
    path.write_text(text)
    return path


def explain(path: Path, position: str, as_of: dt.date, *more: str) -> dict[str, Any]:
    result = CliRunner().invoke(
        cli, ["explain", str(path), "--position", position, "--as-of", as_of.isoformat(), "--format", "json", *more]
    )
    assert result.exit_code == 0, result.output
    doc: dict[str, Any] = json.loads(result.stdout)
    return doc


def text_of(path: Path, position: str, as_of: dt.date, *more: str) -> str:
    result = CliRunner().invoke(
        cli, ["explain", str(path), "--position", position, "--as-of", as_of.isoformat(), *more]
    )
    assert result.exit_code == 0, result.output
    return result.stdout


def changes(doc: dict[str, Any]) -> dict[str, dict[str, Any]]:
    out = {}

    def add(change: dict[str, Any]) -> None:
        out[change["id"]] = change
        for child in change.get("children", []):
            add(child)

    for change in doc["what_if"]["changes"]:
        add(change)
    return out


@pytest.fixture
def leap_pengawas(tmp_path: Path) -> Path:
    # Pengawas from 29 February 2024; ratings for 2024-2026 already on file.
    return candidate(
        tmp_path,
        "Kabisat",
        pangkat="[{golongan: III/d, tmt: 2024-04-01}]",
        ratings=(2024, 2025, 2026),
        positions="  - {jenis: PELAKSANA, tmt_start: 2012-01-01, tmt_end: 2024-02-29}\n"
        "  - {jenis: PENGAWAS, tmt_start: 2024-02-29}",
    )


def test_earliest_eligibility_is_exact_to_the_day(leap_pengawas: Path) -> None:
    # On 2026-12-15 she has 33 completed months as Pengawas (2024-02-29 + 33 months = 2026-11-29). The 36th
    # month would complete on 2027-02-29, which does not exist, so it completes when March begins: 2027-03-01.
    # Ratings then are those of 2026 and 2025 (both Baik, on file): nothing else stands in the way.
    as_of, expected = dt.date(2026, 12, 15), dt.date(2027, 3, 1)
    doc = explain(leap_pengawas, "administrator", as_of)
    assert doc["decision"]["verdict"] == "not_eligible"
    what = doc["what_if"]
    assert what["eligible_on"] == expected.isoformat()
    found = changes(doc)
    assert set(found) == {"experience", "experience-pengawas", "experience-ahli-muda", "experience-penyelia"}
    assert found["experience"]["passes_on"] == found["experience-pengawas"]["passes_on"] == expected.isoformat()
    assert found["experience-ahli-muda"]["passes_on"] is None  # never an Ahli Muda
    assert found["experience-penyelia"]["passes_on"] is None  # nor a Penyelia
    assert found["experience-pengawas"]["text"] == "3 years as Pengawas (definitive) needed, has 2 years 9 months"
    assert found["experience-pengawas"]["passes_on_text"] == "3 years as Pengawas (definitive) on 2027-03-01"
    assert found["experience-pengawas"]["needed"] == {"op": "gte", "value": "P3Y"}
    assert what["summary"][0] == "Earliest date of eligibility if only time passes: 2027-03-01."
    # Re-checking on that day and on the day before.
    assert explain(leap_pengawas, "administrator", expected)["decision"]["verdict"] == "eligible"
    day_before = explain(leap_pengawas, "administrator", expected - dt.timedelta(days=1))
    assert day_before["decision"]["verdict"] == "not_eligible"


@pytest.fixture
def kp_candidate(tmp_path: Path) -> Path:
    # A pelaksana at III/b since 15 April 2022, S1 recognised for rank (ceiling III/d), rated Baik 2023-2025.
    return candidate(
        tmp_path,
        "Pangkat",
        ratings=(2023, 2024, 2025),
        pangkat="[{golongan: III/a, tmt: 2012-01-01}, {golongan: III/b, tmt: 2022-04-15}]",
        positions="  - {jenis: PELAKSANA, tmt_start: 2012-01-01}",
    )


def test_two_time_requirements_meet_on_the_next_kp_date(kp_candidate: Path) -> None:
    # KP reguler under Peraturan BKN 4/2025 (monthly periods from 2025-10-01). On 2026-03-10: 4 years in rank
    # are reached on 2026-04-15 (2022-04-15 + 48 months); the KP date must be the 1st of a month: the first
    # after 2026-03-10 is 2026-04-01, but both hold together first on 2026-05-01.
    as_of = dt.date(2026, 3, 10)
    doc = explain(kp_candidate, "kenaikan-pangkat-reguler", as_of)
    found = changes(doc)
    # the period month passes (every month is one from 2025-10-01); only the day is wrong
    assert set(found) == {"time-in-rank", "kp-period", "kp-period-day"}
    assert found["kp-period-day"]["passes_on"] == "2026-04-01"
    assert found["time-in-rank"]["passes_on"] == "2026-04-15"
    assert found["time-in-rank"]["passes_on_text"] == "4 years in rank on 2026-04-15"
    assert found["kp-period"]["passes_on"] == "2026-04-01"
    assert doc["what_if"]["eligible_on"] == "2026-05-01"
    on_time = explain(kp_candidate, "kenaikan-pangkat-reguler", dt.date(2026, 5, 1))
    assert on_time["decision"]["verdict"] == "eligible"
    day_before = explain(kp_candidate, "kenaikan-pangkat-reguler", dt.date(2026, 4, 30))
    assert day_before["decision"]["verdict"] == "not_eligible"


def test_days_after_a_new_version_takes_effect_are_decided_under_it(kp_candidate: Path) -> None:
    # On 2025-06-10 Peraturan BKN 4/2023 applies (the dated kp-period-month value until 2025-09-30): KP dates
    # are the 1st of an even month (June is even: only the day is wrong, and the next 1st is 2025-07-01), so the
    # next KP date is 2025-08-01. From 2025-10-01 the value of Peraturan BKN 4/2025 allows every month, and 4
    # years in rank come on 2026-04-15: eligible on 2026-05-01 (under 4/2023 alone it would have been 2026-06-01).
    doc = explain(kp_candidate, "kenaikan-pangkat-reguler", dt.date(2025, 6, 10))
    what = doc["what_if"]
    assert doc["ruleset"]["version"] == "2025.3"
    found = changes(doc)
    assert found["kp-period"]["passes_on"] == "2025-08-01"
    assert found["kp-period-day"]["passes_on"] == "2025-07-01"
    assert "kp-period-month" not in found  # met already
    assert found["time-in-rank"]["passes_on"] == "2026-04-15"
    assert what["eligible_on"] == "2026-05-01"
    assert [(v["from"], v["version"]) for v in what["rulesets"]] == [("2025-06-10", "2025.3"), ("2025-10-01", "2025.3")]
    first, second = (v["hash"] for v in what["rulesets"])
    assert first == doc["ruleset"]["hash"] and second != first
    summary = " ".join(what["summary"])
    assert f"From 2025-10-01 the rules in force are kenaikan-pangkat 2025.3 ({second[:12]})" in summary


def test_smallest_changes_and_no_date_within_the_horizon(tmp_path: Path) -> None:
    # A D3 holder with Integritas 2: neither changes with time. Ratings 2024-2025 only, so from 2027-01-01 the
    # 2026 rating is missing too. Horizon: ten years from 2026-12-15.
    path = candidate(
        tmp_path,
        "Perlu Ubah",
        education="D3",
        m01="2",
        pangkat="[{golongan: III/d, tmt: 2022-04-01}]",
        positions="  - {jenis: PELAKSANA, tmt_start: 2012-01-01, tmt_end: 2020-01-06}\n"
        "  - {jenis: PENGAWAS, tmt_start: 2020-01-06}",
    )
    as_of = dt.date(2026, 12, 15)
    doc = explain(path, "administrator", as_of)
    what = doc["what_if"]
    found = changes(doc)
    assert set(found) == {"education", "competency-m01"}
    # The S1 floor is not confirmed by a source (rule note): the board decides, and the text says so.
    assert found["education"]["text"] == (
        "S1 needed, has D3; not met, but no source confirms this threshold yet; the board decides"
    )
    assert found["competency-m01"]["text"] == "Integrity (M01) level 3 needed, has 2"
    assert found["competency-m01"]["needed"] == {"op": "gte", "value": 3}
    assert found["education"]["passes_on"] is None and found["competency-m01"]["passes_on"] is None
    assert what["eligible_on"] is None and what["horizon"] == "2036-12-15"
    assert what["summary"][0].startswith("No date within 10 years (until 2036-12-15)")
    # ...and the health certificate of 2026-12-01 is 6 months and 1 day old on 2027-06-02.
    assert what["lapses"] == [
        {"id": "performance", "on": "2027-01-01", "status": "missing", "note": "no usable rating for 2026 (reason: -)"},
        {
            "id": "health",
            "on": "2027-06-02",
            "status": "missing",
            "note": "not met, but no source confirms this threshold yet; the board decides",
        },
        # the assessment of 2025-05-05 is valid for 36 months, through 2028-05-05
        {"id": "assessment-valid", "on": "2028-05-06", "status": "fail", "note": None},
    ]
    indonesian = changes(explain(path, "administrator", as_of, "--lang", "id"))
    assert indonesian["education"]["text"].startswith("S1 diperlukan, dimiliki D3; tidak terpenuhi")
    assert indonesian["competency-m01"]["text"] == "Integritas (M01) level 3 diperlukan, dimiliki 2"


def test_eligible_now_says_until_when(tmp_path: Path) -> None:
    # Pengawas since 2020-01-06, ratings 2024-2025: eligible on 2026-12-15 and through 2026-12-31; on
    # 2027-01-01 the last two years are 2026 and 2025, and 2026 has no rating on file.
    path = candidate(
        tmp_path,
        "Sudah Layak",
        pangkat="[{golongan: III/d, tmt: 2022-04-01}]",
        positions="  - {jenis: PELAKSANA, tmt_start: 2012-01-01, tmt_end: 2020-01-06}\n"
        "  - {jenis: PENGAWAS, tmt_start: 2020-01-06}",
    )
    what = explain(path, "administrator", dt.date(2026, 12, 15))["what_if"]
    assert what["changes"] == []
    assert (what["eligible_on"], what["eligible_until"]) == ("2026-12-15", "2026-12-31")
    assert what["summary"][0] == "Eligible now; if nothing else changes, eligible until 2026-12-31."


def test_every_format_shows_the_section_sentences_only_in_text(leap_pengawas: Path) -> None:
    as_of = dt.date(2026, 12, 15)
    table = text_of(leap_pengawas, "administrator", as_of)
    assert "What would make the candidate eligible:" in table
    assert table.rstrip().endswith("Earliest date of eligibility if only time passes: 2027-03-01.")
    markdown = text_of(leap_pengawas, "administrator", as_of, "--format", "markdown")
    assert "3 years as Pengawas (definitive) on 2027-03-01" in markdown
    markdown = text_of(leap_pengawas, "administrator", as_of, "--format", "markdown", "--lang", "id")
    assert "**Yang diperlukan agar kandidat memenuhi syarat**" in markdown
    assert "Tanggal paling awal memenuhi syarat bila hanya waktu yang berjalan: 2027-03-01." in markdown
    # CSV holds cells only: the changes are a block of their own, the sentences are not there.
    csv_text = text_of(leap_pengawas, "administrator", as_of, "--format", "csv")
    assert "3 years as Pengawas (definitive) on 2027-03-01" in csv_text
    assert "Earliest date" not in csv_text and len(csv_text.strip().splitlines()) > 5
    # The gap column says to the day when the running service is met: 2026-12-15 + 2 months = 2027-02-15, + 14 days.
    assert "(2 months 14 days short: met on 2027-03-01)" in csv_text


def test_nearest_passing_values() -> None:
    golongan, jpm, months = lookup("golongan"), lookup("jpm"), lookup("months_in_rank")
    assert golongan is not None and jpm is not None and months is not None
    assert nearest(golongan, "gte", "III/b") == "III/b"
    assert nearest(golongan, "gt", "III/d") == "IV/a"
    assert nearest(golongan, "lt", "I/a") is None  # nothing below the bottom of the ladder
    assert nearest(jpm, "gt", Decimal(68)) == Decimal("68.01")
    assert nearest(months, "lt", 6) == 5
