"""The candidate file: a civil servant's dossier, strictly validated."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, model_validator

from engine.load.values import (
    HISTORY,
    Attained,
    Date,
    EducationLevel,
    Expectation,
    Golongan,
    Jenjang,
    Number,
    Percent,
    PostKind,
    Predikat,
    Scheme,
    Strict,
)

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


class DiplomaAdjustment(Strict):
    """The HR office's statement on a rank promotion on a new diploma (PP 99/2000 Pasal 18 as amended by PP
    12/2002): the new diploma matches the duties of the post held, and a formation for the higher rank is open."""

    duties_match: bool
    formation_available: bool
    decree: str | None = None


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
    # The cap of KP reguler and KP pilihan struktural at the direct superior's rank (issue #8); absent is unknown.
    direct_superior_golongan: Golongan | None = Field(
        default=None, description="Rank (golongan ruang) of the direct superior on the proposed TMT; absent: unknown"
    )
    # Penyesuaian ijazah conditions no other field records (issue #8); absent: the board decides.
    diploma_adjustment: DiplomaAdjustment | None = Field(
        default=None, description="The HR office's statement for a penyesuaian ijazah; absent: the board decides"
    )
    # imported-dossier fields (issue #10)
    legal_position: LegalPosition | None = None
    provenance: Provenance | None = None
    # unpaid leave outside the service (issue #8)
    leave: list[Leave] = Field(default_factory=list)
