"""The columnar evaluator: a compiled plan as polars expressions, every candidate of a table at once."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import polars as pl

from engine.compiler.layout import Layout
from engine.compiler.plan import Plan, PlanCheck

# Bits per mask column: 63 keeps every mask a non-negative Int64 (polars' widest signed integer).
MASK_BITS = 63


def column(plan: Plan, index: int) -> str:
    """The name of a plan fact's column in an engine frame (``f<index>``, as in ``encode_row``)."""
    return f"f{index}"


def check_expr(check: PlanCheck, field: pl.Expr) -> pl.Expr:
    """True where the check passes; an absent (null) value never passes, as in the reference evaluator."""
    values = list(check.value) if isinstance(check.value, tuple) else [check.value]
    one = pl.lit(values[0], dtype=pl.Int64)
    ops: dict[str, Callable[[], pl.Expr]] = {
        "eq": lambda: field.eq(one),
        "ne": lambda: field.ne(one),
        "gt": lambda: field.gt(one),
        "gte": lambda: field.ge(one),
        "lt": lambda: field.lt(one),
        "lte": lambda: field.le(one),
        "in": lambda: field.is_in(values),
        "not_in": lambda: ~field.is_in(values),
    }
    return (ops[check.op]() & field.is_not_null()).fill_null(False)


def check_exprs(plan: Plan, name: Callable[[int], str] | None = None) -> list[pl.Expr]:
    """One boolean expression per plan check, in plan order; ``name(i)`` gives the column of fact ``i``."""
    named = name or (lambda i: column(plan, i))
    return [check_expr(c, pl.col(named(c.fact))) for c in plan.checks]


def mask_exprs(plan: Plan, name: Callable[[int], str] | None = None, prefix: str = "m") -> list[pl.Expr]:
    """The passing checks of each row as Int64 bitmasks (``m0`` for checks 0-62, ``m1`` for 63-125, ...)."""
    passed = check_exprs(plan, name)
    masks = []
    for start in range(0, max(len(passed), 1), MASK_BITS):
        bits = [p.cast(pl.Int64) * (1 << (i - start)) for i, p in enumerate(passed) if start <= i < start + MASK_BITS]
        total = pl.sum_horizontal(bits) if bits else pl.lit(0, dtype=pl.Int64)
        masks.append(total.cast(pl.Int64).alias(f"{prefix}{start // MASK_BITS}"))
    return masks


def passed_sets(masks: Sequence[Sequence[int]], checks: int) -> list[frozenset[int]]:
    """Per row, the indices of its passing checks, from its mask columns (one sequence per mask column)."""
    out = []
    for row in zip(*masks, strict=True) if masks else ():
        passed = set()
        for part, mask in enumerate(row):
            base = part * MASK_BITS
            while mask:
                low = mask & -mask
                passed.add(base + low.bit_length() - 1)
                mask ^= low
        out.append(frozenset(i for i in passed if i < checks))
    return out


def frame(plan: Plan, rows: Sequence[dict[str, int]]) -> pl.DataFrame:
    """Engine rows (``encode_row`` dicts) as a frame with one Int64 column per plan fact (null = absent)."""
    names = [column(plan, i) for i in range(len(plan.facts))]
    return pl.DataFrame({n: [row.get(n) for row in rows] for n in names}, schema=dict.fromkeys(names, pl.Int64))


def evaluate(plan: Plan, rows: Sequence[dict[str, int]]) -> list[frozenset[int]]:
    """For each row, the indices of the checks that pass: the same answer as ``reference.evaluate``."""
    if not rows:
        return []
    masks = frame(plan, rows).select(mask_exprs(plan))
    return passed_sets([masks[c].to_list() for c in masks.columns], len(plan.checks))


# ---------------------------------------------------------------- requirement statuses and verdicts

# One letter per status in a row's status string (``statuses``), in layout (pre-order) node order.
STATUS_CODES: dict[str, str] = {"pass": "p", "fail": "f", "missing": "m", "invalid": "i", "waived": "w"}
STATUS_NAMES = {code: name for name, code in STATUS_CODES.items()}


def unknown_expr(kind: str, fact: str) -> pl.Expr:
    """True where ``fact`` is listed in the row's ``unknown`` column as invalid (``i``) or not held (``n``); a
    frame may carry that column already split (``unknown_list``, a list of strings), which is faster."""
    return pl.col(UNKNOWN_LIST).list.contains(f"{kind}:{fact}")


UNKNOWN_LIST = "unknown_list"


def with_unknown_list(frame: pl.DataFrame) -> pl.DataFrame:
    """``frame`` with its ``unknown`` column split into ``unknown_list`` (what ``unknown_expr`` reads)."""
    if UNKNOWN_LIST in frame.columns:
        return frame
    return frame.with_columns(
        pl.when(pl.col("unknown") == "")
        .then(pl.lit([], dtype=pl.List(pl.String)))
        .otherwise(pl.col("unknown").str.split(","))
        .alias(UNKNOWN_LIST)
    )


def status_frame(layout: Layout, frame: pl.DataFrame) -> pl.DataFrame:
    """Per row (without waivers) the status of every requirement and the verdict, the rules of ``decide()``
    applied column-wise: ``s<node>`` one status letter each, ``statuses`` all of them, ``verdict``.

    ``frame`` holds a column per fact the layout reads (named by fact, encoded, null = absent) and ``unknown``.
    """
    plan = layout.plan
    passed = check_exprs(plan, lambda i: plan.facts[i])
    letter = {name: pl.lit(code) for name, code in STATUS_CODES.items()}
    on_pass_review = {i for i in layout.check_nodes if getattr(layout.nodes[i].req, "on_pass", "pass") == "review"}
    checks = []
    for index, fact, check, acting, _acting_fact, missing_fails, review in layout.checks:
        absent = pl.col(layout.node_facts[index]).is_null()
        unrecorded = unknown_expr("n", fact)
        without = (
            pl.when(unknown_expr("i", fact))
            .then(letter["invalid"])
            .when(pl.lit(missing_fails) & ~unrecorded)
            .then(letter["fail"])
            .otherwise(letter["missing"])
        )
        shown_fail = letter["missing"] if review else letter["fail"]
        failed: Any = pl.when(absent).then(without)
        if acting >= 0:
            failed = failed.when(passed[acting]).then(letter["missing"])
        status = (
            pl.when(passed[check])
            .then(letter["missing"] if index in on_pass_review else letter["pass"])
            .otherwise(failed.otherwise(shown_fail))
        )
        checks.append(status.alias(f"s{index}"))
    out = with_unknown_list(frame).select(checks)
    for index, is_any, children in layout.groups:  # children first
        seen = [pl.col(f"s{c}") for c in children]
        ok = pl.any_horizontal([s.is_in(["p", "w"]) for s in seen])
        open_ = pl.any_horizontal([s.is_in(["m", "i"]) for s in seen])
        failing = pl.any_horizontal([s == "f" for s in seen])
        if is_any:
            group = pl.when(ok).then(letter["pass"]).when(open_).then(letter["missing"]).otherwise(letter["fail"])
        else:
            group = pl.when(failing).then(letter["fail"]).when(open_).then(letter["missing"]).otherwise(letter["pass"])
        out = out.with_columns(group.alias(f"s{index}"))
    mandatory = [pl.col(f"s{i}") for i in layout.mandatory]
    verdict = (
        pl.when(pl.any_horizontal([m == "f" for m in mandatory]) if mandatory else pl.lit(False))
        .then(pl.lit("not_eligible"))
        .when(pl.any_horizontal([m.is_in(["m", "i"]) for m in mandatory]) if mandatory else pl.lit(False))
        .then(pl.lit("needs_review"))
        .otherwise(pl.lit("eligible"))
    )
    nodes = [pl.col(f"s{i}") for i in range(len(layout.nodes))]
    return out.select(pl.concat_str(nodes).alias("statuses"), verdict.alias("verdict"))


def statuses_of(text: str) -> tuple[str, ...]:
    return tuple(STATUS_NAMES[c] for c in text)
