"""What `positions` and `facts` show: the rules in force, the fact vocabulary, the facts of one candidate."""

from __future__ import annotations

from typing import Any

from engine.facts.derive import Facts
from engine.facts.vocabulary import FactSpec, listing, lookup
from engine.load.rulefile import Check, RuleNode, Ruleset
from engine.present.i18n import OPS, label, note_text, pick
from engine.present.render import Report, Table
from engine.present.values import shown
from engine.present.views import facts_json


def _req_rows(req: RuleNode, position: str, lang: str, depth: int, path: str) -> list[dict[str, Any]]:
    if isinstance(req, Check):
        value = req.value if not isinstance(req.value, list) else ", ".join(map(str, req.value))
        condition = f"{req.fact} {OPS[req.op]} {value}".replace("True", "true").replace("False", "false")
    else:
        condition = label(req.kind, lang)
    rows: list[dict[str, Any]] = [
        {
            "_depth": depth,
            "_path": f"{position}/{path}",
            label("requirement", lang): req.id,
            label("position", lang): position,
            label("description", lang): req.text.get(lang),
            label("condition", lang): condition,
            label("basis", lang): req.basis or "",
        }
    ]
    for child in req.children:
        rows.extend(_req_rows(child, position, lang, depth + 1, f"{path}/{child.id}"))
    return rows


def positions_json(ruleset: Ruleset, ruleset_hash: str, lang: str) -> dict[str, Any]:
    return {
        "ruleset": {
            "id": ruleset.id,
            "version": ruleset.version,
            "hash": ruleset_hash,
            "title": ruleset.title.get(lang),
            "effective_from": ruleset.effective_from.isoformat(),
            "effective_to": ruleset.effective_to.isoformat() if ruleset.effective_to else None,
            "layers": list(ruleset.layers),
            "basis": list(ruleset.basis),
        },
        "positions": [
            {
                "id": p.id,
                "title": p.title.get(lang),
                "basis": p.basis,
                "checks": len(p.checks()),
                "requirements": [r.model_dump(mode="json") for r in p.requirements],
            }
            for p in ruleset.positions
        ],
    }


def positions_report(rulesets: list[tuple[Ruleset, str]], lang: str) -> Report:
    """Every requirement of every position class, one table per ruleset."""
    tables = []
    for ruleset, _hash in rulesets:
        rows = [
            row
            for position in ruleset.positions
            for req in position.requirements
            for row in _req_rows(req, position.id, lang, 0, req.id)
        ]
        tables.append(Table(rows, title=f"{ruleset.id} {ruleset.version}: {ruleset.title.get(lang)}"))
    return Report(data=[positions_json(r, h, lang) for r, h in rulesets], tables=tables)


def fact_list_report(lang: str) -> Report:
    rows = []
    for item in listing():
        if isinstance(item, FactSpec):
            kind = item.scale if item.kind == "scale" else item.kind
            bounds = f" {item.minimum}..{item.maximum}" if item.minimum is not None else ""
            rows.append(
                {
                    label("fact", lang): item.name,
                    label("type", lang): f"{kind}{bounds}",
                    label("description", lang): pick((item.en, item.id), lang),
                }
            )
        else:
            name, kind, en, id_ = item
            rows.append(
                {
                    label("fact", lang): name,
                    label("type", lang): kind,
                    label("description", lang): pick((en, id_), lang),
                }
            )
    return Report(data=rows, tables=[Table(rows)])


def facts_report(f: Facts, lang: str) -> Report:
    rows = []
    for name in sorted({*f.values, *f.missing, *f.invalid}):
        spec = lookup(name)
        if name in f.values:
            value = shown(spec, f.values[name], lang)
        else:
            value = f"({label('invalid' if name in f.invalid else 'missing', lang)}: "
            value += note_text(f.invalid.get(name) or f.missing.get(name), lang) + ")"
        rows.append({label("fact", lang): name, label("value", lang): value})
    return Report(data=facts_json(f, lang), header=[(label("as_of", lang), f.as_of.isoformat())], tables=[Table(rows)])
