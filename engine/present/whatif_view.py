"""Explain's second part, what would make the candidate eligible: as JSON, a table and sentences."""

from __future__ import annotations

from typing import Any

from engine.present.i18n import label, note_text, whatif_text
from engine.present.render import Table
from engine.present.values import gap_text, shown, whatif_subject
from engine.tools.whatif import Change, WhatIf


def change_text(c: Change, lang: str) -> str:
    """'Integrity (M01) level 3 needed, has 2', 'S1 needed, has D3', or the requirement's text."""
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

    out: dict[str, Any] = {
        "id": c.id,
        "kind": c.kind,
        "status": c.status,
        "mandatory": c.mandatory,
        "text": change_text(c, lang),
        "passes_on": c.passes_on.isoformat() if c.passes_on else None,
    }
    if c.kind == "check":
        target = (
            c.target if not isinstance(c.target, list) or c.spec is None else [display(c.spec, v) for v in c.target]
        )
        out.update(
            fact=c.fact,
            has=None if c.has is None or c.spec is None else display(c.spec, c.has),
            needed={
                "op": c.op,
                "value": target
                if c.spec is None or c.target is None or isinstance(c.target, list)
                else display(c.spec, c.target),
            },
        )
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
        lines = [
            whatif_text("eligible_until", lang, date=w.eligible_until)
            if w.eligible_until
            else whatif_text("eligible_throughout", lang, years=w.horizon_years, date=w.horizon)
        ]
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
        lines.append(
            whatif_text("version_from", lang, date=day, ruleset=ref.id, version=f"{ref.version} ({ref.hash[:12]})")
            if ref
            else whatif_text("no_version", lang, date=day)
        )
    return lines


def whatif_json(w: WhatIf, lang: str) -> dict[str, Any]:
    return {
        "as_of": w.as_of.isoformat(),
        "horizon": w.horizon.isoformat(),
        "horizon_years": w.horizon_years,
        "eligible_on": w.eligible_on.isoformat() if w.eligible_on else None,
        "eligible_until": w.eligible_until.isoformat() if w.eligible_until else None,
        "rulesets": [
            {
                "from": day.isoformat(),
                "id": ref.id if ref else None,
                "version": ref.version if ref else None,
                "hash": ref.hash if ref else None,
            }
            for day, ref in w.versions
        ],
        "changes": [_change_json(c, lang) for c in w.changes],
        "lapses": [
            {
                "id": x.id,
                "on": x.on.isoformat(),
                "status": x.status,
                "note": note_text(x.note, lang) if x.note else None,
            }
            for x in w.lapses
        ],
        "summary": whatif_lines(w, lang),
    }


def whatif_table(w: WhatIf, lang: str) -> Table:
    rows: list[dict[str, Any]] = []

    def add(c: Change, depth: int, path: str) -> None:
        rows.append(
            {
                "_depth": depth,
                "_path": path,
                label("requirement", lang): c.id,
                label("status", lang): label(c.status, lang),
                label("change_needed", lang): change_text(c, lang),
                label("time_alone", lang): _time_text(c, lang),
            }
        )
        for child in c.children:
            add(child, depth + 1, f"{path}/{child.id}")

    for change in w.changes:
        add(change, 0, change.id)
    return Table(rows, title=label("what_if", lang))
