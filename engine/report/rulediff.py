"""What changes in the rules: a semantic diff of two resolved rulesets, requirement by requirement id."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from engine.load.rulefile import Check, PositionClass, RuleNode, Ruleset

# The parts of a requirement a reader compares, in the order they are shown.
FIELDS = (
    "kind",
    "text.en",
    "text.id",
    "fact",
    "op",
    "value",
    "basis",
    "mandatory",
    "missing",
    "waivable_by",
    "acting",
    "on_fail",
    "parts",
)
POSITION_FIELDS = ("title.en", "title.id", "basis", "jpm")


@dataclass(frozen=True)
class FieldChange:
    field: str
    before: Any
    after: Any


@dataclass(frozen=True)
class RequirementDiff:
    """One requirement added, removed or changed (``parent``: the group it sits in, if any)."""

    position: str
    id: str
    change: str  # added | removed | changed
    parent: str | None
    text: dict[str, str]
    fields: tuple[FieldChange, ...]


def _shape(req: RuleNode, basis: str) -> dict[str, Any]:
    """The comparable parts of one requirement; a child without its own basis cites its parent's."""
    out: dict[str, Any] = {
        "text.en": req.text.en,
        "text.id": req.text.id,
        "basis": req.basis or basis,
        "mandatory": req.mandatory,
        "waivable_by": list(req.waivable_by),
    }
    if isinstance(req, Check):
        value = req.value if not isinstance(req.value, list) else list(req.value)
        out.update(
            kind="check",
            fact=req.fact,
            op=req.op,
            value=value,
            missing=req.missing,
            acting=req.acting,
            on_fail=req.on_fail,
        )
    else:
        out.update(kind=req.kind, parts=[c.id for c in req.children])
    return out


def _flatten(position: PositionClass) -> dict[str, tuple[str | None, dict[str, Any]]]:
    out: dict[str, tuple[str | None, dict[str, Any]]] = {}

    def add(req: RuleNode, parent: str | None, basis: str) -> None:
        shape = _shape(req, basis)
        out[req.id] = (parent, shape)
        for child in req.children:
            add(child, req.id, shape["basis"])

    for req in position.requirements:
        add(req, None, position.basis)
    return out


def _position_shape(position: PositionClass) -> dict[str, Any]:
    return {
        "title.en": position.title.en,
        "title.id": position.title.id,
        "basis": position.basis,
        "jpm": position.jpm.model_dump(mode="json") if position.jpm else None,
    }


def position_changes(base: PositionClass | None, proposed: PositionClass | None) -> list[FieldChange]:
    """Changes to a position class's own parts (title, basis, JPM policy)."""
    old = _position_shape(base) if base else {}
    new = _position_shape(proposed) if proposed else {}
    return [FieldChange(f, old.get(f), new.get(f)) for f in POSITION_FIELDS if old.get(f) != new.get(f)]


def requirement_diff(position_id: str, base: Ruleset, proposed: Ruleset) -> list[RequirementDiff]:
    """Requirements added, removed or changed, in the proposed rules' order, then removed ones."""
    before_pos, after_pos = base.position(position_id), proposed.position(position_id)
    old = _flatten(before_pos) if before_pos else {}
    new = _flatten(after_pos) if after_pos else {}
    out = []
    for rid in [*new, *(r for r in old if r not in new)]:
        a, b = old.get(rid), new.get(rid)
        if a is not None and b is not None and a == b:
            continue
        source = b or a
        assert source is not None
        parent, shape = source
        before = a[1] if a is not None else {}
        after = b[1] if b is not None else {}
        fields = tuple(FieldChange(f, before.get(f), after.get(f)) for f in FIELDS if before.get(f) != after.get(f))
        if a is not None and b is not None and a[0] != b[0]:
            fields = (*fields, FieldChange("group", a[0], b[0]))
        change = "added" if a is None else "removed" if b is None else "changed"
        out.append(
            RequirementDiff(
                position=position_id,
                id=rid,
                change=change,
                parent=parent,
                text={"en": shape["text.en"], "id": shape["text.id"]},
                fields=fields,
            )
        )
    return out
