"""Fact values in words for people: durations, ages, yes/no facts and sanctions; the gap to a threshold."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from engine.facts.calendar import add_months, completed_months, duration_text
from engine.facts.families import split_name
from engine.facts.vocabulary import FactSpec
from engine.present.i18n import OPS, WHATIF_FACTS, label, pick, whatif_text

# Yes/no facts in words a board reads: fact -> (true en, false en, true id, false id).
BOOL_WORDS: dict[str, tuple[str, str, str, str]] = {
    "sanction_active": (
        "serving a sanction",
        "no sanction running",
        "sedang menjalani hukuman",
        "tidak ada hukuman berjalan",
    ),
    "sanction_pending": (
        "examination or appeal pending",
        "nothing pending",
        "pemeriksaan atau banding belum diputus",
        "tidak ada yang belum diputus",
    ),
    "assessment_accredited": (
        "accredited provider",
        "provider not accredited",
        "penyelenggara terakreditasi",
        "penyelenggara tidak terakreditasi",
    ),
    "new_diploma": (
        "a higher diploma not yet recognised for rank",
        "no higher diploma than the one recognised",
        "ijazah lebih tinggi yang belum diakui untuk pangkat",
        "tidak ada ijazah di atas yang diakui",
    ),
    "diploma_matches_duties": (
        "diploma matches the duties of the post",
        "diploma does not match the duties of the post",
        "ijazah sesuai dengan tugas jabatan",
        "ijazah tidak sesuai dengan tugas jabatan",
    ),
    "diploma_formation_available": (
        "formation for the higher rank open",
        "no formation for the higher rank",
        "formasi pangkat yang lebih tinggi tersedia",
        "formasi pangkat yang lebih tinggi tidak tersedia",
    ),
    "below_diploma_start_rank": (
        "below the starting rank of the new diploma",
        "at or above the starting rank of the new diploma",
        "di bawah pangkat awal ijazah baru",
        "sudah pada atau di atas pangkat awal ijazah baru",
    ),
    "below_education_ceiling": (
        "below the ceiling of the education recognised for rank",
        "at the ceiling of the education recognised for rank",
        "di bawah batas pangkat pendidikan yang diakui",
        "sudah pada batas pangkat pendidikan yang diakui",
    ),
    "rank_within_superior": (
        "the next rank stays within the direct superior's rank",
        "the next rank would exceed the direct superior's rank",
        "pangkat berikutnya tidak melampaui pangkat atasan langsung",
        "pangkat berikutnya melampaui pangkat atasan langsung",
    ),
}

# Rank steps measured from an end of the structural post's eselon band, in words (a board does not read "-1"):
# fact -> (en below, en at, en above, id below, id at, id above); below/above take the number of steps.
STEP_WORDS: dict[str, tuple[str, str, str, str, str, str]] = {
    "post_band_floor_steps": (
        "{n} below the eselon's lowest rank",
        "at the eselon's lowest rank",
        "{n} above the eselon's lowest rank",
        "{n} di bawah pangkat terendah eselon",
        "pada pangkat terendah eselon",
        "{n} di atas pangkat terendah eselon",
    ),
    "post_band_top_steps": (
        "{n} below the eselon's highest rank",
        "at the eselon's highest rank",
        "{n} above the eselon's highest rank",
        "{n} di bawah pangkat tertinggi eselon",
        "pada pangkat tertinggi eselon",
        "{n} di atas pangkat tertinggi eselon",
    ),
}


def _steps(name: str, value: int, lang: str) -> str:
    """post_band_floor_steps -1 -> '1 step below the eselon's lowest rank'; top steps count down to the top."""
    words = STEP_WORDS[name][3:] if lang == "id" else STEP_WORDS[name][:3]
    below_first = name == "post_band_floor_steps"  # floor steps are negative below the band, top steps positive
    side = 1 if value == 0 else (0 if (value < 0) == below_first else 2)
    n = abs(value)
    count = f"{n} {'step' if n == 1 else 'steps'}" if lang == "en" else f"{n} tingkat"
    return words[side].format(n=count)


SANCTION_WORDS = {
    "NONE": ("none", "tidak ada"),
    "RINGAN": ("light (ringan)", "ringan"),
    "SEDANG": ("moderate (sedang)", "sedang"),
    "BERAT": ("heavy (berat)", "berat"),
}


def shown(spec: FactSpec | None, value: Any, lang: str) -> str:
    """A fact value for people: durations in years and months, ages in years, booleans as words."""
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(shown(spec, v, lang) for v in value)
    if spec is not None and spec.kind == "months":
        return duration_text(_months(value), lang)
    if spec is not None and spec.name in BOOL_WORDS and isinstance(value, bool):
        words = BOOL_WORDS[spec.name]
        return words[(0 if value else 1) + (2 if lang == "id" else 0)]
    if spec is not None and spec.scale == "sanction_level" and value in SANCTION_WORDS:
        return SANCTION_WORDS[value][1 if lang == "id" else 0]
    if spec is not None and spec.name in STEP_WORDS and isinstance(value, int) and not isinstance(value, bool):
        return _steps(spec.name, value, lang)
    if spec is not None and spec.name == "age_years":
        return f"{value} years" if lang == "en" else f"{value} tahun"
    if isinstance(value, bool):
        return label("yes" if value else "no", lang)
    return str(value)


def _months(value: Any) -> int:
    if isinstance(value, int):
        return value
    text = str(value).removeprefix("P")  # ISO form P3Y5M
    years, _, rest = text.partition("Y") if "Y" in text else ("0", "", text)
    return int(years) * 12 + int(rest.removesuffix("M") or 0)


def _short_to_the_day(expected: Any, anchor: dt.date, as_of: dt.date, lang: str) -> str:
    """'1 day short: met on 2026-12-02': the time still missing when the service runs on, exact to the day."""
    reach = add_months(anchor, _months(expected))
    months = completed_months(as_of, reach)
    days = (reach - add_months(as_of, months)).days
    parts = [duration_text(months, lang)] if months else []
    if days or not parts:
        parts.append(f"{days} {'day' if days == 1 else 'days'}" if lang == "en" else f"{days} hari")
    amount = " ".join(parts)
    return f" ({amount} short: met on {reach})" if lang == "en" else f" (kurang {amount}: terpenuhi pada {reach})"


def gap_text(
    spec: FactSpec | None,
    op: str,
    observed: Any,
    expected: Any,
    lang: str,
    *,
    anchor: dt.date | None = None,
    as_of: dt.date | None = None,
) -> str:
    """'needs 4 years, has 3 years 5 months (7 months short)' or 'needs level 3, has 2'; with the day a running
    service period counts from, the shortfall is exact to the day ('1 day short: met on 2026-12-02')."""
    need = f"{OPS[op]} {shown(spec, expected, lang)}"
    has = shown(spec, observed, lang)
    if spec is not None and spec.name.startswith("competency."):
        need = f"level {OPS[op]} {expected}"
    text = label("gap_text", lang, need=need, has=has)
    if spec is not None and spec.kind == "months" and op == "gte" and anchor is not None and as_of is not None:
        return text + _short_to_the_day(expected, anchor, as_of, lang)
    if spec is not None and spec.kind in ("months", "int", "decimal") and op in ("gte", "gt"):
        short = (
            _months(expected) - _months(observed)
            if spec.kind == "months"
            else Decimal(str(expected)) - Decimal(str(observed))
        )
        if op == "gt":
            short += 1 if spec.kind != "decimal" else Decimal("0.01")
        amount = shown(spec, short, lang) if spec.kind == "months" else str(short)
        text += " " + label("short_by", lang, amount=amount)
    return text


def whatif_subject(spec: FactSpec, fact: str, op: str, target: Any, lang: str) -> str | None:
    """'4 years in rank', 'Integritas (M01) level 3', 'S1', 'age at most 56'; None: use the requirement's text."""
    from engine.facts.scales import COMPETENCIES

    family, _, member = fact.partition(".")
    if fact.startswith(("rating_min_last_", "worst_sanction_last_")):
        family, member = split_name(fact) or (fact, "")
    phrase = WHATIF_FACTS.get(family if member else fact)
    if phrase is None or op not in ("gte", "gt", "lte", "lt", "eq"):
        return None
    value = shown(spec, target, lang)
    if op == "lt" and spec.kind == "int" and isinstance(target, int):
        value = whatif_text("under", lang, value=shown(spec, target + 1, lang))  # "under 56", not "at most 55"
    elif op in ("lte", "lt"):
        value = whatif_text("at_most", lang, value=value)
    name = pick(COMPETENCIES.get(member, (member, member))[::-1], lang)  # as the requirement texts name it
    post = member.replace("_", " ").title()
    return pick(phrase, lang).format(value=value, post=post, code=member, n=member, name=name)
