"""Recording a check run: one draft per decision, appended to the store in one transaction."""

from __future__ import annotations

import getpass
import os
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from engine.audit.ids import Clock, UlidFactory, salt_bytes, utc_now

if TYPE_CHECKING:  # the store (sqlalchemy) and the record models load only when something is recorded
    from engine.audit.batch import DraftBatch
    from engine.audit.record import Draft
    from engine.audit.replay import Replayed
    from engine.audit.store import Appended, Store
    from engine.decide.pipeline import CheckRun
    from engine.load.intake import LoadedCandidate


def os_user() -> str:
    """Who runs layak, as the operating system knows them."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no login name and no passwd entry (some containers)
        return f"uid:{os.getuid()}" if hasattr(os, "getuid") else "unknown"


def drafts(
    run: CheckRun,
    candidates: Sequence[LoadedCandidate],
    *,
    actor: str,
    board: str | None,
    engine: str,
    run_id: str,
    random: Callable[[int], bytes] = salt_bytes,
) -> list[Draft]:
    """One draft per decision of ``run``, in ranking order, each with its candidate's dossier."""
    from engine.audit.dossier import dossier_of
    from engine.audit.record import StoredRuleset, draft
    from engine.errors import EngineFault

    stored = StoredRuleset.of(run.ruleset)
    if stored.hash != run.ruleset_hash:
        raise EngineFault(f"ruleset hash {run.ruleset_hash[:12]} differs from its stored form {stored.hash[:12]}")
    by_file = {(c.file, c.candidate.nip): c for c in candidates}
    out = []
    for decision in run.decisions:
        candidate = by_file.get((decision.candidate.file, decision.candidate.nip))
        if candidate is None:
            raise EngineFault(f"decision for {decision.candidate.file} has no candidate among those decided")
        out.append(
            draft(
                decision,
                dossier_of(candidate),
                stored,
                actor=actor,
                board=board,
                engine=engine,
                run_id=run_id,
                random=random,
            )
        )
    return out


def record_run(
    store: Store,
    run: CheckRun,
    candidates: Sequence[LoadedCandidate],
    *,
    actor: str | None = None,
    board: str | None = None,
    engine: str = "durable",
    clock: Clock = utc_now,
) -> Appended:
    """Append every decision of ``run`` to ``store`` (all or none); the run id is a ULID of the moment."""
    run_id = UlidFactory()(clock())
    made = drafts(run, candidates, actor=actor or os_user(), board=board, engine=engine, run_id=run_id)
    return store.append(made, clock=clock)


def record_replays(
    store: Store, items: Sequence[Replayed], *, actor: str | None = None, clock: Clock = utc_now
) -> Appended | None:
    """Append the replayed decisions as new records pointing at the ones they replay (``replay --record``)."""
    from engine.audit.record import StoredRuleset, draft

    run_id = UlidFactory()(clock())
    made = [
        draft(
            item.decision,
            item.dossier,  # the dossier the replay decided on: a version-3 record's own text
            StoredRuleset.of(item.ruleset),
            actor=actor or os_user(),
            board=item.record["board"],
            engine=item.record["engine"],
            run_id=run_id,
            replay_of=item.decision_id,
        )
        for item in items
        if item.decision is not None and item.ruleset is not None and item.dossier is not None
    ]
    return store.append(made, clock=clock) if made else None


def batch_recorder(store: Store, *, clock: Clock = utc_now) -> Callable[[DraftBatch], Appended]:
    """Appends one batch of drafts per call, each batch in its own transaction (a streamed `check`)."""
    from engine.audit.store import Appended

    def append(made: DraftBatch) -> Appended:
        done = store.append(made, clock=clock)
        return Appended(first=done.first, last=done.last, head=done.head)  # ids dropped: a run keeps one per batch

    return append


def new_run_id(clock: Clock = utc_now) -> str:
    return UlidFactory()(clock())


def combined(parts: Sequence[Appended]) -> Appended | None:
    """The batches of one streamed run as one span of the log (decision ids left out: they are in the store)."""
    if not parts:
        return None
    from engine.audit.store import Appended

    return Appended(first=parts[0].first, last=parts[-1].last, head=parts[-1].head)
