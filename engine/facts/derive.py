"""Deriving the fact vocabulary from a candidate file as of a date."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from engine.facts import promotion
from engine.facts.calendar import (
    add_months,
    completed_months,
    running_start,
    span_months,
    started_months,
    without_leave,
)
from engine.facts.families import POST_KEYS, RATING_YEARS, SANCTION_WINDOWS, family_name
from engine.facts.promotion import below_ceiling, below_start_rank, exam_passed, new_diploma, penyetaraan_periods
from engine.facts.scales import (
    EDUCATION,
    EXAM_TYPES,
    PENYETARAAN,
    PREDIKAT,
    RATING_BANDS,
    RATING_MATRIX,
    SANCTION_LEVEL,
    SANCTION_MONTHS,
    TRAINING_TYPES,
)
from engine.facts.unrecorded import withheld
from engine.facts.vocabulary import DECIMAL_PLACES
from engine.load.candidate import Candidate, Performance, Position, Sanction


class Note(BaseModel):
    """Why something is unknown or special, as a code with arguments (rendered per language)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    code: str
    args: dict[str, str] = {}


_NOTES: dict[tuple[Any, ...], Note] = {}


def note(code: str, **args: object) -> Note:
    """The note of ``code`` with these arguments; the same frozen note is shared by every candidate that has it."""
    key = (code, *((k, str(v)) for k, v in args.items()))
    found = _NOTES.get(key)
    if found is None:
        if len(_NOTES) >= 10_000:  # arguments such as dates vary: bounded
            _NOTES.clear()
        found = _NOTES[key] = Note(code=code, args={k: str(v) for k, v in args.items()})
    return found


class Facts(BaseModel):
    """What is known of a candidate on one date: values, and why others are unknown."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    as_of: dt.date
    values: dict[str, Any]
    missing: dict[str, Note] = {}
    invalid: dict[str, Note] = {}
    # For a service-time fact that runs on the date: the day its months count from (unpaid leave taken out), so a
    # shortfall can be said to the day. Not recorded: it follows from the file and the date.
    anchors: dict[str, dt.date] = Field(default_factory=dict, exclude=True)


_ACTIVE_STATUSES = {"DECIDED", "FINAL", "COMPLETED"}
_PENDING_STATUSES = {"UNDER_EXAMINATION", "OBJECTION_PENDING", "APPEAL_PENDING"}
_SKILL_TRACK = ("pemula", "terampil", "mahir", "penyelia")
_TRAINING_FACTS = tuple((kind, f"training.{kind}") for kind in TRAINING_TYPES)
_POST_FACTS = tuple((key, f"months_in_post.{key}", f"months_in_post_incl_acting.{key}") for key in POST_KEYS)


def _predikat(entry: Performance) -> str | None:
    if entry.predikat is not None:
        return entry.predikat
    if entry.rating_hasil_kerja and entry.rating_perilaku:
        return RATING_MATRIX[(entry.rating_hasil_kerja, entry.rating_perilaku)]
    if entry.numeric_score is not None and entry.scheme in RATING_BANDS:
        for floor, word in RATING_BANDS[entry.scheme]:
            if entry.numeric_score >= floor:
                return word
    return None


def _sanction_end(sanction: Sanction, start: dt.date) -> dt.date | None:
    """The last day a sanction runs (None: it never ends)."""
    if sanction.effective_end is not None:
        return sanction.effective_end
    if sanction.status == "COMPLETED":
        return sanction.decided
    months = SANCTION_MONTHS.get(sanction.type)
    if months is None:
        return None
    return start if months == 0 else add_months(start, months) - dt.timedelta(days=1)


def _post_key(position: Position) -> str:
    return (position.jf_jenjang or position.jenis).lower()


class _Deriver:
    def __init__(self, candidate: Candidate, as_of: dt.date) -> None:
        self.c = candidate
        self.as_of = as_of
        self.values: dict[str, Any] = {}
        self.missing: dict[str, Note] = {}
        self.invalid: dict[str, Note] = {}
        self.anchors: dict[str, dt.date] = {}
        self.leaves = [(leave.start, leave.end) for leave in candidate.leave if leave.type == "CLTN"]

    def months_since(self, start: dt.date) -> int:
        return completed_months(start, self.as_of)

    def service(self, name: str, periods: list[tuple[dt.date, dt.date]]) -> None:
        """A service-time fact: the periods without unpaid leave (CLTN), in months, and its anchor if running."""
        if not periods:  # most posts were never held: nothing to count and nothing running
            self.values[name] = 0
            return
        leaves = self.leaves
        kept = [without_leave(start, end, leaves) for start, end in periods] if leaves else periods
        self.values[name] = span_months(kept)
        anchor = running_start(kept, self.as_of)
        if anchor is not None:
            self.anchors[name] = anchor

    def run(self) -> Facts:
        c, as_of = self.c, self.as_of
        if c.birth_date > as_of:
            self.invalid["age_years"] = note("birth_after_date", birth=c.birth_date, date=as_of)
        else:
            self.values["age_years"] = self.months_since(c.birth_date) // 12
        ranks = sorted((r for r in c.pangkat if r.tmt <= as_of), key=lambda r: r.tmt)
        if ranks:
            self.values["golongan"] = ranks[-1].golongan
            self.service("months_in_rank", [(ranks[-1].tmt, as_of)])
        else:
            for name in ("golongan", "months_in_rank"):
                self.missing[name] = note("no_rank", date=as_of)
        if c.tmt_cpns <= as_of:
            self.service("months_of_service", [(c.tmt_cpns, as_of)])
        else:
            self.missing["months_of_service"] = note("cpns_after_date", tmt=c.tmt_cpns, date=as_of)
        self.values["employee_status"] = c.employee_status
        self.values["criminal_record"] = c.hukuman_pidana
        self._education()
        self._positions()
        self._ratings()
        self._assessment()
        self._discipline()
        trained = {t.type for t in c.trainings if t.passed <= as_of}
        for kind, name in _TRAINING_FACTS:
            self.values[name] = kind in trained
        self._optional()
        self._promotion()
        self._not_recorded()
        # Built from values just derived, so not validated again (a test compares it with the validated model).
        return Facts.model_construct(
            as_of=as_of, values=self.values, missing=self.missing, invalid=self.invalid, anchors=self.anchors
        )

    def _education(self) -> None:
        held = [e for e in self.c.education if e.graduated <= self.as_of]
        valid = [e.level for e in held if not e.foreign or e.equivalence_decree]
        for name, levels in (
            ("education", valid),
            ("education_for_rank", [e.level for e in held if e.recognised_for_rank]),
        ):
            if levels:
                self.values[name] = max(levels, key=EDUCATION.rank)
            else:
                self.missing[name] = note("no_diploma")

    def _positions(self) -> None:
        periods: dict[tuple[str, bool], list[tuple[dt.date, dt.date]]] = {}
        current: Position | None = None
        for p in self.c.positions:
            if p.tmt_start > self.as_of:
                continue
            end = min(p.tmt_end, self.as_of) if p.tmt_end else self.as_of
            definitive = p.appointment == "DEFINITIF"
            periods.setdefault((_post_key(p), definitive), []).append((p.tmt_start, end))
            is_open = p.tmt_end is None or p.tmt_end > self.as_of
            if definitive and is_open and (current is None or p.tmt_start >= current.tmt_start):
                current = p
        values = self.values
        for key, name, acting_name in _POST_FACTS:
            own = periods.get((key, True))
            acting = periods.get((key, False))
            if own is None and acting is None:  # never held (most posts): the same as counting nothing
                values[name] = values[acting_name] = 0
                continue
            self.service(name, own or [])
            self.service(acting_name, (own or []) + (acting or []))
        skill = [span for key in _SKILL_TRACK for span in periods.get((key, True), [])]
        self.service("months_in_jf_keterampilan", skill)
        if current is not None:
            self.values["current_post"] = _post_key(current).upper()
        else:
            self.missing["current_post"] = note("no_current_post", date=self.as_of)

    def _ratings(self) -> None:
        by_year: dict[int, list[Performance]] = {}
        for entry in self.c.performance:
            by_year.setdefault(int(entry.period[:4]), []).append(entry)
        worst: str | None = None  # the word as rated, so a legacy CUKUP is shown as CUKUP
        gap: Note | None = None
        for n in range(1, max(RATING_YEARS) + 1):
            year = self.as_of.year - n
            words = [w for w in (_predikat(e) for e in by_year.get(year, [])) if w]
            if not words and not gap:
                reasons = sorted({e.missing_reason for e in by_year.get(year, []) if e.missing_reason})
                gap = note("no_rating", year=year, reason=", ".join(reasons) or "-")
            for word in words:
                if worst is None or PREDIKAT.rank(word) < PREDIKAT.rank(worst):
                    worst = word
            name = family_name("rating_min_last", str(n))
            if gap is not None or worst is None:
                self.missing[name] = gap or note("no_rating", year=year, reason="-")
            else:
                self.values[name] = worst

    def _assessment(self) -> None:
        done = sorted((a for a in self.c.competency_assessments if a.date <= self.as_of), key=lambda a: a.date)
        names = ("jpm", "jpm_capped", "assessment_age_months", "assessment_months_started", "assessment_accredited")
        if not done:
            for name in names:
                self.missing[name] = note("no_assessment")
            return
        latest = done[-1]
        self.values["assessment_age_months"] = self.months_since(latest.date)
        self.values["assessment_months_started"] = started_months(latest.date, self.as_of)
        self.values["assessment_accredited"] = latest.provider_accredited
        for score in latest.scores:
            self._decimal(f"competency.{score.code}", score.attained)
        if latest.jpm_percent is not None:
            self._decimal("jpm", latest.jpm_percent)
        elif latest.scores and all(s.standard for s in latest.scores):
            total = sum((s.attained for s in latest.scores), Decimal(0))
            standard = sum(int(s.standard or 0) for s in latest.scores)
            jpm = (total / standard * 100).quantize(Decimal(1).scaleb(-DECIMAL_PLACES), rounding=ROUND_HALF_UP)
            self.values["jpm"] = jpm
        else:
            self.missing["jpm"] = note("no_jpm", assessment=latest.assessment_id)
        if "jpm" in self.values:
            self.values["jpm_capped"] = min(self.values["jpm"], Decimal(100))
        else:
            self.missing["jpm_capped"] = (
                self.missing.get("jpm") or self.invalid.get("jpm") or note("no_jpm", assessment="-")
            )

    def _decimal(self, name: str, value: Decimal) -> None:
        if value != value.quantize(Decimal(1).scaleb(-DECIMAL_PLACES), rounding=ROUND_HALF_UP):
            self.invalid[name] = note("too_precise", value=value, places=DECIMAL_PLACES)
        else:
            self.values[name] = value

    def _discipline(self) -> None:
        as_of = self.as_of
        # A window of N months starts on the as-of date N months back; a sanction in force on that day counts.
        window_start, worst = {n: add_months(as_of, -n) for n in SANCTION_WINDOWS}, dict.fromkeys(SANCTION_WINDOWS, 1)
        active = pending = False
        for s in self.c.discipline:
            if s.decided > as_of:
                continue
            if s.status in _PENDING_STATUSES:
                pending = True
                continue
            if s.status not in _ACTIVE_STATUSES:
                continue
            start = s.effective_start or s.decided
            end = _sanction_end(s, start)
            if start <= as_of and (end is None or end >= as_of) and s.status != "COMPLETED":
                active = True
            for n in SANCTION_WINDOWS if start <= as_of else ():
                if end is None or end >= window_start[n]:
                    worst[n] = max(worst[n], SANCTION_LEVEL.rank(s.level))
        self.values["sanction_active"] = active
        self.values["sanction_pending"] = pending
        for n in SANCTION_WINDOWS:
            self.values[family_name("worst_sanction_last", str(n))] = SANCTION_LEVEL.label(worst[n])

    def _optional(self) -> None:
        c, as_of = self.c, self.as_of
        if c.angka_kredit and c.angka_kredit.pak_date <= as_of:
            self._decimal("credit_points_jenjang", c.angka_kredit.cumulative_for_jenjang)
            self._decimal("credit_points_pangkat", c.angka_kredit.cumulative_for_pangkat)
        else:
            for name in ("credit_points_jenjang", "credit_points_pangkat"):
                self.missing[name] = note("no_pak")
        if c.talent and c.talent.box is not None:
            self.values["talent_box"] = c.talent.box
        else:
            self.missing["talent_box"] = note("no_talent_box")
        if c.health_certificate_date and c.health_certificate_date <= as_of:
            self.values["health_certificate_age_months"] = self.months_since(c.health_certificate_date)
            self.values["health_certificate_months_started"] = started_months(c.health_certificate_date, as_of)
        else:
            for name in ("health_certificate_age_months", "health_certificate_months_started"):
                self.missing[name] = note("no_health_certificate")

    def _not_recorded(self) -> None:
        # An imported dossier names the histories its source lacks: their facts are unknown, not empty.
        provenance = self.c.provenance
        for history in provenance.not_recorded if provenance else ():
            for name in [n for n in self.values if withheld(history, n)]:
                del self.values[name]
                self.missing[name] = note(
                    "not_recorded", history=history, source=provenance.system if provenance else "-"
                )

    def _promotion(self) -> None:
        c, as_of, values = self.c, self.as_of, self.values
        if "golongan" not in values:
            self.missing["below_education_ceiling"] = note("no_rank", date=as_of)
        elif "education_for_rank" not in values:
            self.missing["below_education_ceiling"] = note("no_diploma")
        else:
            values["below_education_ceiling"] = below_ceiling(values["golongan"], values["education_for_rank"])
        if "education" in values and "education_for_rank" in values:
            values["new_diploma"] = new_diploma(values["education"], values["education_for_rank"])
        else:
            self.missing["new_diploma"] = note("no_diploma")
        if "education" in values and "golongan" in values:
            values["below_diploma_start_rank"] = below_start_rank(values["golongan"], values["education"])
        else:
            self.missing["below_diploma_start_rank"] = self.missing.get("education") or note("no_rank", date=as_of)
        found, unknown, anchors = promotion.rank_promotion_facts(c, as_of, values, self.anchors)
        values.update(found)
        self.anchors.update(anchors)
        self.missing.update({name: note(code, **args) for name, (code, args) in unknown.items()})
        values["as_of_day"] = as_of.day
        values["as_of_month"] = as_of.month
        for kind in EXAM_TYPES:
            values[f"exam.{kind}"] = exam_passed(c, kind, as_of)
        for post in PENYETARAAN:
            self.service(f"months_in_post_with_penyetaraan.{post.lower()}", penyetaraan_periods(c, post, as_of))


def derive(candidate: Candidate, as_of: dt.date) -> Facts:
    """Every fact of the vocabulary that the file supports on ``as_of``; the rest with a reason."""
    return _Deriver(candidate, as_of).run()
