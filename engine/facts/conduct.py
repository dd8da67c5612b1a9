"""Conduct facts: disciplinary sanctions running, pending and the heaviest in force within each look-back window
(PP 94/2021)."""

from __future__ import annotations

import datetime as dt
import functools

from engine.facts.calendar import add_months
from engine.facts.families import SANCTION_WINDOWS, family_name
from engine.facts.model import Draft
from engine.facts.scales import SANCTION_LEVEL, SANCTION_MONTHS
from engine.load.candidate import Candidate, Sanction

_ACTIVE_STATUSES = {"DECIDED", "FINAL", "COMPLETED"}
_PENDING_STATUSES = {"UNDER_EXAMINATION", "OBJECTION_PENDING", "APPEAL_PENDING"}
_WORST_FACTS = tuple(family_name("worst_sanction_last", str(n)) for n in SANCTION_WINDOWS)
_LEVEL_RANK = SANCTION_LEVEL.ranks
_NO_SANCTION = {
    "sanction_active": False,
    "sanction_pending": False,
    **dict.fromkeys(_WORST_FACTS, SANCTION_LEVEL.label(1)),
}


def sanction_end(sanction: Sanction, start: dt.date) -> dt.date | None:
    """The last day a sanction runs (None: it never ends)."""
    if sanction.effective_end is not None:
        return sanction.effective_end
    if sanction.status == "COMPLETED":
        return sanction.decided
    months = SANCTION_MONTHS.get(sanction.type)
    if months is None:
        return None
    return start if months == 0 else add_months(start, months) - dt.timedelta(days=1)


@functools.lru_cache(maxsize=64)
def _window_starts(as_of: dt.date) -> tuple[dt.date, ...]:
    # A window of N months starts on the as-of date N months back; a sanction in force on that day counts.
    return tuple(add_months(as_of, -n) for n in SANCTION_WINDOWS)


def discipline(c: Candidate, d: Draft) -> None:
    """sanction_active, sanction_pending and worst_sanction_last_<n>m."""
    values = d.values
    if not c.discipline:  # most files: nothing running, nothing pending, NONE in every window
        values.update(_NO_SANCTION)
        return
    as_of = d.as_of
    starts = _window_starts(as_of)
    worst = [1] * len(starts)
    active = pending = False
    for s in c.discipline:
        if s.decided > as_of:
            continue
        if s.status in _PENDING_STATUSES:
            pending = True
            continue
        if s.status not in _ACTIVE_STATUSES:
            continue
        start = s.effective_start or s.decided
        end = sanction_end(s, start)
        if start <= as_of and (end is None or end >= as_of) and s.status != "COMPLETED":
            active = True
        if start <= as_of:
            level = _LEVEL_RANK[s.level]
            for i, window_start in enumerate(starts):
                if (end is None or end >= window_start) and level > worst[i]:
                    worst[i] = level
    values["sanction_active"] = active
    values["sanction_pending"] = pending
    for name, rank in zip(_WORST_FACTS, worst, strict=True):
        values[name] = SANCTION_LEVEL.label(rank)
