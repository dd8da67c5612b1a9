"""The look-back family worst_sanction_last_<N>m: each window to the day, an overlay choosing another window,
the facts it adds everywhere (lint, withheld histories, facts table, what-if words).

Teguh Santoso's moderate sanction (PP 94/2021 tukin cut, SEDANG) ran 2025-01-01 .. 2025-06-30; his reprimand of
2018 (RINGAN) is older than every window checked here. A window of N months starts on the as-of date N months
back, and a sanction in force on that first day counts (PP 11/2017 Pasal 107: none "dalam 2 tahun terakhir").
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest
from cli_runner import run

from engine.facts.derive import derive
from engine.facts.table import FACT_COLUMNS
from engine.facts.unrecorded import withheld
from engine.facts.vocabulary import lookup
from engine.load.candidate import Candidate
from engine.load.intake import load_candidates
from engine.present.values import whatif_subject
from engine.tools.lint import lint

ROOT = Path(__file__).resolve().parent.parent
TEGUH = ROOT / "fixtures" / "candidates" / "teguh-santoso.yaml"
MEMBERS = ("worst_sanction_last_12m", "worst_sanction_last_24m", "worst_sanction_last_36m", "worst_sanction_last_60m")


def teguh() -> Candidate:
    [loaded], problems = load_candidates([TEGUH])
    assert problems == []
    return loaded.candidate


def windows(candidate: Candidate, as_of: dt.date) -> tuple[str, ...]:
    values = derive(candidate, as_of).values
    return tuple(values[name] for name in MEMBERS)


S, N = "SEDANG", "NONE"


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        # 12 months: 2026-06-30 looks back to 2025-06-30, the sanction's last day; 2026-07-01 to 2025-07-01.
        (dt.date(2026, 6, 30), (S, S, S, S)),
        (dt.date(2026, 7, 1), (N, S, S, S)),
        # 24 months: 2027-06-30 -> 2025-06-30 (counts); 2027-07-01 -> 2025-07-01 (does not).
        (dt.date(2027, 6, 30), (N, S, S, S)),
        (dt.date(2027, 7, 1), (N, N, S, S)),
        # 36 months: 2028-06-30 -> 2025-06-30; 2028-07-01 -> 2025-07-01.
        (dt.date(2028, 6, 30), (N, N, S, S)),
        (dt.date(2028, 7, 1), (N, N, N, S)),
        # 60 months: 2030-06-30 -> 2025-06-30; 2030-07-01 -> 2025-07-01.
        (dt.date(2030, 6, 30), (N, N, N, S)),
        (dt.date(2030, 7, 1), (N, N, N, N)),
    ],
)
def test_each_window_to_the_day(as_of: dt.date, expected: tuple[str, ...]) -> None:
    assert windows(teguh(), as_of) == expected


def test_window_over_a_leap_day() -> None:
    # The tukin cut ending on 2024-02-29 instead: 12 months back from 2025-02-28 is 2024-02-28 (it counts);
    # from 2025-03-01 it is 2024-03-01 (it does not).
    person = teguh()
    dates = {"decided": dt.date(2023, 8, 15), "effective_start": dt.date(2023, 9, 1)}
    dates["effective_end"] = dt.date(2024, 2, 29)
    cut = person.discipline[1].model_copy(update=dates)
    person = person.model_copy(update={"discipline": [cut]})
    assert windows(person, dt.date(2025, 2, 28))[0] == S
    assert windows(person, dt.date(2025, 3, 1))[0] == N


def test_a_sanction_decided_after_the_date_is_in_no_window() -> None:
    # Decided 2024-12-16: on 2024-12-15 the board could not know it, whatever the window.
    assert windows(teguh(), dt.date(2024, 12, 15)) == (N, N, N, N)


def test_the_24_month_member_keeps_its_name_and_description() -> None:
    spec = lookup("worst_sanction_last_24m")
    assert spec is not None and spec.scale == "sanction_level"
    assert spec.en == "Heaviest sanction in force during the last 24 months (NONE if none)"
    assert spec.id == "Hukuman disiplin terberat yang berlaku dalam 24 bulan terakhir (NONE bila tidak ada)"
    assert lookup("worst_sanction_last_18m") is None  # only the listed windows exist
    assert set(MEMBERS) <= set(FACT_COLUMNS)


def test_every_window_is_withheld_when_the_source_has_no_discipline_history() -> None:
    assert all(withheld("discipline", name) for name in MEMBERS)
    assert not any(withheld("discipline_pending", name) for name in MEMBERS)


def test_what_if_names_the_window_in_both_languages() -> None:
    spec = lookup("worst_sanction_last_36m")
    assert spec is not None
    assert "last 36 months" in str(whatif_subject(spec, spec.name, "lte", "RINGAN", "en"))
    assert "36 bulan terakhir" in str(whatif_subject(spec, spec.name, "lte", "RINGAN", "id"))


def test_facts_list_shows_the_family() -> None:
    code, out, err = run("facts", "--list", "--format", "json")
    assert code == 0, err
    assert "worst_sanction_last_<12|24|36|60>m" in out


OVERLAY = """\
ruleset:
  id: lookback-36
  version: "1"
  title: {en: Three-year sanction look-back, id: Masa tinjau hukuman disiplin tiga tahun}
  effective_from: 2025-01-01
  basis: [Contoh keputusan instansi]
  extends: national
positions:
  - id: administrator
    title: {en: Administrator, id: Administrator}
    basis: PP 11/2017 Pasal 54
    requirements:
      - id: no-recent-sanction
        fact: worst_sanction_last_36m
        op: lte
        value: RINGAN
        basis: Contoh keputusan instansi (masa tinjau 3 tahun)
        text:
          en: No moderate or heavy disciplinary sanction in force in the last 3 years
          id: Tidak menjalani hukuman disiplin sedang atau berat dalam 3 tahun terakhir
"""


def test_an_overlay_with_a_36_month_window_decides_differently(tmp_path: Path) -> None:
    # On 2027-07-01 the 24-month window starts 2025-07-01 (the tukin cut ended the day before: no sanction),
    # the 36-month window 2024-07-01 (the cut is in it: SEDANG, above RINGAN).
    rules = tmp_path / "rules"
    shutil.copytree(ROOT / "rules" / "national", rules / "national", ignore=shutil.ignore_patterns("*.cases.yaml"))
    (rules / "agency").mkdir()
    (rules / "agency" / "lookback.yaml").write_text(OVERLAY)

    def status(*more: str) -> str:
        args = ("--position", "administrator", "--as-of", "2027-07-01", "--rules", str(rules), "--format", "json")
        code, out, err = run("explain", str(TEGUH), *args, *more)
        assert code in (0, 1), err
        found = [r for r in json.loads(out)["decision"]["requirements"] if r["id"] == "no-recent-sanction"]
        assert len(found) == 1
        return str(found[0]["status"])

    assert status() == "pass"
    assert status("--ruleset", "lookback-36") == "fail"
    # The overlay's window counts as the discipline condition: the lint asks for nothing more.
    assert not [f for f in lint(rules) if f.problem.code == "discipline"]
