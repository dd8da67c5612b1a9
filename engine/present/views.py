"""What the other commands show: facts, positions, lint, tests, diffs and what-if, as JSON or rows, per language."""

from __future__ import annotations

from typing import Any

from engine.compiler.plan import leaves
from engine.errors import Problem
from engine.facts.derive import Facts
from engine.facts.vocabulary import FactSpec, listing, lookup
from engine.load.rulefile import AllOf, AnyOf, Check, Requirement, Ruleset
from engine.present.i18n import OPS, gap_text, label, note_text, shown, whatif_subject, whatif_text
from engine.tools.cases import CaseResult, Coverage
from engine.tools.diff import VERDICTS, DiffReport, Side
from engine.tools.lint import Finding
from engine.tools.whatif import Change, WhatIf


def facts_json(f: Facts, lang: str) -> dict[str, Any]:
    values = {name: _fact_display(name, v) for name, v in sorted(f.values.items())}
    return {"as_of": f.as_of.isoformat(), "values": values,
            "missing": {k: note_text(v, lang) for k, v in sorted(f.missing.items())},
            "invalid": {k: note_text(v, lang) for k, v in sorted(f.invalid.items())}}


def _fact_display(name: str, value: Any) -> Any:
    from engine.facts.vocabulary import display

    spec = lookup(name)
    return display(spec, value) if spec else value


def problems_json(problems: list[Problem]) -> list[dict[str, Any]]:
    return [p.model_dump() for p in problems]


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


def finding_rows(findings: list[Finding]) -> list[dict[str, Any]]:
    return [{"severity": f.severity, "where": f"{f.problem.file}:{f.problem.line or ''}".rstrip(":"),
             "field": f.problem.path, "code": f.problem.code, "message": f.problem.message, "hint": f.problem.hint}
            for f in findings]


def test_rows(results: list[CaseResult]) -> list[dict[str, Any]]:
    return [{"result": "PASS" if r.passed else "FAIL", "case": r.case.name, "position": r.case.position,
             "as of": r.case.case.as_of.isoformat(), "differences": "; ".join(r.differences)} for r in results]


def coverage_rows(table: list[Coverage]) -> list[dict[str, Any]]:
    return [{"position": c.position, "ruleset": c.ruleset, "requirement": c.requirement,
             "pass side": "yes" if c.passed else "NO", "fail side": "yes" if c.failed else "NO"} for c in table]


def test_json(results: list[CaseResult], table: list[Coverage], percent: float) -> dict[str, Any]:
    return {"passed": sum(1 for r in results if r.passed), "failed": sum(1 for r in results if not r.passed),
            "coverage_percent": round(percent, 2),
            "cases": [{"file": r.case.file, "index": r.case.index, "line": r.case.line, "note": r.case.case.note,
                       "position": r.case.position, "as_of": r.case.case.as_of.isoformat(), "passed": r.passed,
                       "differences": r.differences,
                       "verdict": r.decision.verdict if r.decision else None} for r in results],
            "coverage": [{"position": c.position, "ruleset": c.ruleset, "requirement": c.requirement,
                          "pass_side": c.passed, "fail_side": c.failed} for c in table]}


# ---- layak diff -------------------------------------------------------------------------------------

def _side_json(side: Side | None, lang: str) -> dict[str, Any] | None:
    if side is None:
        return None
    out: dict[str, Any] = {"status": side.status, "observed": side.observed, "mandatory": side.mandatory,
                           "expected": side.expected.model_dump() if side.expected else None}
    if side.note:
        out["note"] = note_text(side.note, lang)
        out["note_code"] = side.note.code
    return out


def diff_json(report: DiffReport, lang: str, base: str, proposed: str) -> dict[str, Any]:
    return {
        "as_of": report.as_of.isoformat(), "base": base, "proposed": proposed, "changed": report.changed,
        "summary": [{
            "position": s.position, "candidates": s.candidates, "base_ruleset": s.base.model_dump(),
            "proposed_ruleset": s.proposed.model_dump(), "before": s.before, "after": s.after,
            "flips": [{"from": a, "to": b, "count": n} for (a, b), n in sorted(s.flips.items())],
            "other_changes": s.changed_without_flip} for s in report.summaries],
        "flips": [{
            "candidate": {"nip": f.candidate.nip, "name": f.candidate.name, "file": f.candidate.file},
            "position": f.position, "before": f.before, "after": f.after,
            "requirements": [{"id": c.id, "fact": c.fact, "text": c.text.get(lang),
                              "before": _side_json(c.before, lang), "after": _side_json(c.after, lang)}
                             for c in f.changes]} for f in report.flips],
        "problems": problems_json(report.problems),
    }


def _needs(side: Side | None, fact: str | None, lang: str) -> str:
    if side is None:
        return label("absent", lang)
    if side.expected is None:
        return ""
    return f"{OPS[side.expected.op]} {shown(lookup(fact) if fact else None, side.expected.value, lang)}"


def diff_columns(lang: str) -> list[str]:
    return [label(k, lang) for k in ("position", "nip", "name", "verdict_before", "verdict_after", "requirement",
                                     "status", "observed", "needs_before", "needs_after")]


def diff_rows(report: DiffReport, lang: str) -> list[dict[str, Any]]:
    """One row per requirement that changed for a candidate whose verdict changed."""
    rows = []
    for f in report.flips:
        for n, c in enumerate(f.changes or [None]):
            first = n == 0
            row = {label("position", lang): f.position if first else "",
                   label("nip", lang): f.candidate.nip if first else "",
                   label("name", lang): f.candidate.name if first else "",
                   label("verdict_before", lang): label(f.before, lang) if first else "",
                   label("verdict_after", lang): label(f.after, lang) if first else "",
                   label("requirement", lang): "", label("status", lang): "", label("observed", lang): "",
                   label("needs_before", lang): "", label("needs_after", lang): ""}
            if c is not None:
                spec = lookup(c.fact) if c.fact else None
                seen = [shown(spec, s.observed, lang) for s in (c.before, c.after) if s is not None]
                row.update({
                    label("requirement", lang): c.id,
                    label("status", lang): " → ".join(label(s.status, lang) if s else label("absent", lang)
                                                      for s in (c.before, c.after)),
                    label("observed", lang): seen[0] if len(set(seen)) == 1 else " → ".join(seen),
                    label("needs_before", lang): _needs(c.before, c.fact, lang),
                    label("needs_after", lang): _needs(c.after, c.fact, lang)})
            rows.append(row)
    return rows


def diff_summary_rows(report: DiffReport, lang: str) -> list[dict[str, Any]]:
    """Per position class: candidates, each verdict before → after, verdict changes by direction."""
    rows = []
    for s in report.summaries:
        row: dict[str, Any] = {label("position", lang): s.position, label("candidates", lang): s.candidates}
        for verdict in VERDICTS:
            row[label(verdict, lang)] = f"{s.before[verdict]} → {s.after[verdict]}"
        row[label("flips", lang)] = "; ".join(f"{label(a, lang)} → {label(b, lang)}: {n}"
                                              for (a, b), n in sorted(s.flips.items())) or "0"
        row[label("other_changes", lang)] = s.changed_without_flip
        rows.append(row)
    return rows


def diff_summary_line(report: DiffReport, lang: str) -> str:
    """'2000 candidates, 1 position class on 2026-12-01: 37 verdicts change'."""
    people = max((s.candidates for s in report.summaries), default=0)
    flips = len(report.flips)
    if lang == "id":
        return (f"{people} kandidat, {len(report.summaries)} jabatan per {report.as_of}: "
                f"{flips} keputusan berubah")
    return (f"{people} candidates, {len(report.summaries)} position class{'es' if len(report.summaries) != 1 else ''}"
            f" on {report.as_of}: {flips} verdict{'s' if flips != 1 else ''} change{'' if flips != 1 else 's'}")


# ---- explain: what would make the candidate eligible -----------------------------------------------

def change_text(c: Change, lang: str) -> str:
    """'Integritas (M01) level 3 needed, has 2', 'S1 needed, has D3', or the requirement's text."""
    if c.kind != "check":
        return whatif_text(c.kind, lang)
    spec, why = c.spec, note_text(c.note, lang)
    if spec is None or c.fact is None or c.op is None:
        return c.text.get(lang)
    if c.target is None:
        return whatif_text("no_value", lang, fact=c.fact)
    has = shown(spec, c.has, lang)
    subject = None if isinstance(c.target, list) else whatif_subject(spec, c.fact, c.op, c.target, lang)
    if subject is None:
        what = c.text.get(lang)
        if c.has is None:
            return whatif_text("needed_text_missing", lang, what=what, why=why)
        text = whatif_text("needed_text", lang, what=what, has=has)
        return f"{text}; {why}" if why else text
    if c.has is None:
        return whatif_text("needed_invalid" if c.status == "invalid" else "needed_missing", lang, what=subject, why=why)
    if why:
        return whatif_text("needed_review", lang, what=subject, has=has, why=why)
    return whatif_text("needed_has", lang, what=subject, has=has)


def _time_text(c: Change, lang: str) -> str:
    if c.passes_on is None:
        return ""
    subject = None
    if c.kind == "check" and c.spec and c.fact and c.op and c.target is not None and not isinstance(c.target, list):
        subject = whatif_subject(c.spec, c.fact, c.op, c.target, lang)
    return whatif_text("reached_on", lang, what=subject, date=c.passes_on) if subject else c.passes_on.isoformat()


def _change_json(c: Change, lang: str) -> dict[str, Any]:
    from engine.facts.vocabulary import display

    out: dict[str, Any] = {"id": c.id, "kind": c.kind, "status": c.status, "mandatory": c.mandatory,
                           "text": change_text(c, lang),
                           "passes_on": c.passes_on.isoformat() if c.passes_on else None}
    if c.kind == "check":
        target = c.target if not isinstance(c.target, list) or c.spec is None else [display(c.spec, v)
                                                                                    for v in c.target]
        out.update(fact=c.fact, has=None if c.has is None or c.spec is None else display(c.spec, c.has),
                   needed={"op": c.op, "value": target if c.spec is None or c.target is None
                           or isinstance(c.target, list) else display(c.spec, c.target)})
    if c.passes_on:
        out["passes_on_text"] = _time_text(c, lang)
    if c.note:
        out["note"] = note_text(c.note, lang)
        out["note_code"] = c.note.code
    if c.children:
        out["children"] = [_change_json(child, lang) for child in c.children]
    return out


def whatif_lines(w: WhatIf, lang: str) -> list[str]:
    """The eligibility sentence, then what stops being met as time passes, then the rules caveat."""
    if w.verdict == "eligible":
        lines = [whatif_text("eligible_until", lang, date=w.eligible_until) if w.eligible_until else
                 whatif_text("eligible_throughout", lang, years=w.horizon_years, date=w.horizon)]
    elif w.eligible_on is not None:
        lines = [whatif_text("eligible_on", lang, date=w.eligible_on)]
    else:
        lines = [whatif_text("never", lang, years=w.horizon_years, date=w.horizon)]
    for lapse in w.lapses:
        why = note_text(lapse.note, lang) or label(lapse.status, lang)
        if lapse.note is None and lapse.expected is not None and lapse.observed is not None:
            why = gap_text(lapse.spec, lapse.expected.op, lapse.observed, lapse.expected.value, lang)
        lines.append(whatif_text("lapse", lang, id=lapse.id, date=lapse.on, why=why))
    for day, ref in w.versions[1:]:
        lines.append(whatif_text("version_from", lang, date=day, ruleset=ref.id, version=ref.version) if ref
                     else whatif_text("no_version", lang, date=day))
    return lines


def whatif_json(w: WhatIf, lang: str) -> dict[str, Any]:
    return {"as_of": w.as_of.isoformat(), "horizon": w.horizon.isoformat(), "horizon_years": w.horizon_years,
            "eligible_on": w.eligible_on.isoformat() if w.eligible_on else None,
            "eligible_until": w.eligible_until.isoformat() if w.eligible_until else None,
            "rulesets": [{"from": day.isoformat(), "id": ref.id if ref else None,
                          "version": ref.version if ref else None, "hash": ref.hash if ref else None}
                         for day, ref in w.versions],
            "changes": [_change_json(c, lang) for c in w.changes],
            "lapses": [{"id": x.id, "on": x.on.isoformat(), "status": x.status,
                        "note": note_text(x.note, lang) if x.note else None} for x in w.lapses],
            "summary": whatif_lines(w, lang)}


def whatif_rows(w: WhatIf, lang: str) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []

    def add(c: Change, depth: int) -> None:
        rows.append({label("requirement", lang): ("  " * depth + "└ " if depth else "") + c.id,
                     label("status", lang): label(c.status, lang), label("change_needed", lang): change_text(c, lang),
                     label("time_alone", lang): _time_text(c, lang)})
        for child in c.children:
            add(child, depth + 1)

    for change in w.changes:
        add(change, 0)
    return rows
