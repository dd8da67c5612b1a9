"""`layak replay`: re-decide recorded decisions from what was recorded; exits 1 when any differs."""

from __future__ import annotations

import sys
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import click
import orjson

from engine.audit import views
from engine.audit.recorder import combined, record_replays
from engine.audit.replay import BATCH, Replayed, replay
from engine.audit.store import Appended, Store
from engine.errors import ExitCode
from engine.present.progress import counted, progress
from engine.present.spill import Spool, emit_spooled


class _Results:
    """What the output needs of each replayed decision: a replayed record is let go once counted.

    jsonl writes each result as it comes; the other formats keep one compact result (or row) each, past a few
    thousand in a temporary file (``Spool``), so memory stays flat whatever the length of the log.
    """

    def __init__(self, fmt: str, lang: str, write: Callable[[bytes], Any], spool: Spool) -> None:
        self.fmt, self.lang, self.write = fmt, lang, write
        self.spool = spool
        self.replayed = self.same = 0

    def add(self, item: Replayed) -> None:
        self.replayed += 1
        self.same += item.identical
        if self.fmt == "jsonl":
            self.write(orjson.dumps(views.replay_json(item), default=_jsonable, option=orjson.OPT_SORT_KEYS) + b"\n")
        elif self.fmt == "json":
            self.spool.add(views.replay_json(item))
        else:
            for row in views.replay_rows(item, self.lang):
                self.spool.add(row)


def _jsonable(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if hasattr(value, "model_dump"):
        return value.model_dump(mode="json")
    raise TypeError(f"cannot serialise {type(value).__name__}")


def run(
    decision_id: str | None, all_: bool, record: bool, db: str | None, actor: str | None, fmt: str, lang: str
) -> ExitCode:
    if (decision_id is None) == (not all_):
        raise click.UsageError("give one decision id, or --all")
    with Spool() as spool:
        results = _Results(fmt, lang, sys.stdout.buffer.write, spool)
        appended, where = _replay_all(results, decision_id, record, db, actor, fmt, lang)
        if fmt != "jsonl":
            emit_spooled(spool, fmt, lang)
    click.echo(views.replay_summary(results.replayed, results.same, lang), err=True)
    span = combined(appended)
    if span is not None:
        click.echo(views.recorded_line(span, where, lang), err=True)
    return ExitCode.OK if results.same == results.replayed else ExitCode.FINDINGS


def _replay_all(
    results: _Results, decision_id: str | None, record: bool, db: str | None, actor: str | None, fmt: str, lang: str
) -> tuple[list[Appended], str]:
    """Replay the one record or all of them into ``results``, recording the replays when asked."""
    appended: list[Appended] = []
    with (
        Store.open(db, read_only=not record) as store,
        store.snapshot(),  # one consistent read, whatever is recorded meanwhile (the replays included)
        progress(None if decision_id else store.count(), "replay", lang=lang, live_output=fmt == "jsonl") as bar,
    ):
        rows = [store.find(decision_id)] if decision_id else counted(store.rows(), bar)
        pending: list[Replayed] = []
        for item in replay(rows, store.ruleset_body):
            results.add(item)
            if record:
                pending.append(item)
            if len(pending) >= BATCH:  # recorded batch by batch, each batch all or none
                appended += _recorded(store, pending, actor)
                pending = []
        appended += _recorded(store, pending, actor)
    return appended, store.where


def _recorded(store: Store, items: list[Replayed], actor: str | None) -> list[Appended]:
    done = record_replays(store, items, actor=actor) if items else None
    return [] if done is None else [done]
