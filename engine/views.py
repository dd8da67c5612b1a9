"""What each command shows: decisions, requirements and facts as JSON documents or rows, per language."""

from __future__ import annotations

from typing import Any

from engine.check import CheckRun
from engine.decide import Decision
from engine.derive import Facts
from engine.errors import Problem
from engine.facts import FactSpec, listing, lookup
from engine.i18n import OPS, gap_text, label, note_text, shown
from engine.layout import Outcome
from engine.plan import leaves
from engine.rulefile import AllOf, AnyOf, Check, Requirement, Ruleset


def outcome_json(o: Outcome, lang: str) -> dict[str, Any]:
    spec = lookup(o.fact) if o.fact else None
    out: dict[str, Any] = {
        "id": o.id, "status": o.status, "observed": o.observed,
        "expected": o.expected.model_dump() if o.expected else None,
        "basis": o.basis, "text": o.text.get(lang), "mandatory": o.mandatory, "kind": o.kind,
    }
    if o.fact:
        out["fact"] = o.fact
    if o.note:
        out["note"] = note_text(o.note, lang)
        out["note_code"] = o.note.code
    if o.status == "fail" and o.expected and o.observed is not None:
        out["gap"] = gap_text(spec, o.expected.op, o.observed, o.expected.value, lang)
    if o.children:
        out["children"] = [outcome_json(c, lang) for c in o.children]
    return out


def decision_json(d: Decision, lang: str, *, rank: int | None = None, facts: bool = False) -> dict[str, Any]:
    out: dict[str, Any] = {
        "candidate": {"nip": d.candidate.nip, "name": d.candidate.name, "file": d.candidate.file},
        "verdict": d.verdict, "passed": d.passed_count(), "total": len(d.requirements),
        "requirements": [outcome_json(o, lang) for o in d.requirements],
    }
    if d.jpm is not None:
        out["jpm"] = d.jpm.model_dump()
    if rank is not None:
        out["rank"] = rank
    if facts:
        out["facts"] = facts_json(d.facts, lang)
        out["as_of"] = d.as_of.isoformat()
        out["position"] = d.position
        out["ruleset"] = d.ruleset.model_dump()
    return out


def facts_json(f: Facts, lang: str) -> dict[str, Any]:
    values = {name: _fact_display(name, v) for name, v in sorted(f.values.items())}
    return {"as_of": f.as_of.isoformat(), "values": values,
            "missing": {k: note_text(v, lang) for k, v in sorted(f.missing.items())},
            "invalid": {k: note_text(v, lang) for k, v in sorted(f.invalid.items())}}


def _fact_display(name: str, value: Any) -> Any:
    from engine.facts import display

    spec = lookup(name)
    return display(spec, value) if spec else value


def problems_json(problems: list[Problem]) -> list[dict[str, Any]]:
    return [p.model_dump() for p in problems]


def check_json(run: CheckRun, lang: str) -> dict[str, Any]:
    return {
        "as_of": run.as_of.isoformat(), "position": run.position.id,
        "ruleset": {"id": run.ruleset.id, "version": run.ruleset.version, "hash": run.ruleset_hash,
                    "layers": list(run.ruleset.layers)},
        "decisions": [decision_json(d, lang, rank=i) for i, d in enumerate(run.decisions, 1)],
        "problems": problems_json(run.problems),
    }


SHOWN_FAILING = 3  # the table stays readable; JSON and explain list them all


def check_rows(run: CheckRun, lang: str) -> list[dict[str, Any]]:
    rows = []
    for i, d in enumerate(run.decisions, 1):
        open_items = [f"{o.id} ({label(o.status, lang)})" for o in d.failing()]
        failing = ", ".join(open_items[:SHOWN_FAILING])
        if len(open_items) > SHOWN_FAILING:
            failing += f" +{len(open_items) - SHOWN_FAILING} " + ("more" if lang == "en" else "lainnya")
        jpm = d.facts.values.get("jpm")
        rows.append({
            label("rank", lang): i, label("nip", lang): d.candidate.nip, label("name", lang): d.candidate.name,
            label("verdict", lang): label(d.verdict, lang),
            label("passed", lang): f"{d.passed_count()}/{len(d.requirements)}",
            label("jpm", lang): f"{jpm:.2f}" if jpm is not None else "",
            label("golongan", lang): d.facts.values.get("golongan", ""),
            label("failing", lang): failing})
    return rows


def explain_rows(d: Decision, lang: str) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []

    def add(o: Outcome, depth: int) -> None:
        spec = lookup(o.fact) if o.fact else None
        expected = (f"{OPS[o.expected.op]} {shown(spec, o.expected.value, lang)}" if o.expected else "")
        detail = note_text(o.note, lang)
        if o.status == "fail" and o.expected and o.observed is not None:
            detail = gap_text(spec, o.expected.op, o.observed, o.expected.value, lang)
        marker = ("  " * depth + "└ ") if depth else ""
        rows.append({
            label("requirement", lang): marker + o.id, label("status", lang): label(o.status, lang),
            label("observed", lang): shown(spec, o.observed, lang), label("expected", lang): expected,
            label("gap", lang): detail, label("basis", lang): o.basis if not depth else "",
            label("description", lang): o.text.get(lang)})
        for child in o.children:
            add(child, depth + 1)

    for outcome in d.requirements:
        add(outcome, 0)
    return rows


def explain_header(d: Decision, lang: str) -> str:
    return (f"{d.candidate.name} ({d.candidate.nip}) → {d.position}: {label(d.verdict, lang).upper()}\n"
            f"{label('as_of', lang)} {d.as_of}; {label('ruleset', lang)} {d.ruleset.id} {d.ruleset.version} "
            f"({d.ruleset.hash[:12]}); {label('passed', lang)} {d.passed_count()}/{len(d.requirements)}")


def _req_rows(req: Requirement, position: str, lang: str, depth: int) -> list[dict[str, Any]]:
    marker = ("  " * depth + "└ ") if depth else ""
    condition = ""
    if isinstance(req, Check):
        value = req.value if not isinstance(req.value, list) else ", ".join(map(str, req.value))
        condition = f"{req.fact} {OPS[req.op]} {value}".replace("True", "true").replace("False", "false")
    else:
        condition = "any of" if isinstance(req, AnyOf) else "all of"
    rows = [{label("position", lang): position if not depth else "", label("requirement", lang): marker + req.id,
             label("description", lang): req.text.get(lang), "condition": condition,
             label("basis", lang): req.basis or ""}]
    if isinstance(req, AnyOf | AllOf):
        for child in req.any_of if isinstance(req, AnyOf) else req.all_of:
            rows.extend(_req_rows(child, position, lang, depth + 1))
    return rows


def positions_rows(ruleset: Ruleset, lang: str) -> list[dict[str, Any]]:
    rows = []
    for position in ruleset.positions:
        for req in position.requirements:
            rows.extend(_req_rows(req, position.id, lang, 0))
    return rows


def positions_json(ruleset: Ruleset, ruleset_hash: str, lang: str) -> dict[str, Any]:
    return {
        "ruleset": {"id": ruleset.id, "version": ruleset.version, "hash": ruleset_hash,
                    "title": ruleset.title.get(lang), "effective_from": ruleset.effective_from.isoformat(),
                    "effective_to": ruleset.effective_to.isoformat() if ruleset.effective_to else None,
                    "layers": list(ruleset.layers), "basis": list(ruleset.basis)},
        "positions": [{"id": p.id, "title": p.title.get(lang), "basis": p.basis,
                       "checks": len(leaves(p.requirements)),
                       "requirements": [r.model_dump(mode="json") for r in p.requirements]}
                      for p in ruleset.positions],
    }


def fact_list_rows(lang: str) -> list[dict[str, Any]]:
    rows = []
    for item in listing():
        if isinstance(item, FactSpec):
            kind = item.scale if item.kind == "scale" else item.kind
            bounds = f" {item.minimum}..{item.maximum}" if item.minimum is not None else ""
            rows.append({label("fact", lang): item.name, label("type", lang): f"{kind}{bounds}",
                         label("description", lang): item.id if lang == "id" else item.en})
        else:
            name, kind, en, id_ = item
            rows.append({label("fact", lang): name, label("type", lang): kind,
                         label("description", lang): id_ if lang == "id" else en})
    return rows


def fact_rows(f: Facts, lang: str) -> list[dict[str, Any]]:
    rows = []
    for name in sorted({*f.values, *f.missing, *f.invalid}):
        spec = lookup(name)
        if name in f.values:
            value = shown(spec, f.values[name], lang)
        else:
            value = f"({label('invalid' if name in f.invalid else 'missing', lang)}: "
            value += note_text(f.invalid.get(name) or f.missing.get(name), lang) + ")"
        rows.append({label("fact", lang): name, label("value", lang): value})
    return rows


def summary_line(run: CheckRun, lang: str) -> str:
    """'20 candidates for administrator on 2026-12-01: 9 eligible, 4 needs review, 7 not eligible'."""
    counts = {v: sum(1 for d in run.decisions if d.verdict == v) for v in ("eligible", "needs_review", "not_eligible")}
    parts = ", ".join(f"{n} {label(v, lang)}" for v, n in counts.items())
    if lang == "id":
        return f"{len(run.decisions)} kandidat untuk {run.position.id} per {run.as_of}: {parts}"
    return f"{len(run.decisions)} candidates for {run.position.id} on {run.as_of}: {parts}"
