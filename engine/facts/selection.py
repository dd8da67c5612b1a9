"""Which derivation steps a set of fact names needs: the families that make them and the families those read."""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass, field

from engine.facts.families import POST_KEYS, RATING_YEARS, split_name

# The step that makes each fixed fact. A step makes all its facts at once (its notes are shared), so asking for one
# of them costs the step; a step is skipped only when none of its facts is asked for and no other step reads it.
_STEP_OF = {
    "age_years": "age",
    "golongan": "rank",
    "months_in_rank": "rank",
    "months_of_service": "service",
    "employee_status": "status",
    "criminal_record": "status",
    "education": "education",
    "education_for_rank": "education",
    "current_post": "positions",
    "months_in_jf_keterampilan": "skill_track",
    "jpm": "assessment",
    "jpm_capped": "assessment",
    "assessment_age_months": "assessment",
    "assessment_months_started": "assessment",
    "assessment_accredited": "assessment",
    "sanction_active": "discipline",
    "sanction_pending": "discipline",
    "credit_points_jenjang": "credit_points",
    "credit_points_pangkat": "credit_points",
    "talent_box": "talent",
    "health_certificate_age_months": "health",
    "health_certificate_months_started": "health",
    "below_education_ceiling": "education_promotion",
    "new_diploma": "education_promotion",
    "below_diploma_start_rank": "education_promotion",
    "as_of_day": "calendar",
    "as_of_month": "calendar",
    "months_in_current_post": "rank_promotion",
    "rank_within_superior": "rank_promotion",
    "diploma_matches_duties": "rank_promotion",
    "diploma_formation_available": "rank_promotion",
    "post_band_floor_steps": "rank_promotion",
    "post_band_top_steps": "rank_promotion",
}
_FAMILY_STEP = {
    "months_in_post": "positions",
    "months_in_post_incl_acting": "positions",
    "months_in_post_with_penyetaraan": "penyetaraan",
    "rating_min_last": "ratings",
    "competency": "assessment",
    "worst_sanction_last": "discipline",
    "training": "trainings",
    "exam": "exams",
}
# What a step reads from the facts other steps made before it (promotion.education_facts reads golongan and the
# diplomas; rank_promotion_facts the rank, the current post and its months, whichever post that is; penyetaraan
# the periods the post scan collects; the skill track the same scan).
_READS: dict[str, tuple[str, ...]] = {
    "education_promotion": ("rank", "education"),
    "rank_promotion": ("rank", "positions", "all_posts"),
    "penyetaraan": ("positions",),
    "skill_track": ("positions",),
}
STEPS = frozenset({*_STEP_OF.values(), *_FAMILY_STEP.values(), "all_posts"})
_POST_FAMILIES = ("months_in_post", "months_in_post_incl_acting")


@dataclass(frozen=True)
class Selection:
    """The steps to run; ``posts`` the post keys whose months are asked for (all of them when ``all_posts``);
    ``rating_years`` how many look-back years of ratings."""

    steps: frozenset[str]
    posts: frozenset[str] = frozenset()
    rating_years: int = 0
    never_held: dict[str, int] = field(default_factory=dict, compare=False)


def selection(names: Iterable[str]) -> Selection | None:
    """The steps making ``names`` and what they read; None (derive everything) when a name is not known here."""
    return _selection(frozenset(names))


@functools.lru_cache(maxsize=64)
def _selection(names: frozenset[str]) -> Selection | None:
    steps: set[str] = set()
    posts: set[str] = set()
    years = 0
    for name in names:
        step = _STEP_OF.get(name)
        if step is None:
            split = split_name(name) or _technical(name)
            if split is None:
                return None  # not a fact of the vocabulary: nothing to skip safely
            family, member = split
            step = _FAMILY_STEP[family]
            if family in ("months_in_post", "months_in_post_incl_acting"):
                posts.add(member)
            elif family == "rating_min_last":
                years = max(years, int(member))
        steps.add(step)
    pending = list(steps)
    while pending:  # the steps read by those asked for, and by those in turn
        for needed in _READS.get(pending.pop(), ()):
            if needed not in steps:
                steps.add(needed)
                pending.append(needed)
    keys = frozenset(POST_KEYS) if "all_posts" in steps else frozenset(posts)
    never_held = {f"{family}.{key}": 0 for key in POST_KEYS if key in keys for family in _POST_FAMILIES}
    return Selection(frozenset(steps), keys, years, never_held)


def _technical(name: str) -> tuple[str, str] | None:
    # competency.<code> of an open-ended technical competency (T_...) that split_name's pattern may not list
    return ("competency", name.removeprefix("competency.")) if name.startswith("competency.") else None


# The full derivation: every step, every post, every look-back year.
EVERYTHING = Selection(
    STEPS,
    frozenset(POST_KEYS),
    max(RATING_YEARS),
    {f"{family}.{key}": 0 for key in POST_KEYS for family in _POST_FAMILIES},
)
