"""A shortlist row (views.check_row) read from the statuses equals the row read from the decision's outcomes.

``check_row`` takes the top-level ids and statuses straight from the decision and its layout; the general path
(``_row_of_outcomes``) builds the decision's ``Outcome`` objects and reads them. Compared on every fixture under
every position of every ruleset and on a generated population, in both languages, with waivers among them.
"""

from __future__ import annotations

import datetime as dt
from functools import cache
from pathlib import Path

from population_support import generator

from engine.compiler.layout import LayoutCache
from engine.decide.pipeline import check_with
from engine.errors import InputError
from engine.load.candidate import Candidate
from engine.load.intake import LoadedCandidate, load_candidates
from engine.load.library import load_library
from engine.load.resolve import Library
from engine.present.views import _row_of_outcomes, check_row

ROOT = Path(__file__).parent.parent
AS_OF = dt.date(2026, 12, 1)


@cache
def library() -> Library:
    return load_library(ROOT / "rules")


def test_every_fixture_under_every_position_gives_the_outcomes_row() -> None:
    candidates, problems = load_candidates([ROOT / "fixtures" / "candidates"])
    assert candidates and not problems
    statuses: set[str] = set()
    for ruleset_id in library().ids():
        try:
            ruleset = library().resolve(ruleset_id, AS_OF)
        except InputError:
            continue
        layouts = LayoutCache()
        for position in ruleset.positions:
            run = check_with(ruleset, position.id, candidates, AS_OF, "reference", layouts)
            for rank, decision in enumerate(run.decisions):
                for lang in ("en", "id"):
                    assert check_row(decision, rank, lang) == _row_of_outcomes(decision, rank, lang)
                statuses.update(decision.statuses[i] for i in decision.layout.top)
    assert statuses >= {"pass", "fail", "missing", "waived"}


def test_a_generated_population_gives_the_outcomes_rows() -> None:
    dossiers = generator().generate(150, 20261201)
    candidates = [LoadedCandidate(name, Candidate.model_validate(data)) for name, data in dossiers]
    for position in ("administrator", "pengawas", "jpt-pratama", "kenaikan-pangkat-reguler"):
        ruleset = library().for_position(position, None, AS_OF)
        for rank, decision in enumerate(check_with(ruleset, position, candidates, AS_OF, "reference").decisions, 1):
            for lang in ("en", "id"):
                row = check_row(decision, rank, lang)
                assert row == _row_of_outcomes(decision, rank, lang)
                assert list(row) == list(_row_of_outcomes(decision, rank, lang))  # the columns in order
