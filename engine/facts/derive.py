"""Deriving the fact vocabulary from a candidate file as of a date."""

from __future__ import annotations

import datetime as dt

from engine.facts import promotion
from engine.facts.appraisal import assessment, decimal_fact, ratings
from engine.facts.calendar import completed_months, document_age
from engine.facts.conduct import discipline
from engine.facts.model import Draft, Facts, Note, note
from engine.facts.scales import EDUCATION, EXAM_TYPES, TRAINING_TYPES
from engine.facts.tenure import penyetaraan, positions, rank_and_service
from engine.facts.unrecorded import withheld
from engine.load.candidate import Candidate

__all__ = ["Facts", "Note", "derive", "note"]

_TRAINING_FACTS = {kind: f"training.{kind}" for kind in TRAINING_TYPES}
_EXAM_FACTS = {kind: f"exam.{kind}" for kind in EXAM_TYPES}
_NO_TRAINING = dict.fromkeys(_TRAINING_FACTS.values(), False)
_NO_EXAM = dict.fromkeys(_EXAM_FACTS.values(), False)
_EDUCATION_RANK = EDUCATION.ranks.__getitem__
_NO_DIPLOMA = note("no_diploma")
_NO_PAK = note("no_pak")
_NO_TALENT_BOX = note("no_talent_box")
_NO_HEALTH_CERTIFICATE = note("no_health_certificate")


def derive(candidate: Candidate, as_of: dt.date) -> Facts:
    """Every fact of the vocabulary that the file supports on ``as_of``; the rest with a reason."""
    c = candidate
    d = Draft(as_of, [(leave.start, leave.end) for leave in c.leave if leave.type == "CLTN"] if c.leave else [])
    values = d.values
    if c.birth_date > as_of:
        d.invalid["age_years"] = note("birth_after_date", birth=c.birth_date, date=as_of)
    else:
        values["age_years"] = completed_months(c.birth_date, as_of) // 12
    rank_and_service(c, d)
    values["employee_status"] = c.employee_status
    values["criminal_record"] = c.hukuman_pidana
    _education(c, d)
    converted = positions(c, d)
    ratings(c, d)
    assessment(c, d)
    discipline(c, d)
    values.update(_NO_TRAINING)  # every training not passed, in vocabulary order; those passed set in place
    for training in c.trainings:
        if training.passed <= as_of and training.type in _TRAINING_FACTS:
            values[_TRAINING_FACTS[training.type]] = True
    _optional(c, d)
    _promotion(c, d)
    values.update(_NO_EXAM)
    for exam in c.exams:
        if exam.passed <= as_of and exam.type in _EXAM_FACTS:
            values[_EXAM_FACTS[exam.type]] = True
    penyetaraan(d, converted)
    if c.provenance is not None and c.provenance.not_recorded:
        _not_recorded(c, d)
    return d.facts()


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


def _optional(c: Candidate, d: Draft) -> None:
    as_of, values, missing = d.as_of, d.values, d.missing
    if c.angka_kredit and c.angka_kredit.pak_date <= as_of:
        decimal_fact(d, "credit_points_jenjang", c.angka_kredit.cumulative_for_jenjang)
        decimal_fact(d, "credit_points_pangkat", c.angka_kredit.cumulative_for_pangkat)
    else:
        missing["credit_points_jenjang"] = missing["credit_points_pangkat"] = _NO_PAK
    if c.talent and c.talent.box is not None:
        values["talent_box"] = c.talent.box
    else:
        missing["talent_box"] = _NO_TALENT_BOX
    certified = c.health_certificate_date
    if certified and certified <= as_of:
        age, started = document_age(certified, as_of)
        values["health_certificate_age_months"] = age
        values["health_certificate_months_started"] = started
    else:
        missing["health_certificate_age_months"] = missing["health_certificate_months_started"] = _NO_HEALTH_CERTIFICATE


def _promotion(c: Candidate, d: Draft) -> None:
    promotion.education_facts(d)
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
