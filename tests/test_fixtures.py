"""The candidate fixtures against the national managerial rules, for a board sitting on 2026-12-01.

Every expectation below was computed by hand from the fixture files and the regulations (PP 11/2017 Pasal 54,
PermenPANRB 6/2022, PermenPANRB 38/2017), not copied from engine output.
Arithmetic conventions (engine/facts/calendar.py):
completed calendar months, 2021-03-01 -> 2025-03-01 = 48 and the day before = 47; a post's service
runs tmt_start .. tmt_end (tmt_end = the day the next post takes effect; open-ended = the board date);
several periods are summed with leftover days carried at 30 per month. "Last 2 years" of ratings =
calendar years 2025 and 2024. Thresholds: Administrator = S1/D-IV, Pengawas (definitive) >= 36 months
OR JF Ahli Muda >= 36 months, every competency >= 3; Pengawas = D-III, Pelaksana (definitive) >= 48
months OR JF Ahli Pertama >= 48 months, every competency >= 2; both: PNS, rating >= BAIK in 2024 and
2025, no sanction running on the board date. JPM (when the report gives none) = sum attained / sum
standard x 100, rounded half up to 2 places.

Round 2 of the pack (issue 8) added to both positions: no pending examination/objection/appeal (a pending one
goes to the board), no moderate or heavy sanction in force from 2024-12-01 (24 months back), a health
certificate at most 6 months old (dated 2026-06-01 or later; older or none goes to the board) and the BUP of
58 not reached (born after 1968-12-01). Failures of floors no source confirms go to the board (`missing`):
education and performance of both positions (PP 11/2017 Pasal 54 not retrieved) and the Pengawas competency
levels. The verdict follows from the statuses: not_eligible if one fails, else needs_review if one is missing.
"""

from __future__ import annotations

import datetime as dt
import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from engine.compiler.layout import Outcome
from engine.decide.decision import Decision
from engine.decide.pipeline import CheckRun, check
from engine.facts.derive import derive
from engine.facts.scales import EDUCATION, PREDIKAT
from engine.load.candidate import Candidate
from engine.load.intake import LoadedCandidate, load_candidates
from engine.load.library import Library, load_library

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures" / "candidates"
BAD = ROOT / "tests" / "data" / "bad_candidates"
AS_OF = dt.date(2026, 12, 1)
POSITIONS = ("administrator", "pengawas")

PASS, FAIL, MISSING = "pass", "fail", "missing"
COMPETENCIES = ("m01", "m02", "m03", "m04", "m05", "m06", "m07", "m08", "sk01")
# The top-level requirements every expectation below covers; a requirement a row does not name is
# expected to pass.
NEW = ("no-pending-sanction", "no-recent-sanction", "health", "below-bup")
TOP = (
    "pns-status",
    "education",
    "experience",
    "performance",
    "no-running-sanction",
    *(f"competency-{c}" for c in COMPETENCIES),
    *NEW,
)
# Failures that go to the board because no source confirms the floor (rule notes, issue 8 item 9).
UNCONFIRMED = {
    "administrator": {"education", "performance"},
    "pengawas": {"education", "performance", *(f"competency-{c}" for c in COMPETENCIES)},
}
# Health certificates dated 2026-06-01 or later; every other fixture has an older one (ahmad-fauzi 2025-11-03,
# endang-purwanti 2025-12-15, fajar-nugroho 2025-12-10, indra-kurniawan and wawan-setiadi 2025-12-05,
# rahmat-hidayat 2025-12-20, suryadi-pranoto 2025-12-10, yohanes-kristanto 2025-12-01) or none.
HEALTH_OK = {
    "agus-setiawan.yaml",
    "budi-santoso.yaml",
    "dian-permata.yaml",
    "hartono-wijaya.yaml",
    "nur-aini.yaml",
    "ratih-puspitasari.yaml",
    "rina-kusumawati.yaml",
    "siti-rahma.yaml",
    "teguh-santoso.yaml",
    "yudi-hartanto.yaml",
}
# The other round-2 requirements, where they do not pass (both positions).
ROUND2: dict[str, dict[str, str]] = {
    "gunawan-wibisono.yaml": {"no-pending-sanction": MISSING},  # objection pending since 2025-08-20
    "teguh-santoso.yaml": {"no-recent-sanction": FAIL},  # tukin cut 2025-01-01..2025-06-30, after 2024-12-01
    "wahyu-prasetyo.yaml": {"no-recent-sanction": FAIL},  # tukin cut 2026-03-01..2027-02-28, running
    "indra-kurniawan.yaml": {"below-bup": FAIL},  # born 1968-09-09: 58 on 2026-09-09
    "wawan-setiadi.yaml": {"below-bup": FAIL},  # the same birth date
    # dian-permata: demotion ended 2024-10-31, before 2024-12-01; irwan-syahputra: sanction annulled;
    # lestari-ningsih: tukin cut ended 2024-06-30; hartono-wijaya: born 1968-12-02, 57 on 2026-12-01.
}


def expected(name: str, position: str) -> tuple[str, dict[str, str]]:
    """The statuses of every TOP requirement and the verdict they give."""
    _round1, named = EXPECTED[name][position]
    statuses = {rid: named.get(rid, PASS) for rid in TOP}
    for rid in UNCONFIRMED[position]:
        if statuses[rid] == FAIL:
            statuses[rid] = MISSING
    statuses["health"] = PASS if name in HEALTH_OK else MISSING
    statuses.update(ROUND2.get(name, {}))
    values = set(statuses.values())
    verdict = "not_eligible" if FAIL in values else "needs_review" if MISSING in values else "eligible"
    return verdict, statuses


def comp(status: str, **overrides: str) -> dict[str, str]:
    """All nine competency requirements with one status, some overridden (comp(PASS, m08=FAIL))."""
    return {f"competency-{c}": overrides.get(c, status) for c in COMPETENCIES}


# fixture file -> position -> (verdict, statuses of the requirements that matter)
EXPECTED: dict[str, dict[str, tuple[str, dict[str, str]]]] = {
    # Round-2 fixtures (issue 8). dian-permata and hartono-wijaya are siti-rahma with another birth date (and a
    # demotion that ended 2024-10-31); wawan-setiadi is indra-kurniawan with a later, expiring waiver.
    "dian-permata.yaml": {
        "administrator": ("eligible", {**comp(PASS)}),
        "pengawas": ("eligible", {}),
    },
    "hartono-wijaya.yaml": {
        "administrator": ("eligible", {**comp(PASS)}),
        "pengawas": ("eligible", {}),
    },
    "wawan-setiadi.yaml": {
        "administrator": ("eligible", {**comp(PASS)}),  # his waiver names jpt-pratama
        "pengawas": ("eligible", {}),
    },
    "bayu-ardiansyah.yaml": {
        "administrator": (
            "not_eligible",
            {
                "experience": FAIL,  # only ever a Pelaksana
                **comp(MISSING),  # no assessment
            },
        ),
        "pengawas": (
            "needs_review",
            {
                "experience": PASS,  # PELAKSANA 2015-03-01..2026-12-01 = 141 >= 48; S1 (held, not yet for rank) >= D3
                **comp(MISSING),
            },
        ),
    },
    "ratih-puspitasari.yaml": {
        "administrator": (
            "eligible",
            {
                "experience": PASS,  # PENGAWAS 2023-06-01..2026-12-01 without CLTN 2024-02-01..2024-08-01 (6 months)
                **comp(PASS),  # = 42 - 6 = 36 >= 36
            },
        ),
        "pengawas": ("eligible", {}),  # PELAKSANA 2006-04-01..2023-06-01 = 206 months >= 48
    },
    "yudi-hartanto.yaml": {
        "administrator": (
            "not_eligible",
            {
                "education": FAIL,  # D3 < S1
                "experience": FAIL,  # never Pengawas, Ahli Muda or Penyelia
            },
        ),
        "pengawas": (
            "needs_review",
            {
                "experience": MISSING,  # PELAKSANA 2019-03-01..2022-12-01 = 45 < 48; skill-track JF from
                # 2022-12-01 = 48 months, an alternative no source settles
            },
        ),
    },
    "siti-rahma.yaml": {
        "administrator": (
            "eligible",
            {
                "education": PASS,  # S1 >= S1
                "experience": PASS,  # PENGAWAS 2021-01-04..2026-12-01 = 5y10m = 70 (+27 days) >= 36
                "performance": PASS,  # 2024 BAIK; 2025 DI_ATAS x DI_ATAS = SANGAT_BAIK -> min BAIK
                **comp(PASS),  # eight at 3, M05 3.5: all >= 3
            },
        ),
        "pengawas": (
            "eligible",
            {
                "experience": PASS,  # PELAKSANA 2006-04-01..2021-01-04 = 177 months (+3 days) >= 48
                **comp(PASS),  # all >= 2
            },
        ),
    },
    "budi-santoso.yaml": {
        "administrator": (
            "eligible",
            {
                "education": PASS,  # S2 (recognised) >= S1
                "experience": PASS,  # PENGAWAS 2019-07-01..2026-12-01 = 7y5m = 89 >= 36
                "performance": PASS,  # 2024 DI_ATAS x DI_ATAS = SANGAT_BAIK, 2025 BAIK -> min BAIK
                **comp(PASS),  # 4, 3.5, 3.5, 4, 3.5, 3, 3.5, 4, 3.5: all >= 3
            },
        ),
        "pengawas": (
            "eligible",
            {
                "experience": PASS,  # PELAKSANA 2008-03-01..2019-07-01 = 11y4m = 136 >= 48
            },
        ),
    },
    "dewi-lestari.yaml": {
        "administrator": (
            "eligible",
            {
                "education": PASS,  # S1
                "experience": PASS,  # PENGAWAS 2023-12-01..2026-12-01 = exactly 36 months >= 36 (boundary)
                "performance": PASS,  # 2024 BAIK; 2025 SESUAI x SESUAI = BAIK
                **comp(PASS),  # every competency exactly 3 = standard 3 (boundary, inclusive)
            },
        ),
        "pengawas": (
            "eligible",
            {
                "experience": PASS,  # PELAKSANA 2010-03-01..2023-12-01 = 13y9m = 165 >= 48
            },
        ),
    },
    "rudi-hartono.yaml": {
        "administrator": (
            "not_eligible",
            {
                "experience": FAIL,  # PENGAWAS 2023-12-02..2026-12-01 = 35 months (+29 days) < 36; Ahli Muda 0
                "performance": PASS,  # 2024 BAIK, 2025 SANGAT_BAIK
                **comp(PASS),  # all 3.5
            },
        ),
        "pengawas": (
            "eligible",
            {
                "experience": PASS,  # PELAKSANA 2011-01-01..2023-12-02 = 12y11m = 155 (+1 day) >= 48
            },
        ),
    },
    "nur-aini.yaml": {
        "administrator": (
            "eligible",
            {
                "education": PASS,  # S1
                "experience": PASS,  # never Pengawas (0), but JF AHLI_MUDA 2022-12-01..2026-12-01 = 48 >= 36 (OR)
                **comp(PASS),  # 3.5, 3, 3.5, 3, 3, 3, 3.5, 3, 3
            },
        ),
        "pengawas": (
            "eligible",
            {
                "experience": PASS,  # PELAKSANA 2013-04-01..2015-01-02 = 21 < 48, but JF AHLI_PERTAMA
                # 2015-01-02..2022-12-01 = 7y10m = 94 (+29 days) >= 48 (OR)
            },
        ),
    },
    "hendra-gunawan.json": {
        "administrator": (
            "eligible",
            {
                "education": PASS,  # D4 ranks with S1 >= S1
                "experience": PASS,  # PENGAWAS 2020-01-02..2026-12-01 = 6y10m = 82 (+29 days) >= 36
                "performance": PASS,  # 2024 BAIK; 2025 SESUAI x DI_ATAS = BAIK
                **comp(PASS),  # all exactly 3
            },
        ),
        "pengawas": (
            "eligible",
            {
                "education": PASS,  # D4 >= D3
                "experience": PASS,  # PELAKSANA 2010-10-01..2020-01-02 = 9y3m = 111 (+1 day) >= 48
            },
        ),
    },
    "agus-setiawan.yaml": {
        "administrator": (
            "not_eligible",
            {
                "education": FAIL,  # highest recognised D3 < S1
                "experience": PASS,  # PENGAWAS 2017-03-01..2026-12-01 = 9y9m = 117 >= 36
                "performance": PASS,
                **comp(PASS),  # M03 3.5, others 3
            },
        ),
        "pengawas": (
            "eligible",
            {
                "education": PASS,  # D3 >= D3
                "experience": PASS,  # PELAKSANA 2003-12-01..2017-03-01 = 13y3m = 159 >= 48
            },
        ),
    },
    "fitri-handayani.yaml": {
        "administrator": (
            "not_eligible",
            {
                "experience": PASS,  # PENGAWAS 2018-08-01..2026-12-01 = 8y4m = 100 >= 36
                "performance": FAIL,  # 2025 DI_BAWAH x SESUAI = BUTUH_PERBAIKAN < BAIK
                **comp(PASS),
            },
        ),
        "pengawas": (
            "not_eligible",
            {
                "experience": PASS,  # PELAKSANA 2009-02-01..2018-08-01 = 9y6m = 114 >= 48
                "performance": FAIL,  # same 2025 rating
            },
        ),
    },
    "yusuf-maulana.yaml": {
        "administrator": (
            "not_eligible",
            {
                "experience": PASS,  # PENGAWAS 2019-01-02..2026-12-01 = 7y10m = 94 (+29 days) >= 36
                **comp(PASS, m08=FAIL),  # M08 2.5 < 3 (half a level short); the rest exactly 3
            },
        ),
        "pengawas": (
            "eligible",
            {
                "experience": PASS,  # PELAKSANA 2009-04-01..2019-01-02 = 9y9m = 117 (+1 day) >= 48
                **comp(PASS),  # M08 2.5 >= 2
            },
        ),
    },
    "wahyu-prasetyo.yaml": {
        "administrator": (
            "not_eligible",
            {
                "no-running-sanction": FAIL,  # POTONG_TUKIN_12 FINAL 2026-03-01..2027-02-28 covers 2026-12-01
                "experience": PASS,  # PENGAWAS 2016-12-01..2026-12-01 = 120 >= 36
                "performance": PASS,
                **comp(PASS),
            },
        ),
        "pengawas": (
            "not_eligible",
            {
                "no-running-sanction": FAIL,  # same sanction
                "experience": PASS,  # PELAKSANA 2006-01-01..2016-12-01 = 10y11m = 131 >= 48
            },
        ),
    },
    "ratna-sari.yaml": {
        "administrator": (
            "needs_review",
            {
                "performance": MISSING,  # 2025 BAIK but 2024 has no rating (CLTN): cannot judge 2 years
                "experience": PASS,  # PENGAWAS 2016-07-01..2023-10-02 = 87m1d, 2025-01-02..2026-12-01 = 22m29d
                # -> 109 months + 30 days = 110 >= 36
                **comp(PASS),  # M04, M06 3.5, others 3
            },
        ),
        "pengawas": (
            "needs_review",
            {
                "performance": MISSING,  # same gap
                "experience": PASS,  # PELAKSANA 2010-01-01..2016-07-01 = 78 >= 48
            },
        ),
    },
    "bambang-sutrisno.yaml": {
        "administrator": (
            "needs_review",
            {
                "experience": PASS,  # PENGAWAS 2015-06-01..2026-12-01 = 11y6m = 138 >= 36
                "performance": PASS,  # 2024 BAIK, 2025 SANGAT_BAIK
                **comp(MISSING),  # no competency assessment on file
            },
        ),
        "pengawas": (
            "needs_review",
            {
                "experience": PASS,  # PELAKSANA 2005-02-01..2015-06-01 = 10y4m = 124 >= 48
                **comp(MISSING),
            },
        ),
    },
    "eko-prasetyo.yaml": {
        "administrator": (
            "needs_review",
            {
                "experience": MISSING,  # definitive PENGAWAS 2024-09-02..2026-12-01 = 26 (+29 days) < 36;
                # with Plt 2022-01-03..2023-03-03 (14) = 40 >= 36 -> board decides
                "performance": PASS,
                **comp(PASS),  # M03, M07, M08 3.5, others 3
            },
        ),
        "pengawas": (
            "eligible",
            {
                "experience": PASS,  # definitive PELAKSANA 2011-05-01..2024-09-02 = 13y4m = 160 (+1 day) >= 48
            },
        ),
    },
    "lina-marlina.yaml": {
        "administrator": (
            "eligible",
            {
                "performance": PASS,  # 2024 PP 30/2019 score 90.00 >= 90 -> BAIK (boundary); 2025 BAIK
                "experience": PASS,  # PENGAWAS 2018-02-01..2026-12-01 = 8y10m = 106 >= 36
                **comp(PASS),
            },
        ),
        "pengawas": (
            "eligible",
            {
                "performance": PASS,
                "experience": PASS,  # PELAKSANA 2008-12-01..2018-02-01 = 9y2m = 110 >= 48
            },
        ),
    },
    "andi-pratama.yaml": {
        "administrator": (
            "not_eligible",
            {
                "performance": FAIL,  # 2024 PP 30/2019 score 89.99 < 90 -> CUKUP (70..<90) < BAIK
                "experience": PASS,  # PENGAWAS 2021-06-01..2026-12-01 = 5y6m = 66 >= 36
                **comp(PASS),
            },
        ),
        "pengawas": (
            "not_eligible",
            {
                "performance": FAIL,  # same 2024 score
                "experience": PASS,  # PELAKSANA 2014-12-01..2021-06-01 = 6y6m = 78 >= 48
            },
        ),
    },
    "teguh-santoso.yaml": {
        "administrator": (
            "eligible",
            {
                "no-running-sanction": PASS,  # POTONG_TUKIN_6 ended 2025-06-30 < 2026-12-01; 2018 reprimand COMPLETED
                "experience": PASS,  # PENGAWAS 2017-01-02..2026-12-01 = 9y10m = 118 (+29 days) >= 36
                **comp(PASS),
            },
        ),
        "pengawas": (
            "eligible",
            {
                "no-running-sanction": PASS,
                "experience": PASS,  # PELAKSANA 2005-03-01..2017-01-02 = 11y10m = 142 (+1 day) >= 48
            },
        ),
    },
    "irwan-syahputra.yaml": {
        "administrator": (
            "eligible",
            {
                "no-running-sanction": PASS,  # PEMBEBASAN_KE_PELAKSANA_12 2026-05-01..2027-04-30 but ANNULLED
                "experience": PASS,  # PENGAWAS 2014-03-03..2026-12-01 = 12y8m = 152 (+28 days) >= 36
                **comp(PASS),  # all exactly 3
            },
        ),
        "pengawas": (
            "eligible",
            {
                "no-running-sanction": PASS,
                "experience": PASS,  # PELAKSANA 2003-01-01..2014-03-03 = 11y2m = 134 (+2 days) >= 48
            },
        ),
    },
    "maya-anggraini.yaml": {
        "administrator": (
            "eligible",
            {
                "education": PASS,  # foreign S2 with equivalence decree 5932/PI/2021 -> S2 >= S1
                "experience": PASS,  # PENGAWAS 2021-07-01..2026-12-01 = 5y5m = 65 >= 36
                "performance": PASS,  # 2024 SANGAT_BAIK, 2025 BAIK
                **comp(PASS),
            },
        ),
        "pengawas": (
            "eligible",
            {
                "experience": PASS,  # PELAKSANA 2015-03-01..2021-07-01 = 6y4m = 76 >= 48
            },
        ),
    },
    "sri-wahyuni.yaml": {
        "administrator": (
            "needs_review",
            {
                "education": PASS,  # ANU S2 has no equivalence decree -> not recognised; S1 >= S1
                "performance": MISSING,  # 2024 TUGAS_BELAJAR, no rating
                "experience": PASS,  # PENGAWAS 2016-03-01..2023-09-01 = 90, 2025-02-03..2026-12-01 = 21m28d
                # -> 111 >= 36
                **comp(PASS),  # M04, M08, SK01 3.5, others 3
            },
        ),
        "pengawas": (
            "needs_review",
            {
                "performance": MISSING,
                "experience": PASS,  # PELAKSANA 2009-12-01..2016-03-01 = 6y3m = 75 >= 48
            },
        ),
    },
    "ni-luh-putu-ariani.yaml": {
        "administrator": (
            "not_eligible",
            {
                "pns-status": FAIL,  # PPPK != PNS
                "education": PASS,  # S1
                "experience": PASS,  # JF AHLI_MUDA 2022-03-01..2026-12-01 = 4y9m = 57 >= 36
                "performance": PASS,
                **comp(PASS, m03=FAIL, m06=FAIL, m07=FAIL, m08=FAIL),  # M03, M06, M07, M08 2.5 < 3
            },
        ),
        "pengawas": (
            "not_eligible",
            {
                "pns-status": FAIL,  # PPPK
                "experience": FAIL,  # Pelaksana 0 < 48, Ahli Pertama 0 < 48 (her Ahli Muda counts for neither)
                **comp(PASS),  # 2.5 >= 2
            },
        ),
    },
    # --- JF holders (functional rule pack), JPT candidates and rank-promotion candidates ----------------
    "rina-kusumawati.yaml": {
        "administrator": (
            "not_eligible",
            {
                "experience": FAIL,  # never Pengawas; JF AHLI_PERTAMA, not Ahli Muda: 0 and 0 < 36
                **comp(FAIL),  # all 2.5 < 3
            },
        ),
        "pengawas": (
            "eligible",
            {
                "experience": PASS,  # PELAKSANA 12 < 48, but AHLI_PERTAMA 2018-03-01..2026-12-01 = 8y9m = 105 >= 48
                **comp(PASS),  # 2.5 >= 2
            },
        ),
    },
    "dimas-saputra.yaml": {
        "administrator": (
            "not_eligible",
            {
                "experience": FAIL,  # Pengawas 0, Ahli Muda 0
                **comp(FAIL),  # all 2 < 3
            },
        ),
        "pengawas": (
            "eligible",
            {
                "experience": PASS,  # AHLI_PERTAMA 2020-03-02..2026-12-01 = 80 months (+29 days) >= 48
                **comp(PASS),  # all exactly 2 (boundary)
            },
        ),
    },
    "yanti-susilowati.yaml": {
        "administrator": (
            "eligible",
            {
                "experience": PASS,  # Pengawas 0, but AHLI_MUDA 2016-04-01..2026-12-01 = 10y8m = 128 >= 36 (OR)
                **comp(PASS),  # all exactly 3
            },
        ),
        "pengawas": (
            "eligible",
            {
                "experience": PASS,  # PELAKSANA 2008-01-01..2010-01-04 = 24; AHLI_PERTAMA 2010-01-04..2016-04-01
                # = 74 months (+28 days) >= 48
            },
        ),
    },
    "hadi-wibowo.yaml": {
        "administrator": (
            "not_eligible",
            {
                "education": PASS,  # S2
                "experience": PASS,  # AHLI_MUDA 2006-04-03..2014-04-01 = 95 months (+29 days) >= 36
                **comp(FAIL, m01=PASS),  # M01 3 >= 3; the other eight 2.5 < 3
            },
        ),
        "pengawas": (
            "eligible",
            {
                "experience": PASS,  # AHLI_PERTAMA 1999-03-01..2006-04-03 = 85 months (+2 days) >= 48
                **comp(PASS),  # 3 and 2.5 >= 2
            },
        ),
    },
    "sari-wulandari.yaml": {
        "administrator": (
            "not_eligible",
            {
                "education": FAIL,  # SLTA < S1
                "experience": FAIL,  # JF PEMULA counts for neither branch
                **comp(FAIL),  # 1.5 < 3
            },
        ),
        "pengawas": (
            "not_eligible",
            {
                "education": FAIL,  # SLTA < D3
                "experience": MISSING,  # PELAKSANA 2021-03-01..2022-07-01 = 16 < 48; Ahli Pertama 0; JF Pemula from
                # 2022-07-01 = 53 months: skill-track, which no source settles
                **comp(FAIL),  # 1.5 < 2
            },
        ),
    },
    "joko-susanto.yaml": {
        "administrator": (
            "not_eligible",
            {
                "education": FAIL,  # D3 < S1
                "experience": FAIL,
                **comp(FAIL),  # 1.5 < 3
            },
        ),
        "pengawas": (
            "not_eligible",
            {
                "education": PASS,  # D3 >= D3
                "experience": MISSING,  # PELAKSANA 2014-04-01..2015-06-01 = 14 < 48; JF Terampil from 2015-06-01 =
                # 138 months: skill-track, which no source settles (board decides)
                **comp(FAIL),  # 1.5 < 2
            },
        ),
    },
    "wulan-sari.yaml": {
        "administrator": (
            "not_eligible",
            {
                "education": FAIL,  # D3
                "experience": FAIL,
                "performance": FAIL,  # 2025 DI_BAWAH x SESUAI = BUTUH_PERBAIKAN < BAIK
                **comp(FAIL),  # 2 < 3
            },
        ),
        "pengawas": (
            "not_eligible",
            {
                "experience": MISSING,  # never Pelaksana nor Ahli Pertama; Terampil then Mahir from 2010-01-04
                # without a break = 202 months: skill-track, which no source settles
                "performance": FAIL,
                **comp(PASS),  # exactly 2
            },
        ),
    },
    "fajar-nugroho.yaml": {
        "administrator": (
            "not_eligible",
            {
                "experience": FAIL,
                **comp(FAIL),  # 1.5 < 3
            },
        ),
        "pengawas": (
            "not_eligible",
            {
                "experience": PASS,  # PELAKSANA 2022-03-01..2026-12-01 = 4y9m = 57 >= 48
                **comp(FAIL),  # 1.5 < 2
            },
        ),
    },
    "ahmad-fauzi.yaml": {
        "administrator": (
            "eligible",
            {
                "education": PASS,  # S2
                "experience": PASS,  # PENGAWAS 2008-01-02..2019-01-02 = 132 >= 36
                **comp(PASS),  # M01 4.5, the rest 4
            },
        ),
        "pengawas": (
            "eligible",
            {
                "experience": PASS,  # PELAKSANA 2000-03-01..2008-01-02 = 94 months (+1 day) >= 48
            },
        ),
    },
    "endang-purwanti.yaml": {
        "administrator": (
            "eligible",
            {
                "experience": PASS,  # PENGAWAS 2010-01-04..2017-07-03 = 89 months (+29 days) >= 36
                **comp(PASS),  # all 4
            },
        ),
        "pengawas": (
            "eligible",
            {
                "experience": PASS,  # PELAKSANA 1997-03-01..2010-01-04 = 154 months (+3 days) >= 48
            },
        ),
    },
    "yohanes-kristanto.yaml": {
        "administrator": (
            "eligible",
            {
                "experience": PASS,  # PENGAWAS 2003-01-02..2011-01-03 = 96 (+1 day) >= 36
                **comp(PASS),  # all 4.5
            },
        ),
        "pengawas": (
            "eligible",
            {
                "experience": PASS,  # PELAKSANA 1994-03-01..2003-01-02 = 106 (+1 day) >= 48
            },
        ),
    },
    "suryadi-pranoto.yaml": {
        "administrator": (
            "eligible",
            {
                "education": PASS,  # S3
                "experience": PASS,  # PENGAWAS 1999-01-04..2006-01-02 = 83 months (+29 days) >= 36
                **comp(PASS),  # all 5
            },
        ),
        "pengawas": (
            "eligible",
            {
                "experience": PASS,  # PELAKSANA 1993-03-01..1999-01-04 = 70 (+3 days) >= 48
            },
        ),
    },
    "rahmat-hidayat.yaml": {
        "administrator": (
            "eligible",
            {
                "experience": PASS,  # PENGAWAS 2010-01-04..2020-07-01 = 125 months (+27 days) >= 36
                **comp(PASS),  # all 4
            },
        ),
        "pengawas": (
            "eligible",
            {
                "experience": PASS,  # PELAKSANA 1996-03-01..2010-01-04 = 166 (+3 days) >= 48
            },
        ),
    },
    "indra-kurniawan.yaml": {
        "administrator": (
            "eligible",
            {  # his waiver names jpt-pratama, not these positions
                "experience": PASS,  # PENGAWAS 2009-01-05..2018-01-02 = 107 months (+28 days) >= 36
                **comp(PASS),
            },
        ),
        "pengawas": (
            "eligible",
            {
                "experience": PASS,  # PELAKSANA 1993-03-01..2009-01-05 = 190 (+4 days) >= 48
            },
        ),
    },
    "slamet-riyadi.yaml": {
        "administrator": (
            "not_eligible",
            {
                "education": FAIL,  # SLTA
                "experience": FAIL,
                **comp(MISSING),  # no assessment
            },
        ),
        "pengawas": (
            "not_eligible",
            {
                "education": FAIL,  # SLTA < D3
                "experience": PASS,  # PELAKSANA 2013-03-01..2026-12-01 = 165 >= 48
                **comp(MISSING),
            },
        ),
    },
    "agung-prasetya.yaml": {
        "administrator": (
            "not_eligible",
            {
                "experience": FAIL,  # always a Pelaksana
                **comp(MISSING),
            },
        ),
        "pengawas": (
            "needs_review",
            {
                "experience": PASS,  # PELAKSANA 2008-03-01..2026-12-01 = 225 >= 48
                **comp(MISSING),  # nothing fails; the competencies are unknown
            },
        ),
    },
    "tri-handayani.yaml": {
        "administrator": (
            "not_eligible",
            {
                "education": FAIL,
                "experience": FAIL,
                **comp(MISSING),
            },
        ),
        "pengawas": (
            "not_eligible",
            {
                "education": FAIL,  # SLTA
                "experience": PASS,  # PELAKSANA since 2003-01-01 = 287 >= 48
                **comp(MISSING),
            },
        ),
    },
    "heru-santoso.yaml": {
        "administrator": (
            "not_eligible",
            {
                "education": FAIL,
                "experience": FAIL,
                **comp(MISSING),
            },
        ),
        "pengawas": (
            "not_eligible",
            {
                "education": FAIL,  # SLTA
                "experience": PASS,  # PELAKSANA since 2009-03-01 = 213 >= 48
                **comp(MISSING),
            },
        ),
    },
    "nanik-rahayu.yaml": {
        "administrator": (
            "not_eligible",
            {
                "education": FAIL,  # D3 < S1
                "experience": FAIL,
                **comp(MISSING),
            },
        ),
        "pengawas": (
            "needs_review",
            {
                "education": PASS,  # D3
                "experience": PASS,  # PELAKSANA 2016-03-01..2026-12-01 = 129 >= 48
                **comp(MISSING),
            },
        ),
    },
    "gunawan-wibisono.yaml": {
        "administrator": (
            "not_eligible",
            {
                "education": FAIL,
                "experience": FAIL,
                "no-running-sanction": PASS,  # the objection is pending: the sanction is not running
                **comp(MISSING),
            },
        ),
        "pengawas": (
            "not_eligible",
            {
                "education": FAIL,
                "experience": PASS,  # PELAKSANA since 2011-01-01 = 191 >= 48
                **comp(MISSING),
            },
        ),
    },
    "lestari-ningsih.yaml": {
        "administrator": (
            "not_eligible",
            {
                "education": FAIL,
                "experience": FAIL,
                "performance": PASS,  # 2024 BAIK, 2025 BAIK (the 2023 Butuh Perbaikan is outside)
                "no-running-sanction": PASS,  # tukin cut ended 2024-06-30
                **comp(MISSING),
            },
        ),
        "pengawas": (
            "not_eligible",
            {
                "education": FAIL,
                "experience": PASS,  # PELAKSANA since 2014-03-01 = 153 >= 48
                **comp(MISSING),
            },
        ),
    },
    "putri-amelia.yaml": {
        "administrator": (
            "not_eligible",
            {
                "pns-status": FAIL,  # CPNS
                "education": FAIL,
                "experience": FAIL,
                "performance": MISSING,  # 2025 is her CPNS year (no rating), 2024 has no entry
                **comp(MISSING),
            },
        ),
        "pengawas": (
            "not_eligible",
            {
                "pns-status": FAIL,
                "education": FAIL,
                "experience": FAIL,  # PELAKSANA 2025-06-02..2026-12-01 = 17 months (+29 days) < 48
                "performance": MISSING,
                **comp(MISSING),
            },
        ),
    },
}

# Administrator board order: eligible, then needs_review, then not_eligible; within each group JPM
# descending, then golongan descending, then months in rank descending.
# Every fixture by the ranking inside a verdict group (decide.rank_key): JPM high to low, then golongan, then
# months in rank (2026-12-01), then name. The board list is this order, grouped by verdict.
BOARD_ORDER = [
    "Budi Santoso",  # JPM 32.5/27 = 120.37
    "Rudi Hartono",  # 31.5/27 = 116.67
    "Wahyu Prasetyo",  # 31/27 = 114.81
    "Lina Marlina",  # 29/27 = 107.41
    "Sri Wahyuni",  # 28.5/27 = 105.56, III/d since 2021-10-01 = 62 months
    "Eko Prasetyo",  # 105.56, III/d since 2024-10-01 = 26 months
    "Fitri Handayani",  # 28/27 = 103.70, III/d for 68 months
    "Ratna Sari",  # 103.70, III/d for 56 months
    "Teguh Santoso",  # 103.70, III/d for 48 months
    "Agus Setiawan",  # 27.5/27 = 101.85, III/c since 2019-10-01 = 86 months
    "Andi Pratama",  # 101.85, III/c since 2022-10-01 = 50 months
    "Maya Anggraini",  # 101.85, III/c for 44 months
    "Ahmad Fauzi",  # 101.39 as reported
    "Suryadi Pranoto",  # 45/45 = 100.00, IV/e
    "Indra Kurniawan",  # 100.00, IV/b for 56 months
    "Wawan Setiadi",  # the same file as Indra Kurniawan: by name
    "Irwan Syahputra",  # 100.00, IV/a since 2019-04-01 = 92 months
    "Endang Purwanti",  # 100.00, IV/a since 2020-04-01 = 80 months
    "Rahmat Hidayat",  # 100.00, IV/a since 2021-04-01 = 68 months
    "Hendra Gunawan",  # 100.00, III/d since 2021-04-01 = 68 months
    "Dewi Lestari",  # 100.00, III/d since 2022-10-01 = 50 months
    "Nur Aini",  # 100 (report caps at 100), III/c (74 months in rank do not beat a higher golongan)
    "Yusuf Maulana",  # 26.5/27 = 98.148 -> 98.15
    "Ni Luh Putu Ariani",  # 25/27 = 92.59
    "Yanti Susilowati",  # 92.5 as reported
    "Yohanes Kristanto",  # 40.5/45 = 90.00
    "Wulan Sari",  # 88.0 as reported
    "Dian Permata",  # 86.11 as reported, III/d since 2018-04-01 = 104 months (like Siti Rahma): by name
    "Hartono Wijaya",  # the same
    "Siti Rahma",  # 86.11 as reported
    "Ratih Puspitasari",  # 86.11, III/d since 2018-04-01 less 6 months of CLTN = 98 months
    "Yudi Hartanto",  # 86.11, III/a
    "Rina Kusumawati",  # 84.5
    "Sari Wulandari",  # 81.0
    "Joko Susanto",  # 79.0
    "Dimas Saputra",  # 76.39
    "Fajar Nugroho",  # 72.5
    "Hadi Wibowo",  # 23/36 = 63.89
    # no JPM: by golongan, then months in rank
    "Bambang Sutrisno",  # III/d for 116 months
    "Agung Prasetya",  # III/d for 74 months
    "Tri Handayani",  # III/b
    "Nanik Rahayu",  # II/d since 2020-04-01 = 80 months
    "Heru Santoso",  # II/d since 2021-10-01 = 62 months
    "Bayu Ardiansyah",  # II/d since 2025-10-01 = 14 months
    "Slamet Riyadi",  # II/c since 2021-03-01 = 69 months
    "Gunawan Wibisono",  # II/c since 2021-10-01 = 62 months
    "Lestari Ningsih",  # II/b
    "Putri Amelia",  # II/a
]


@pytest.fixture(scope="module")
def library() -> Library:
    return load_library(ROOT / "rules")


@pytest.fixture(scope="module")
def loaded() -> list[LoadedCandidate]:
    candidates, problems = load_candidates([FIXTURES])
    assert problems == []
    return candidates


@pytest.fixture(scope="module")
def runs(library: Library, loaded: list[LoadedCandidate]) -> dict[str, CheckRun]:
    return {position: check(library, position, loaded, AS_OF) for position in POSITIONS}


def candidate(loaded: list[LoadedCandidate], name: str) -> Candidate:
    return next(c.candidate for c in loaded if Path(c.file).name == name)


def decision_of(run: CheckRun, name: str) -> Decision:
    return next(d for d in run.decisions if Path(d.candidate.file).name == name)


def outcome(decision: Decision, requirement: str) -> Outcome:
    return next(o for o in decision.requirements if o.id == requirement)


# --- the table ------------------------------------------------------------------------------------


def test_every_fixture_has_expectations(loaded: list[LoadedCandidate]) -> None:
    files = sorted(Path(c.file).name for c in loaded)
    assert files == sorted(EXPECTED), "a fixture without a hand-computed expectation (or the reverse)"
    assert len(files) >= 40
    assert any(f.endswith(".json") for f in files)


@pytest.mark.parametrize("position", POSITIONS)
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_fixture_decision(runs: dict[str, CheckRun], name: str, position: str) -> None:
    run = runs[position]
    assert run.problems == []
    decision = decision_of(run, name)
    assert set(EXPECTED[name][position][1]) <= set(TOP)
    verdict, statuses = expected(name, position)
    got = {o.id: o.status for o in decision.requirements if o.id in TOP}
    assert set(got) == set(TOP), "a requirement the table covers is gone from the rules"
    assert got == statuses
    assert decision.verdict == verdict


def test_experience_branches(runs: dict[str, CheckRun]) -> None:
    admin = runs["administrator"]

    def branches(name: str) -> dict[str, tuple[str, object]]:
        return {c.id: (c.status, c.observed) for c in outcome(decision_of(admin, name), "experience").children}

    # 2023-12-01..2026-12-01 = 36 months = P3Y
    assert branches("dewi-lestari.yaml")["experience-pengawas"] == (PASS, "P3Y")
    # 2023-12-02..2026-12-01 = 35 months = P2Y11M
    assert branches("rudi-hartono.yaml")["experience-pengawas"] == (FAIL, "P2Y11M")
    # definitive 26 months shown; only acting service would reach 36
    eko = branches("eko-prasetyo.yaml")
    assert eko["experience-pengawas"] == (MISSING, "P2Y2M")
    assert eko["experience-ahli-muda"] == (FAIL, "P0M")
    note = outcome(decision_of(admin, "eko-prasetyo.yaml"), "experience").children[0].note
    assert note is not None and note.code == "acting_only"
    assert note.args["with_acting"] == "40"  # 26 definitive + 14 Plt months
    # never Pengawas; Ahli Muda 48 months = P4Y
    nur = branches("nur-aini.yaml")
    assert nur["experience-pengawas"] == (FAIL, "P0M")
    assert nur["experience-ahli-muda"] == (PASS, "P4Y")


def test_observed_values(runs: dict[str, CheckRun]) -> None:
    admin = runs["administrator"]
    assert outcome(decision_of(admin, "agus-setiawan.yaml"), "education").observed == "D3"
    assert outcome(decision_of(admin, "hendra-gunawan.json"), "education").observed == "D4"
    assert outcome(decision_of(admin, "sri-wahyuni.yaml"), "education").observed == "S1"
    assert outcome(decision_of(admin, "maya-anggraini.yaml"), "education").observed == "S2"
    assert outcome(decision_of(admin, "yusuf-maulana.yaml"), "competency-m08").observed == 2.5
    assert outcome(decision_of(admin, "dewi-lestari.yaml"), "competency-m01").observed == 3
    assert outcome(decision_of(admin, "wahyu-prasetyo.yaml"), "no-running-sanction").observed is True
    assert outcome(decision_of(admin, "ni-luh-putu-ariani.yaml"), "pns-status").observed == "PPPK"


# --- ranking --------------------------------------------------------------------------------------


@pytest.mark.parametrize("position", POSITIONS)
def test_board_ranking(runs: dict[str, CheckRun], loaded: list[LoadedCandidate], position: str) -> None:
    file_of = {c.candidate.name: Path(c.file).name for c in loaded}
    assert sorted(file_of) == sorted(BOARD_ORDER)
    groups = ["eligible", "needs_review", "not_eligible"]
    verdict = {name: expected(file_of[name], position)[0] for name in BOARD_ORDER}
    want = sorted(BOARD_ORDER, key=lambda name: groups.index(verdict[name]))
    assert [d.candidate.name for d in runs[position].decisions] == want


def test_board_group_sizes() -> None:
    # Round 2 sends every fixture without a recent health certificate to the board.
    counts = {position: [expected(name, position)[0] for name in EXPECTED] for position in POSITIONS}
    # siti-rahma, budi-santoso, dian-permata, hartono-wijaya, nur-aini, ratih-puspitasari (teguh-santoso: sanction in
    # the look-back)
    assert counts["administrator"].count("eligible") == 6
    assert counts["pengawas"].count("eligible") == 8  # those six, agus-setiawan (D3), rina-kusumawati


@pytest.mark.parametrize("position", POSITIONS)
def test_reference_backend_agrees(
    library: Library, loaded: list[LoadedCandidate], runs: dict[str, CheckRun], position: str
) -> None:
    reference = check(library, position, loaded, AS_OF, backend="reference")

    def summary(run: CheckRun) -> list[tuple[str, str, tuple[tuple[str, str], ...]]]:
        return [(d.candidate.nip, d.verdict, tuple((o.id, o.status) for o in d.requirements)) for d in run.decisions]

    assert summary(reference) == summary(runs[position])


# --- derived facts at boundaries -------------------------------------------------------------------


def test_months_in_post_boundaries(loaded: list[LoadedCandidate]) -> None:
    dewi, rudi = candidate(loaded, "dewi-lestari.yaml"), candidate(loaded, "rudi-hartono.yaml")
    assert derive(dewi, AS_OF).values["months_in_post.pengawas"] == 36  # 2023-12-01 -> 2026-12-01
    assert derive(dewi, AS_OF - dt.timedelta(days=1)).values["months_in_post.pengawas"] == 35
    assert derive(rudi, AS_OF).values["months_in_post.pengawas"] == 35  # 2023-12-02 -> 2026-12-01
    assert derive(rudi, dt.date(2026, 12, 2)).values["months_in_post.pengawas"] == 36


def test_months_in_post_acting_and_jf(loaded: list[LoadedCandidate]) -> None:
    eko = derive(candidate(loaded, "eko-prasetyo.yaml"), AS_OF).values
    assert eko["months_in_post.pengawas"] == 26  # 2024-09-02 -> 2026-12-01 = 26m29d
    assert eko["months_in_post_incl_acting.pengawas"] == 40  # + five Plt decrees 2022-01-03 -> 2023-03-03 = 14
    assert eko["months_in_post.pelaksana"] == 160  # 2011-05-01 -> 2024-09-02 = 160m1d
    nur = derive(candidate(loaded, "nur-aini.yaml"), AS_OF).values
    assert nur["months_in_post.ahli_muda"] == 48  # 2022-12-01 -> 2026-12-01
    assert nur["months_in_post.ahli_pertama"] == 94  # 2015-01-02 -> 2022-12-01 = 94m29d
    assert nur["months_in_post.pengawas"] == 0


def test_months_in_post_several_periods_carry_days(loaded: list[LoadedCandidate]) -> None:
    # 2016-07-01 -> 2023-10-02 = 87m1d; 2025-01-02 -> 2026-12-01 = 22m29d; 109 months + 30 days = 110
    assert derive(candidate(loaded, "ratna-sari.yaml"), AS_OF).values["months_in_post.pengawas"] == 110
    # 2016-03-01 -> 2023-09-01 = 90m; 2025-02-03 -> 2026-12-01 = 21m28d; 111 months + 28 days = 111
    assert derive(candidate(loaded, "sri-wahyuni.yaml"), AS_OF).values["months_in_post.pengawas"] == 111


def test_months_in_rank(loaded: list[LoadedCandidate]) -> None:
    teguh = candidate(loaded, "teguh-santoso.yaml")
    assert derive(teguh, AS_OF).values["months_in_rank"] == 48  # III/d since 2022-12-01
    assert derive(teguh, AS_OF - dt.timedelta(days=1)).values["months_in_rank"] == 47
    facts = derive(candidate(loaded, "budi-santoso.yaml"), AS_OF).values
    assert (facts["golongan"], facts["months_in_rank"]) == ("IV/a", 38)  # since 2023-10-01
    assert "golongan" in derive(teguh, dt.date(2005, 3, 1)).values  # first rank's TMT
    assert "golongan" in derive(teguh, dt.date(2005, 2, 28)).missing  # before any rank


def test_age_on_birthday_and_day_before(loaded: list[LoadedCandidate]) -> None:
    dewi, rudi = candidate(loaded, "dewi-lestari.yaml"), candidate(loaded, "rudi-hartono.yaml")
    assert derive(dewi, AS_OF).values["age_years"] == 42  # born 1984-12-01: birthday
    assert derive(dewi, AS_OF - dt.timedelta(days=1)).values["age_years"] == 41
    assert derive(rudi, AS_OF).values["age_years"] == 39  # born 1986-12-02: day before
    assert derive(rudi, dt.date(2026, 12, 2)).values["age_years"] == 40


def test_rating_with_a_missing_year(loaded: list[LoadedCandidate]) -> None:
    ratna = derive(candidate(loaded, "ratna-sari.yaml"), AS_OF)
    assert ratna.values["rating_min_last_1y"] == "BAIK"  # 2025
    assert "rating_min_last_2y" not in ratna.values  # 2024 has no rating
    gap = ratna.missing["rating_min_last_2y"]
    assert (gap.code, gap.args) == ("no_rating", {"year": "2024", "reason": "CLTN"})
    sri = derive(candidate(loaded, "sri-wahyuni.yaml"), AS_OF)
    assert sri.missing["rating_min_last_2y"].args == {"year": "2024", "reason": "TUGAS_BELAJAR"}
    # a year earlier the window is 2024 and 2023, so the gap is in the 1-year window already
    earlier = derive(candidate(loaded, "ratna-sari.yaml"), dt.date(2025, 12, 1))
    assert "rating_min_last_1y" in earlier.missing


def test_rating_numeric_and_matrix(loaded: list[LoadedCandidate]) -> None:
    def worst(name: str) -> int:
        return PREDIKAT.rank(derive(candidate(loaded, name), AS_OF).values["rating_min_last_2y"])

    assert worst("lina-marlina.yaml") == PREDIKAT.rank("BAIK")  # PP 30/2019 90.00
    assert worst("andi-pratama.yaml") == PREDIKAT.rank("CUKUP")  # PP 30/2019 89.99
    assert worst("fitri-handayani.yaml") == PREDIKAT.rank("BUTUH_PERBAIKAN")  # DI_BAWAH x SESUAI
    assert worst("andi-pratama.yaml") < PREDIKAT.rank("BAIK")
    assert worst("budi-santoso.yaml") == PREDIKAT.rank("BAIK")  # SANGAT_BAIK 2024, BAIK 2025


def test_education_facts(loaded: list[LoadedCandidate]) -> None:
    def facts(name: str) -> dict[str, object]:
        return derive(candidate(loaded, name), AS_OF).values

    assert EDUCATION.rank(str(facts("hendra-gunawan.json")["education"])) == EDUCATION.rank("S1")  # D-IV = S1
    assert facts("sri-wahyuni.yaml")["education"] == "S1"  # foreign S2 without decree is not recognised
    maya = facts("maya-anggraini.yaml")
    assert (maya["education"], maya["education_for_rank"]) == ("S2", "S1")  # decree yes, KP penyesuaian no
    assert facts("agus-setiawan.yaml")["education"] == "D3"


def test_jpm(loaded: list[LoadedCandidate]) -> None:
    def jpm(name: str) -> object:
        return derive(candidate(loaded, name), AS_OF).values.get("jpm")

    assert jpm("budi-santoso.yaml") == Decimal("120.37")  # 32.5 / 27 = 1.203703...
    assert jpm("yusuf-maulana.yaml") == Decimal("98.15")  # 26.5 / 27 = 0.981481... (half up)
    assert jpm("dewi-lestari.yaml") == Decimal("100.00")  # 27 / 27
    assert jpm("nur-aini.yaml") == Decimal("100")  # reported (capped) value wins over 105.56
    assert jpm("bambang-sutrisno.yaml") is None  # no assessment


def test_sanction_facts(loaded: list[LoadedCandidate]) -> None:
    def active(name: str, as_of: dt.date = AS_OF) -> object:
        return derive(candidate(loaded, name), as_of).values["sanction_active"]

    assert active("wahyu-prasetyo.yaml") is True  # 2026-03-01..2027-02-28
    assert active("wahyu-prasetyo.yaml", dt.date(2026, 2, 28)) is False  # decided, not yet in effect
    assert active("teguh-santoso.yaml") is False  # ended 2025-06-30
    assert active("teguh-santoso.yaml", dt.date(2025, 6, 30)) is True  # its last day
    assert active("irwan-syahputra.yaml") is False  # annulled


def test_sanction_without_end_date_is_not_running_forever(loaded: list[LoadedCandidate]) -> None:
    teguh = candidate(loaded, "teguh-santoso.yaml")
    reprimand = teguh.discipline[0].model_copy(
        update={"status": "FINAL", "decided": dt.date(2019, 3, 4), "effective_start": None, "effective_end": None}
    )
    tukin_cut = teguh.discipline[1].model_copy(update={"effective_end": None})  # 6 months from 2025-01-01
    facts = derive(teguh.model_copy(update={"discipline": [reprimand, tukin_cut]}), AS_OF).values
    assert facts["sanction_active"] is False
    assert facts["worst_sanction_last_24m"] == "SEDANG"  # the tukin cut ran until 2025-06-30 (>= 2024-12-01)


# --- malformed candidate files ---------------------------------------------------------------------

# file -> [(code, line, path)], lines counted by hand in the files
BAD_EXPECTED: dict[str, list[tuple[str, int, str]]] = {
    # the brace left open on line 11 is noticed where the next item starts
    "syntax-error.yaml": [("syntax_error", 12, "")],
    "wrong-type-attained.yaml": [("candidate_invalid", 29, "competency_assessments[0].scores[1].attained")],
    "unknown-field-positons.yaml": [("candidate_invalid", 15, "positons")],
    # a missing field has no line of its own: the line of its parent, the top mapping
    "missing-birth-date.yaml": [("candidate_invalid", 1, "birth_date")],
    "invalid-golongan.yaml": [("candidate_invalid", 12, "pangkat[2].golongan")],
    "wrong-type-nip.json": [("candidate_invalid", 2, "nip")],
    "three-problems.yaml": [
        ("candidate_invalid", 3, "nip"),  # 17 digits
        ("candidate_invalid", 7, "employee_status"),  # ASN
        ("candidate_invalid", 21, "performance[1].predikat"),  # BAGUS
    ],
}


@pytest.mark.parametrize("name", sorted(BAD_EXPECTED))
def test_bad_candidate_located(name: str) -> None:
    loaded, problems = load_candidates([BAD / name])
    assert loaded == []
    got = [(p.code, p.line, p.path) for p in problems]
    assert got == BAD_EXPECTED[name]
    assert all(Path(p.file).name == name for p in problems)
    assert all(p.message for p in problems)


def test_unknown_field_gets_a_suggestion() -> None:
    _loaded, problems = load_candidates([BAD / "unknown-field-positons.yaml"])
    assert "positions" in problems[0].hint


def test_three_problems_reported_in_one_pass() -> None:
    _loaded, problems = load_candidates([BAD / "three-problems.yaml"])
    assert len(problems) == 3
    assert len({p.path for p in problems}) == 3 and len({p.line for p in problems}) == 3
    assert "ASN" in problems[1].message and "BAGUS" in problems[2].message


def test_valid_files_still_load_next_to_bad_ones() -> None:
    loaded, problems = load_candidates([FIXTURES, BAD])
    assert sorted(Path(c.file).name for c in loaded) == sorted(EXPECTED)
    bad_files = {p.name for p in BAD.iterdir()}
    assert {Path(p.file).name for p in problems} == bad_files  # every bad file, and only those
    assert all(Path(p.file).parent == BAD for p in problems)


def test_impossible_date_located() -> None:
    _loaded, problems = load_candidates([BAD / "impossible-date.yaml"])
    assert [(p.line, p.path) for p in problems] == [(18, "positions[1].tmt_start")]


# --- waivers: none of the starter requirements are waivable ----------------------------------------


def test_waiver_for_unknown_or_unwaivable_requirement_is_an_input_error(library: Library, tmp_path: Path) -> None:
    path = tmp_path / "dewi-with-waivers.yaml"
    shutil.copy(FIXTURES / "dewi-lestari.yaml", path)
    with path.open("a", encoding="utf-8") as out:
        out.write(
            "waivers:\n"
            "  - {position: administrator, requirement: experience-jf, authority: PPK,"
            " document: 800/17/2026, date: 2026-11-20, reason: no such requirement}\n"
            "  - {position: administrator, requirement: education, authority: PRESIDEN,"
            " document: B-12/M/2026, date: 2026-11-20, reason: not waivable}\n"
        )
    loaded, problems = load_candidates([path])
    assert problems == [] and len(loaded) == 1  # the file itself is well formed
    run = check(library, "administrator", loaded, AS_OF)
    assert run.decisions == []  # the candidate is held back, not decided
    assert [(p.code, p.path) for p in run.problems] == [
        ("bad_waiver", "waivers[0].requirement"),
        ("bad_waiver", "waivers[1].authority"),
    ]
    assert all(p.file == str(path) for p in run.problems)
    # a waiver for another position is not checked against this one
    assert check(library, "pengawas", loaded, AS_OF).problems == []
