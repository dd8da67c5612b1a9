"""`layak positions`: the position classes in force and every requirement with its legal basis."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from engine.decide.pipeline import select_position
from engine.errors import ExitCode
from engine.load.library import content_hash, load_library
from engine.present.render import emit
from engine.present.rules_view import positions_report


def run(
    rules_dir: Path, ruleset_id: str | None, as_of: dt.date, fmt: str, lang: str, position_id: str | None
) -> ExitCode:
    library = load_library(rules_dir)
    if position_id:
        rulesets = [library.for_position(position_id, ruleset_id, as_of)]
        rulesets = [r.model_copy(update={"positions": (select_position(r, position_id),)}) for r in rulesets]
    elif ruleset_id:
        rulesets = [library.resolve(ruleset_id, as_of)]
    else:
        rulesets = library.in_force_bases(as_of)
    emit(positions_report([(r, content_hash(r)) for r in rulesets], lang), fmt, lang)
    return ExitCode.OK
