"""Which facts an imported dossier cannot support: the histories its source does not hold."""

from __future__ import annotations

# Each history named in a dossier's provenance.not_recorded withholds these facts (a name ending in "." or
# "_" is a family prefix). A history the source lacks is unknown, not empty: an empty discipline list read
# from a CSV export must not become "no sanction".
WITHHELD: dict[str, tuple[str, ...]] = {
    "pangkat": ("golongan", "months_in_rank", "below_education_ceiling", "below_diploma_start_rank"),
    "education": (
        "education",
        "education_for_rank",
        "below_education_ceiling",
        "new_diploma",
        "below_diploma_start_rank",
    ),
    "education_for_rank": ("education_for_rank", "below_education_ceiling", "new_diploma"),
    "positions": (
        "current_post",
        "months_in_post.",
        "months_in_post_incl_acting.",
        "months_in_post_with_penyetaraan.",
        "months_in_jf_keterampilan",
    ),
    "position_history": (
        "months_in_post.",
        "months_in_post_incl_acting.",
        "months_in_post_with_penyetaraan.",
        "months_in_jf_keterampilan",
    ),
    "performance": ("rating_min_last_",),
    "discipline": ("sanction_active", "sanction_pending", "worst_sanction_last_"),
    "discipline_pending": ("sanction_pending",),
    "trainings": ("training.",),
    "exams": ("exam.",),
    "criminal_record": ("criminal_record",),
    "credit_points": ("credit_points_jenjang", "credit_points_pangkat"),
}


def withheld(history: str, fact: str) -> bool:
    """Whether ``fact`` is derived from ``history``."""
    return any(fact == name or (name[-1] in "._" and fact.startswith(name)) for name in WITHHELD[history])
