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
from engine.present.render import Report, Table, emit


class _Results:
    """What the output needs of each replayed decision, kept small: a replayed record is let go once counted.

    jsonl writes each result as it comes (memory stays flat); the other formats keep one compact result each.
    """

    def __init__(self, fmt: str, lang: str, write: Callable[[bytes], Any]) -> None:
        self.fmt, self.lang, self.write = fmt, lang, write
        self.data: list[dict[str, Any]] = []
        self.rows: list[dict[str, Any]] = []
        self.replayed = self.same = 0

    def add(self, item: Replayed) -> None:
        self.replayed += 1
        self.same += item.identical
        if self.fmt == "jsonl":
            self.write(orjson.dumps(views.replay_json(item), default=_jsonable, option=orjson.OPT_SORT_KEYS) + b"\n")
        elif self.fmt == "json":
            self.data.append(views.replay_json(item))
        else:
            self.rows.extend(views.replay_rows(item, self.lang))


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
    results = _Results(fmt, lang, sys.stdout.buffer.write)
    appended: list[Appended] = []
    with (
        Store.open(db, read_only=not record) as store,
        store.snapshot(),  # one consistent read, whatever is recorded meanwhile (the replays included)
        progress(store.count() if all_ else None, "replay", lang=lang, live_output=fmt == "jsonl") as bar,
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
    if fmt != "jsonl":
        emit(Report(data=results.data, tables=[Table(results.rows)]), fmt, lang)
    click.echo(views.replay_summary(results.replayed, results.same, lang), err=True)
    span = combined(appended)
    if span is not None:
        click.echo(views.recorded_line(span, store.where, lang), err=True)
    return ExitCode.OK if results.same == results.replayed else ExitCode.FINDINGS


def _recorded(store: Store, items: list[Replayed], actor: str | None) -> list[Appended]:
    done = record_replays(store, items, actor=actor) if items else None
    return [] if done is None else [done]
