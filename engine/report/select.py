"""Which recorded decisions a board report prints: by board reference, decision ids or a seq range."""

from __future__ import annotations

import re
from dataclasses import dataclass

import orjson

from engine.audit import location
from engine.audit.store import Filters, Row, Store
from engine.errors import InputError, Problem

_RANGE = re.compile(r"^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$")


@dataclass(frozen=True)
class Selection:
    """One way of naming records; exactly one of the three is given."""

    board: str | None = None
    ids: tuple[str, ...] = ()
    seq: tuple[int, int] | None = None

    def describe(self) -> str:
        if self.board is not None:
            return f"board {self.board!r}"
        if self.ids:
            return f"decisions {', '.join(self.ids)}"
        assert self.seq is not None
        return f"records {self.seq[0]}-{self.seq[1]}"


def parse_range(text: str) -> tuple[int, int] | None:
    """'12-40' or '12' as (first, last); None when it is not such a range."""
    match = _RANGE.match(text)
    if not match:
        return None
    first = int(match.group(1))
    last = int(match.group(2) or first)
    return (first, last) if 1 <= first <= last else None


def selected_rows(store: Store, selection: Selection) -> list[Row]:
    """The full rows (record and disclosures) selected, in sequence order; none found is an error."""
    if selection.ids:
        found = {int(row["seq"]): row for row in (store.find(ident) for ident in selection.ids)}
        rows = [found[seq] for seq in sorted(found)]
    elif selection.seq is not None:
        first, last = selection.seq
        rows = []
        for row in store.rows(after=first - 1):
            if int(row["seq"]) > last:
                break
            rows.append(row)
    else:
        rows = _one_run(
            store,
            selection,
            [
                row
                for row in store.rows(Filters(board=selection.board))
                if orjson.loads(row["record"]).get("replay_of") is None
            ],
        )
    if not rows:
        raise InputError(
            [
                Problem(
                    code="nothing_selected",
                    file=location.shown(store.where),
                    message=f"no recorded decisions for {selection.describe()}",
                    hint="see `layak audit list`; `layak check --board REF` records a board's run",
                )
            ]
        )
    return rows


def _one_run(store: Store, selection: Selection, rows: list[Row]) -> list[Row]:
    """A board's decisions from one `check` run; replays (`replay --record`) are audit records, not the board's."""
    runs: dict[str, list[int]] = {}
    for row in rows:
        runs.setdefault(orjson.loads(row["record"])["run_id"], []).append(int(row["seq"]))
    if len(runs) > 1:
        spans = ", ".join(f"#{min(seqs)}-#{max(seqs)}" for seqs in sorted(runs.values()))
        raise InputError(
            [
                Problem(
                    code="several_runs",
                    file=location.shown(store.where),
                    message=(f"{selection.describe()} was decided in {len(runs)} runs ({spans}); a report covers one"),
                    hint="choose one with --seq FIRST-LAST",
                )
            ]
        )
    return rows
