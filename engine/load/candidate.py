"""The candidate file: a civil servant's dossier, strictly validated."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, WithJsonSchema, model_validator

Golongan = Literal[
    "I/a",
    "I/b",
    "I/c",
    "I/d",
    "II/a",
    "II/b",
    "II/c",
    "II/d",
    "III/a",
    "III/b",
    "III/c",
    "III/d",
    "IV/a",
    "IV/b",
    "IV/c",
    "IV/d",
    "IV/e",
]
EducationLevel = Literal["SD", "SLTP", "SLTP_KEJURUAN", "SLTA", "D1", "D2", "D3", "D4", "S1", "S2", "S3", "PROFESI"]
PostKind = Literal["JPT_UTAMA", "JPT_MADYA", "JPT_PRATAMA", "ADMINISTRATOR", "PENGAWAS", "PELAKSANA", "JF"]
Jenjang = Literal["PEMULA", "TERAMPIL", "MAHIR", "PENYELIA", "AHLI_PERTAMA", "AHLI_MUDA", "AHLI_MADYA", "AHLI_UTAMA"]
Predikat = Literal[
    "SANGAT_BAIK",
    "BAIK",
    "CUKUP",
    "BUTUH_PERBAIKAN",
    "KURANG",
    "KURANG_MISCONDUCT",
    "SANGAT_KURANG",
    "BURUK",
    "AMAT_BAIK",
    "SEDANG",
]
Scheme = Literal["DP3_PP10_1979", "PP46_2011", "PP30_2019", "PERMENPANRB_8_2021", "PERMENPANRB_6_2022"]
Expectation = Literal["DI_BAWAH", "SESUAI", "DI_ATAS"]


def _date(value: Any) -> Any:
    # Only a calendar date: YAML gives datetime.date, JSON gives "YYYY-MM-DD". Numbers and
    # timestamps are refused rather than guessed at.
    if isinstance(value, dt.datetime):
        raise ValueError("expected a date like 2024-03-01, not a date and time")
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            raise ValueError(f"{value!r} is not a real calendar date") from None
    raise ValueError(f"expected a date like 2024-03-01, got {value!r}")


# Assessment centres report scores, and PAK decrees credit points, to at most three decimals (the
# facts then decide whether a value is too precise to compare); the largest real value is a few
# thousand credit points. Anything beyond is a typing or export mistake, refused here with its field
# instead of failing deep in the arithmetic.
NUMBER_PLACES = 3
NUMBER_LIMIT = Decimal(1_000_000)


def _decimal(value: Any) -> Any:
    # Numbers only (a quoted "78.5" is a typing mistake in the file, not a number); kept exact.
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise ValueError(f"expected a number, got {value!r}")
    if isinstance(value, int) and abs(value) >= NUMBER_LIMIT:
        raise ValueError(f"{value} is out of range (at most {NUMBER_LIMIT - 1:,} in size)")
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        raise ValueError(f"expected a number, got {value!r}") from None
    if not number.is_finite():
        raise ValueError("expected a finite number")
    if abs(number) >= NUMBER_LIMIT:
        raise ValueError(f"{value} is out of range (at most {NUMBER_LIMIT - 1:,} in size)")
    exponent = number.normalize().as_tuple().exponent
    if isinstance(exponent, int) and exponent < -NUMBER_PLACES:
        raise ValueError(f"{value} has more than {NUMBER_PLACES} decimal places")
    return number


def _schema(minimum: Decimal, maximum: Decimal) -> WithJsonSchema:
    # The published schema says what the validator accepts: a number (never a quoted one), in range.
    return WithJsonSchema(
        {
            "type": "number",
            "minimum": float(minimum),
            "maximum": float(maximum),
            "description": f"a number with at most {NUMBER_PLACES} decimal places (not quoted)",
        }
    )


_LOW, _HIGH = -NUMBER_LIMIT + Decimal("0.001"), NUMBER_LIMIT - Decimal("0.001")
Date = Annotated[dt.date, BeforeValidator(_date)]
Number = Annotated[Decimal, BeforeValidator(_decimal), Field(ge=_LOW, le=_HIGH), _schema(_LOW, _HIGH)]
Attained = Annotated[Decimal, BeforeValidator(_decimal), Field(ge=0, le=5), _schema(Decimal(0), Decimal(5))]
Percent = Annotated[Decimal, BeforeValidator(_decimal), Field(ge=0, le=200), _schema(Decimal(0), Decimal(200))]
# Histories are bounded by a career: about forty years give at most ~80 half-year appraisals and
# 17 ranks; these caps leave ample slack and keep a file duplicated into thousands of entries from
# costing minutes of evaluation.
HISTORY = 200


class Strict(BaseModel):
    """Unknown fields and loose types are errors, never silently accepted."""

    # Free texts (names, units, decree numbers) are short; 2,000 characters is far beyond any of them.
    model_config = ConfigDict(strict=True, extra="forbid", frozen=True, str_max_length=2000)


# ---- Imported dossiers (issue #10, `layak import siasn`): provenance and what the source could not say. ----
# Every field here is optional, so hand-written candidate files stay valid. Other import-related additions
# (leave periods, issue #8) belong in this block too.

InferredField = Literal[
    "tmt_end",
    "appointment",
    "recognised_for_rank",
    "jf_jenjang",
    "jf_kategori",
    "graduated",
    "scheme",
    "effective_end",
    "level",
    "type",
]
NotRecorded = Literal[
    "pangkat",
    "education",
    "education_for_rank",
    "positions",
    "position_history",
    "performance",
    "discipline",
    "discipline_pending",
    "trainings",
    "exams",
    "criminal_record",
    "credit_points",
]


class SourceRef(Strict):
    """Where one entry came from, and which of its values the importer inferred instead of reading them."""

    system: Literal["SIASN", "SIASN_CSV"] = Field(description="SIASN web service responses, or the SIASN CSV export")
    record_id: str | None = Field(
        default=None, description="The SIASN riwayat row id (32-hex legacy SAPK id or UUID); none for the CSV export"
    )
    inferred: list[InferredField] = Field(
        default_factory=list,
        description="Values of this entry that were inferred, not read: tmt_end (from the next position's TMT), "
        "appointment (acting status assumed DEFINITIF: SIASN records none before 2024), "
        "recognised_for_rank (diploma recognition from the first-education flag or a KP penyesuaian "
        "ijazah), jf_jenjang/jf_kategori (from the position name), graduated (31 December of the "
        "graduation year), scheme (appraisal scheme from the year), effective_end (start + duration), "
        "level (sanction level from its type), type (training type from its name)",
    )


class Sourced(Strict):
    source: SourceRef | None = Field(default=None, description="Provenance of an imported entry")


class SourceFile(Strict):
    """One input the dossier was built from, fingerprinted so a decision can be tied to the exact bytes."""

    name: str = Field(
        description="File name within the NIP's folder, bundle file and line, or CSV file and row "
        "(never the NIP, which a redacted audit export must not reveal)"
    )
    endpoint: str = Field(description="SIASN endpoint, e.g. rw-golongan, or csv-export")
    sha256: Annotated[str, Field(pattern=r"^[0-9a-f]{64}$", description="SHA-256 of the bytes read")]


class Provenance(Strict):
    """Where an imported dossier came from and which histories its source does not hold."""

    system: Literal["SIASN", "SIASN_CSV"]
    importer: str = Field(description="The importer and its version, e.g. layak 0.1.0")
    files: list[SourceFile] = Field(default_factory=list)
    not_recorded: list[NotRecorded] = Field(
        default_factory=list,
        description="Histories the source lacks or that could not be mapped completely; the facts derived from "
        "them are missing (never false or zero), so the rules that need them say missing",
    )


class LegalPosition(Strict):
    """Kedudukan hukum (SIASN kedudukanPnsId): 01 Aktif; others (CLTN, tugas belajar, ...) need a review."""

    code: Annotated[str, Field(pattern=r"^\d{2}$")]
    name: str | None = None


# ---- end of imported-dossier block ----


class Rank(Sourced):
    golongan: Golongan
    tmt: Date
    sk_number: str | None = None
    kp_type: (
        Literal[
            "PENGANGKATAN",
            "REGULER",
            "PILIHAN_STRUKTURAL",
            "PILIHAN_JF",
            "PENYESUAIAN_IJAZAH",
            "ISTIMEWA",
            "PENGABDIAN",
        ]
        | None
    ) = None


class Education(Sourced):
    level: EducationLevel
    major: str | None = None
    institution: str | None = None
    foreign: bool = False
    equivalence_decree: str | None = None
    graduated: Date
    recognised_for_rank: bool = False


class Position(Sourced):
    jenis: PostKind
    jf_name: str | None = None
    jf_kategori: Literal["KEAHLIAN", "KETERAMPILAN"] | None = None
    jf_jenjang: Jenjang | None = None
    eselon_legacy: Literal["I.a", "I.b", "II.a", "II.b", "III.a", "III.b", "IV.a", "IV.b", "V"] | None = None
    unit: str | None = None
    field_tags: list[str] = Field(default_factory=list, max_length=50)
    tmt_start: Date
    tmt_end: Date | None = None
    appointment: Literal["DEFINITIF", "PLT", "PLH"] = "DEFINITIF"
    via_penyetaraan: bool = False
    sk_number: str | None = None

    @model_validator(mode="after")
    def _consistent(self) -> Position:
        if self.jenis == "JF" and self.jf_jenjang is None:
            raise ValueError("a JF position needs jf_jenjang")
        if self.jenis != "JF" and self.jf_jenjang is not None:
            raise ValueError("jf_jenjang is only for jenis JF")
        if self.tmt_end is not None and self.tmt_end < self.tmt_start:
            raise ValueError("tmt_end is before tmt_start")
        return self


class Performance(Sourced):
    period: Annotated[str, Field(pattern=r"^\d{4}(-S[12])?$")]
    scheme: Scheme
    numeric_score: Number | None = None
    predikat: Predikat | None = None
    rating_hasil_kerja: Expectation | None = None
    rating_perilaku: Expectation | None = None
    missing_reason: (
        Literal["CLTN", "TUGAS_BELAJAR", "CPNS_YEAR", "SICK_LEAVE", "NOT_SUBMITTED", "OTHER", "SOURCE_CONFLICT"] | None
    ) = None


class Score(Strict):
    code: Annotated[str, Field(pattern=r"^(M0[1-8]|SK01|T_[A-Z0-9_]+)$")]
    attained: Attained
    standard: Annotated[int, Field(ge=1, le=5)] | None = None


class Assessment(Strict):
    assessment_id: str
    provider: str
    provider_accredited: bool
    date: Date
    purpose: Literal["PEMETAAN", "SELEKSI_JPT", "UJI_KOMPETENSI_JF", "PROMOSI_JA"]
    target_position_id: str | None = None
    scores: Annotated[list[Score], Field(max_length=50)]
    jpm_percent: Percent | None = None
    category_scheme: Literal["SELEKSI_MS_MMS_KMS", "PEMETAAN_OPTIMAL", "AGENCY_CUSTOM"] | None = None
    category: str | None = None


class Talent(Strict):
    box: Annotated[int, Field(ge=1, le=9)] | None = None
    period: str | None = None


class Sanction(Sourced):
    level: Literal["RINGAN", "SEDANG", "BERAT"]
    type: Literal[
        "TEGURAN_LISAN",
        "TEGURAN_TERTULIS",
        "PERNYATAAN_TIDAK_PUAS",
        "POTONG_TUKIN_6",
        "POTONG_TUKIN_9",
        "POTONG_TUKIN_12",
        "PENURUNAN_JABATAN_12",
        "PEMBEBASAN_KE_PELAKSANA_12",
        "PDHTAPS",
        "PTDH",
    ]
    regulation: Literal["PP53_2010", "PP94_2021"]
    decided: Date
    effective_start: Date | None = None
    effective_end: Date | None = None
    status: Literal[
        "UNDER_EXAMINATION", "DECIDED", "OBJECTION_PENDING", "APPEAL_PENDING", "FINAL", "ANNULLED", "COMPLETED"
    ]


class Training(Sourced):
    type: Literal[
        "LATSAR",
        "PKP",
        "PKA",
        "PKN_II",
        "PKN_I",
        "DIKLATPIM_IV",
        "DIKLATPIM_III",
        "DIKLATPIM_II",
        "TEKNIS",
        "FUNGSIONAL",
    ]
    passed: Date
    name: str | None = None


class Exam(Strict):
    """A passed rank-promotion examination (PP 99/2000 jo PP 12/2002): ujian dinas tingkat I (II/d → III/a),
    tingkat II (III/d → IV/a), or the ujian penyesuaian kenaikan pangkat (UPKP) for a new diploma."""

    type: Literal["UJIAN_DINAS_TK_I", "UJIAN_DINAS_TK_II", "UPKP"]
    passed: Date
    certificate: str | None = None


class CreditPoints(Strict):
    cumulative_for_pangkat: Number
    cumulative_for_jenjang: Number
    pak_date: Date


class Waiver(Strict):
    """An approval that excepts one requirement (PP 17/2020 Pasal 107 ayat (2)). It counts only on the days
    from ``date`` through ``expires``: the approval must come beforehand ("terlebih dahulu")."""

    position: str
    requirement: str
    authority: Literal["PRESIDEN", "MENTERI_PANRB", "KEPALA_BKN", "PPK"]
    document: str
    date: Date
    reason: str
    expires: Date | None = None

    @model_validator(mode="after")
    def _dated(self) -> Waiver:
        if self.expires is not None and self.expires < self.date:
            raise ValueError("expires is before date")
        return self


class Leave(Strict):
    """Unpaid leave outside the civil service (cuti di luar tanggungan negara, CLTN): not counted as service,
    time in rank or time in post. ``end`` is the day service resumes (None: still on leave)."""

    type: Literal["CLTN"]
    start: Date
    end: Date | None = None
    document: str | None = None

    @model_validator(mode="after")
    def _dated(self) -> Leave:
        if self.end is not None and self.end <= self.start:
            raise ValueError("end is not after start")
        return self


class Candidate(Strict):
    """One civil servant; histories are lists in any order (facts sort them by date)."""

    nip: Annotated[str, Field(pattern=r"^\d{18}$")]
    name: Annotated[str, Field(min_length=1)]
    birth_date: Date
    instansi_id: str
    employee_status: Literal["CPNS", "PNS", "PPPK"]
    tmt_cpns: Date
    tmt_pns: Date | None = None
    pangkat: Annotated[list[Rank], Field(min_length=1, max_length=HISTORY)]
    education: list[Education] = Field(default_factory=list, max_length=HISTORY)
    positions: list[Position] = Field(default_factory=list, max_length=HISTORY)
    performance: list[Performance] = Field(default_factory=list, max_length=HISTORY)
    competency_assessments: list[Assessment] = Field(default_factory=list, max_length=HISTORY)
    talent: Talent | None = None
    discipline: list[Sanction] = Field(default_factory=list, max_length=HISTORY)
    trainings: list[Training] = Field(default_factory=list, max_length=HISTORY)
    exams: list[Exam] = Field(default_factory=list, max_length=HISTORY)
    angka_kredit: CreditPoints | None = None
    health_certificate_date: Date | None = None
    lhkpn_or_lhkasn_submitted_year: Annotated[int, Field(ge=1900, le=2200)] | None = None
    hukuman_pidana: Literal["NONE", "CONVICTED", "IN_PROCESS"] = "NONE"
    waivers: list[Waiver] = Field(default_factory=list, max_length=HISTORY)
    # imported-dossier fields (issue #10)
    legal_position: LegalPosition | None = None
    provenance: Provenance | None = None
    # unpaid leave outside the service (issue #8)
    leave: list[Leave] = Field(default_factory=list)
