"""Position classes as written, made whole: requirements replaced by id, added (where ``after`` says), removed,
competency tables expanded into one requirement per cell, and ``extends`` applied."""

from __future__ import annotations

import difflib

from engine.errors import InputError, Problem
from engine.facts.scales import COMPETENCIES
from engine.load.rulefile import CompetencyTable, PositionClass, PositionDef, Requirement, Text, TopCheck


def merge(
    base: tuple[Requirement, ...],
    own: tuple[Requirement, ...],
    remove: tuple[str, ...],
    where: str,
    after: dict[str, str] | None = None,
) -> tuple[Requirement, ...]:
    """Base requirements with same-id ones replaced in place, new ones appended (or placed ``after`` the id
    named), removed ids dropped."""
    replaced = {r.id: r for r in own}
    merged = [replaced.pop(r.id, r) for r in base]
    known = {r.id for r in merged}
    unknown = [rid for rid in remove if rid not in known]
    if unknown:
        raise InputError(
            [
                Problem(
                    code="unknown_requirement",
                    message=(f"{where} removes '{unknown[0]}', which it does not have"),
                    hint=f"known: {', '.join(sorted(known))}",
                )
            ]
        )
    out = [r for r in (*merged, *replaced.values()) if r.id not in remove]
    for moved, anchor in (after or {}).items():
        ids = [r.id for r in out]
        if moved not in ids or anchor not in ids or moved == anchor:
            raise InputError(
                [
                    Problem(
                        code="unknown_requirement",
                        message=f"{where} places '{moved}' after '{anchor}', but it does not have both",
                        hint=f"known: {', '.join(ids)}",
                    )
                ]
            )
        item = out.pop(ids.index(moved))
        out.insert([r.id for r in out].index(anchor) + 1, item)
    return tuple(out)


def expand(
    positions: dict[str, PositionDef], cells: dict[str, dict[str, tuple[int, CompetencyTable]]]
) -> dict[str, PositionDef]:
    """One requirement per table cell, citing the table (base or overlay) the cell's level came from."""
    out = dict(positions)
    for position_id, row in cells.items():
        if position_id not in out:
            continue
        position = out[position_id]
        extra: list[Requirement] = []
        for code, (level, table) in row.items():
            name_id, name_en = COMPETENCIES.get(code, (code, code))
            extra.append(
                TopCheck(
                    id=f"competency-{code.lower().replace('_', '-')}",
                    fact=f"competency.{code}",
                    op="gte",
                    value=level,
                    basis=table.basis,
                    missing=table.missing,
                    waivable_by=table.waivable_by,
                    on_fail="review" if position_id in table.unconfirmed else "fail",
                    text=Text(
                        en=f"{name_en} ({code}) at level {level} or higher",
                        id=f"{name_id} ({code}) paling rendah level {level}",
                    ),
                )
            )
        kept = [r for r in position.requirements if r.id not in {e.id for e in extra}]
        out[position_id] = position.model_copy(update={"requirements": (*kept, *extra)})
    return out


def extend(positions: dict[str, PositionDef], ruleset_id: str) -> dict[str, PositionClass]:
    """Each class with its ``extends`` applied (recursively), as a plain PositionClass."""
    done: dict[str, PositionClass] = {}

    def resolve(position_id: str, trail: tuple[str, ...]) -> PositionClass:
        if position_id in done:
            return done[position_id]
        position = positions[position_id]
        where = f"position class '{position_id}' of '{ruleset_id}'"
        if position.extends is None:
            requirements = merge(position.requirements, (), position.remove, where, position.after)
        elif position.extends in trail:
            raise InputError(
                [
                    Problem(
                        code="extends_cycle",
                        message=(
                            f"position class '{position_id}' extends itself: {' → '.join((*trail, position.extends))}"
                        ),
                    )
                ]
            )
        elif position.extends not in positions:
            close = difflib.get_close_matches(position.extends, list(positions), n=1)
            raise InputError(
                [
                    Problem(
                        code="unknown_position",
                        message=(f"{where} extends unknown position class '{position.extends}'"),
                        hint=f"did you mean '{close[0]}'?" if close else f"known: {', '.join(positions)}",
                    )
                ]
            )
        else:
            base = resolve(position.extends, (*trail, position.extends))
            requirements = merge(base.requirements, position.requirements, position.remove, where, position.after)
        done[position_id] = position.resolved(requirements)
        return done[position_id]

    return {position_id: resolve(position_id, (position_id,)) for position_id in positions}
