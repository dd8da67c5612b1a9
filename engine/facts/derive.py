"""Deriving the fact vocabulary from a candidate file as of a date."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from engine.facts import promotion
from engine.facts.appraisal import assessment, decimal_fact, ratings
from engine.facts.calendar import completed_months, document_age
from engine.facts.conduct import discipline
from engine.facts.model import Draft, Facts, Note, note
from engine.facts.scales import EDUCATION, EXAM_TYPES, TRAINING_TYPES
from engine.facts.selection import EVERYTHING, Selection, selection
from engine.facts.tenure import penyetaraan, positions, rank_and_service
from engine.facts.unrecorded import withheld
from engine.load.candidate import Candidate, Exam, Training

__all__ = ["Facts", "Note", "Selection", "derive", "note", "selection"]

_TRAINING_FACTS = {kind: f"training.{kind}" for kind in TRAINING_TYPES}
_EXAM_FACTS = {kind: f"exam.{kind}" for kind in EXAM_TYPES}
_NO_TRAINING = dict.fromkeys(_TRAINING_FACTS.values(), False)
_NO_EXAM = dict.fromkeys(_EXAM_FACTS.values(), False)
_EDUCATION_RANK = EDUCATION.ranks.__getitem__
_NO_DIPLOMA = note("no_diploma")
_NO_PAK = note("no_pak")
_NO_TALENT_BOX = note("no_talent_box")
_NO_HEALTH_CERTIFICATE = note("no_health_certificate")


def derive(candidate: Candidate, as_of: dt.date, only: Selection | None = None) -> Facts:
    """Every fact of the vocabulary that the file supports on ``as_of``; the rest with a reason. With ``only``
    (``selection(names)``), the steps making those names: each of them exactly as the full derivation makes it,
    the other facts left out or partly made."""
    c = candidate
    selected = EVERYTHING if only is None else only
    s = selected.steps
    d = Draft(as_of, [(leave.start, leave.end) for leave in c.leave if leave.type == "CLTN"] if c.leave else [])
    values = d.values
    if "age" in s:
        if c.birth_date > as_of:
            d.invalid["age_years"] = note("birth_after_date", birth=c.birth_date, date=as_of)
        else:
            values["age_years"] = completed_months(c.birth_date, as_of) // 12
    if "rank" in s or "service" in s:
        rank_and_service(c, d, "rank" in s, "service" in s)
    values["employee_status"] = c.employee_status  # two stores (and as_of_day/month below): always made
    values["criminal_record"] = c.hukuman_pidana
    if "education" in s:
        _education(c, d)
    converted = positions(c, d, selected) if "positions" in s else {}
    if "ratings" in s:
        ratings(c, d, selected.rating_years)
    if "assessment" in s:
        assessment(c, d)
    if "discipline" in s:
        discipline(c, d)
    if "trainings" in s:
        _passed(d, c.trainings, _TRAINING_FACTS, _NO_TRAINING)
    _optional(c, d, s)
    _promotion(c, d, s)
    if "exams" in s:
        _passed(d, c.exams, _EXAM_FACTS, _NO_EXAM)
    if "penyetaraan" in s:
        penyetaraan(d, converted)
    if c.provenance is not None and c.provenance.not_recorded:
        _not_recorded(c, d)
    return d.facts()


def _passed(d: Draft, done: Sequence[Training | Exam], facts: dict[str, str], none: dict[str, bool]) -> None:
    as_of, values = d.as_of, d.values
    values.update(none)  # every one not passed, in vocabulary order; those passed set in place
    for item in done:
        if item.passed <= as_of and item.type in facts:
            values[facts[item.type]] = True


def _education(c: Candidate, d: Draft) -> None:
    """The highest recognised diploma (a foreign one needs an equivalence decree), and the highest recognised for
    rank; of two of equal rank (D4 and S1) the first listed."""
    education = for_rank = None
    best = best_for_rank = 0
    for diploma in c.education:
        if diploma.graduated > d.as_of:
            continue
        rank = _EDUCATION_RANK(diploma.level)
        if rank > best and (not diploma.foreign or diploma.equivalence_decree):
            education, best = diploma.level, rank
        if rank > best_for_rank and diploma.recognised_for_rank:
            for_rank, best_for_rank = diploma.level, rank
    for name, level in (("education", education), ("education_for_rank", for_rank)):
        if level is not None:
            d.values[name] = level
        else:
            d.missing[name] = _NO_DIPLOMA


def _optional(c: Candidate, d: Draft, s: frozenset[str]) -> None:
    as_of, values, missing = d.as_of, d.values, d.missing
    if "credit_points" not in s:
        pass
    elif c.angka_kredit and c.angka_kredit.pak_date <= as_of:
        decimal_fact(d, "credit_points_jenjang", c.angka_kredit.cumulative_for_jenjang)
        decimal_fact(d, "credit_points_pangkat", c.angka_kredit.cumulative_for_pangkat)
    else:
        missing["credit_points_jenjang"] = missing["credit_points_pangkat"] = _NO_PAK
    if "talent" not in s:
        pass
    elif c.talent and c.talent.box is not None:
        values["talent_box"] = c.talent.box
    else:
        missing["talent_box"] = _NO_TALENT_BOX
    certified = c.health_certificate_date
    if "health" not in s:
        pass
    elif certified and certified <= as_of:
        age, started = document_age(certified, as_of)
        values["health_certificate_age_months"] = age
        values["health_certificate_months_started"] = started
    else:
        missing["health_certificate_age_months"] = missing["health_certificate_months_started"] = _NO_HEALTH_CERTIFICATE


def _promotion(c: Candidate, d: Draft, s: frozenset[str]) -> None:
    if "education_promotion" in s:
        promotion.education_facts(d)
    if "rank_promotion" in s:
        promotion.rank_promotion_facts(c, d)
    d.values["as_of_day"] = d.as_of.day
    d.values["as_of_month"] = d.as_of.month


def _not_recorded(c: Candidate, d: Draft) -> None:
    # An imported dossier names the histories its source lacks: their facts are unknown, not empty.
    provenance = c.provenance
    for history in provenance.not_recorded if provenance else ():
        for name in [n for n in d.values if withheld(history, n)]:
            del d.values[name]
            d.missing[name] = note("not_recorded", history=history, source=provenance.system if provenance else "-")
