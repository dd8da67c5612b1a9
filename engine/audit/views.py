"""What the audit commands show: records, verification and replay results as rows or JSON, per language."""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import orjson
from pydantic import ValidationError

from engine.audit import location
from engine.audit.replay import Replayed
from engine.audit.store import Appended, Head
from engine.audit.verify import Finding, Report
from engine.compiler.plan import check_fact, spec_of, threshold
from engine.facts.derive import Note
from engine.facts.vocabulary import display, lookup
from engine.load.rulefile import AllOf, AnyOf, Check, Requirement, Ruleset, Text
from engine.present.i18n import OPS, gap_text, label, note_text, shown

WORDS: dict[str, tuple[str, str]] = {
    "seq": ("seq", "no."),
    "decision_id": ("decision id", "id keputusan"),
    "recorded_at": ("recorded at", "dicatat"),
    "board": ("board", "sidang"),
    "actor": ("recorded by", "pencatat"),
    "head": ("head", "kepala log"),
    "hash": ("chain hash", "hash rantai"),
    "records": ("records", "catatan"),
    "result": ("result", "hasil"),
    "problem": ("problem", "masalah"),
    "where": ("requirement", "persyaratan"),
    "field": ("field", "bagian"),
    "recorded": ("recorded", "tercatat"),
    "replayed": ("replayed", "diulang"),
    "IDENTICAL": ("IDENTICAL", "IDENTIK"),
    "DIFFERENT": ("DIFFERENT", "BERBEDA"),
    "intact": ("intact", "utuh"),
    "damaged": ("DAMAGED", "RUSAK"),
}

FINDINGS: dict[str, tuple[str, str]] = {
    "missing": ("record {seq} is missing: the log jumps from {before} to {after}",
                "catatan {seq} hilang: log melompat dari {before} ke {after}"),
    "out_of_order": ("record {seq} comes after record {before}", "catatan {seq} muncul setelah catatan {before}"),
    "chain_broken": ("its previous hash is not the chain hash of record {before}",
                     "hash sebelumnya bukan hash rantai catatan {before}"),
    "content_changed": ("its content does not hash to its chain hash: the record was changed",
                        "isinya tidak sesuai dengan hash rantainya: catatan telah diubah"),
    "moved": ("the record says it is number {claimed}", "catatan menyatakan dirinya nomor {claimed}"),
    "column_changed": ("column {column} holds {found!r}, the record {expected!r}",
                       "kolom {column} berisi {found!r}, catatan {expected!r}"),
    "personal_changed": ("personal data do not match their sealed digests: {fields}",
                         "data pribadi tidak sesuai dengan digest tersegelnya: {fields}"),
    "unreadable": ("the record is not valid JSON", "catatan bukan JSON yang sah"),
    "duplicate_id": ("decision id {id} is also record {other}", "id keputusan {id} juga dipakai catatan {other}"),
    "ruleset_missing": ("its ruleset {hash} is not stored", "aturan {hash} tidak tersimpan"),
    "ruleset_changed": ("stored ruleset {hash} was changed (its content hashes to {actual})",
                        "aturan tersimpan {hash} telah diubah (isinya ber-hash {actual})"),
    "truncated": ("the log ends at record {last}, but the expected head is record {expected}: records were removed",
                  "log berakhir di catatan {last}, padahal kepala yang diharapkan catatan {expected}: catatan dihapus"),
    "head_mismatch": ("the chain hash differs from the expected head {expected}: the log was rewritten",
                      "hash rantai berbeda dari kepala yang diharapkan {expected}: log telah ditulis ulang"),
}


def word(key: str, lang: str) -> str:
    """An audit word in the chosen language (falling back to the engine's labels)."""
    if key in WORDS:
        en, id_ = WORDS[key]
        return id_ if lang == "id" else en
    return label(key, lang)


def finding_text(finding: Finding, lang: str) -> str:
    en, id_ = FINDINGS[finding.code]
    return (id_ if lang == "id" else en).format(seq=finding.seq, **finding.args)


def list_json(row: Mapping[str, Any]) -> dict[str, Any]:
    keys = ("seq", "decision_id", "recorded_at", "as_of", "position", "nip", "name", "verdict", "board", "actor",
            "ruleset_hash", "chain_hash")
    return {key: row[key] for key in keys}


def list_row(row: Mapping[str, Any], lang: str) -> dict[str, Any]:
    return {word("seq", lang): row["seq"], word("decision_id", lang): row["decision_id"],
            word("recorded_at", lang): row["recorded_at"][:19].replace("T", " "), label("as_of", lang): row["as_of"],
            label("position", lang): row["position"], label("nip", lang): row["nip"], label("name", lang): row["name"],
            label("verdict", lang): label(row["verdict"], lang), word("board", lang): row["board"] or "",
            word("actor", lang): row["actor"]}


def show_json(row: Mapping[str, Any], record: dict[str, Any], index: Mapping[str, Static],
              lang: str) -> dict[str, Any]:
    return {"seq": row["seq"], "decision_id": row["decision_id"], "prev_hash": row["prev_hash"],
            "chain_hash": row["chain_hash"], "record": record,
            "requirements": requirements_json(record["decision"]["requirements"], index, lang)}


def show_header(row: Mapping[str, Any], record: Mapping[str, Any], lang: str) -> str:
    decided = record["decision"]
    candidate, ruleset = decided["candidate"], decided["ruleset"]
    passed = sum(1 for o in decided["requirements"] if o["status"] in ("pass", "waived"))
    board = f", {word('board', lang)} {record['board']}" if record["board"] else ""
    return (f"{candidate['name']} ({candidate['nip']}) → {decided['position']}: "
            f"{label(decided['verdict'], lang).upper()}\n"
            f"{word('decision_id', lang)} {row['decision_id']} (#{row['seq']}), {word('recorded_at', lang)} "
            f"{record['recorded_at']}, {word('actor', lang)} {record['actor']}{board}\n"
            f"{label('as_of', lang)} {decided['as_of']}; {label('ruleset', lang)} {ruleset['id']} {ruleset['version']} "
            f"({ruleset['hash'][:12]}); {label('passed', lang)} {passed}/{len(decided['requirements'])}; "
            f"{word('hash', lang)} {row['chain_hash']}")


@dataclass(frozen=True)
class Static:
    """What the ruleset says about one requirement: text, basis, and the fact and threshold of a check."""

    text: Text
    basis: str
    fact: str | None = None
    op: str | None = None
    value: Any = None


def requirement_index(body: str | None, position_id: str) -> dict[str, Static]:
    """The static half of each requirement of a position, from a stored ruleset (empty if unreadable)."""
    try:
        ruleset = Ruleset.model_validate(orjson.loads(body or "null"))
    except (orjson.JSONDecodeError, ValidationError):
        return {}
    position = ruleset.position(position_id)
    index: dict[str, Static] = {}

    def add(req: Requirement, basis: str) -> None:
        basis = req.basis or basis
        if isinstance(req, Check):
            raw = threshold(req)
            spec = spec_of(req.fact)
            shown_value = [display(spec, v) for v in raw] if isinstance(raw, list) else display(spec, raw)
            index[req.id] = Static(req.text, basis, check_fact(req), req.op, shown_value)
            return
        index[req.id] = Static(req.text, basis)
        for child in req.any_of if isinstance(req, AnyOf) else req.all_of if isinstance(req, AllOf) else ():
            add(child, basis)

    for req in position.requirements if position else ():
        add(req, position.basis if position else "")
    return index


def requirement_rows(outcomes: list[dict[str, Any]], index: Mapping[str, Static], lang: str,
                     depth: int = 0) -> list[dict[str, Any]]:
    """The recorded outcomes as `layak explain` shows outcomes: status, has, needs, gap, basis, text."""
    rows: list[dict[str, Any]] = []
    for o in outcomes:
        static = index.get(o["id"])
        spec = lookup(static.fact) if static and static.fact else None
        needs = f"{OPS[static.op]} {shown(spec, static.value, lang)}" if static and static.op else ""
        detail = note_text(Note(**o["note"]) if o.get("note") else None, lang)
        if o["status"] == "fail" and static and static.op and o.get("observed") is not None:
            detail = gap_text(spec, static.op, o["observed"], static.value, lang)
        rows.append({
            label("requirement", lang): ("  " * depth + "└ " if depth else "") + o["id"],
            label("status", lang): label(o["status"], lang),
            label("observed", lang): shown(spec, o.get("observed"), lang), label("expected", lang): needs,
            label("gap", lang): detail, label("basis", lang): static.basis if static and not depth else "",
            label("description", lang): static.text.get(lang) if static else ""})
        rows.extend(requirement_rows(o.get("children") or [], index, lang, depth + 1))
    return rows


def requirements_json(outcomes: list[dict[str, Any]], index: Mapping[str, Static], lang: str) -> list[dict[str, Any]]:
    """The recorded outcomes joined with their rule texts, for `audit show --format json`."""
    out = []
    for o in outcomes:
        static = index.get(o["id"])
        item = {**o, "text": static.text.get(lang) if static else None, "basis": static.basis if static else None,
                "expected": {"op": static.op, "value": static.value} if static and static.op else None,
                "note_text": note_text(Note(**o["note"]) if o.get("note") else None, lang) or None}
        if o.get("children"):
            item["children"] = requirements_json(o["children"], index, lang)
        out.append(item)
    return out


def head_json(head: Head) -> dict[str, Any]:
    return {"seq": head.seq, "chain_hash": head.chain_hash, "head": head.token, "decision_id": head.decision_id,
            "recorded_at": head.recorded_at}


def head_row(head: Head, lang: str) -> dict[str, Any]:
    return {word("seq", lang): head.seq, word("head", lang): head.token,
            word("recorded_at", lang): head.recorded_at}


def verify_json(report: Report, lang: str) -> dict[str, Any]:
    return {"ok": report.ok, "records": report.records, "head": f"{report.head_seq}:{report.head_hash}",
            "first_bad": report.first_bad, "problems_total": report.found,
            "problems": [{"seq": f.seq, "code": f.code, "message": finding_text(f, lang)} for f in report.findings]}


def verify_rows(report: Report, lang: str) -> list[dict[str, Any]]:
    if report.ok:
        return [{word("result", lang): word("intact", lang), word("records", lang): report.records,
                 word("head", lang): f"{report.head_seq}:{report.head_hash}"}]
    return [{word("seq", lang): f.seq, word("result", lang): word("damaged", lang), "code": f.code,
             word("problem", lang): finding_text(f, lang)} for f in report.findings]


def verify_summary(report: Report, lang: str) -> str:
    if report.ok:
        return (f"{report.records} {word('records', lang)} {word('intact', lang)}; "
                f"{word('head', lang)} {report.head_seq}:{report.head_hash}")
    first = "first bad record" if lang == "en" else "catatan rusak pertama"
    count = "problems" if lang == "en" else "masalah"
    return f"{word('damaged', lang)}: {first} {report.first_bad} ({report.found} {count})"


def _cell(value: Any) -> str:
    if value is None:
        return ""
    return value if isinstance(value, str) else orjson.dumps(value, option=orjson.OPT_SORT_KEYS).decode()


def replay_json(item: Replayed) -> dict[str, Any]:
    return {"seq": item.seq, "decision_id": item.decision_id, "candidate": {"nip": item.nip, "name": item.name},
            "result": "IDENTICAL" if item.identical else "DIFFERENT",
            "differences": [{"where": d.where, "field": d.field, "recorded": d.recorded, "replayed": d.replayed}
                            for d in item.differences]}


def replay_rows(item: Replayed, lang: str) -> list[dict[str, Any]]:
    base = {word("seq", lang): item.seq, word("decision_id", lang): item.decision_id, label("name", lang): item.name,
            word("result", lang): word("IDENTICAL" if item.identical else "DIFFERENT", lang)}
    blank = {word("where", lang): "", word("field", lang): "", word("recorded", lang): "", word("replayed", lang): ""}
    if item.identical:
        return [{**base, **blank}]
    return [{**base, word("where", lang): d.where, word("field", lang): d.field,
             word("recorded", lang): _cell(d.recorded), word("replayed", lang): _cell(d.replayed)}
            for d in item.differences]


def replay_summary(items: list[Replayed], lang: str) -> str:
    same = sum(1 for i in items if i.identical)
    if lang == "id":
        return f"{len(items)} keputusan diulang: {same} identik, {len(items) - same} berbeda"
    return f"{len(items)} decisions replayed: {same} identical, {len(items) - same} different"


def new_salt() -> str:
    """A random salt for the pseudonyms of a redacted export."""
    return secrets.token_hex(16)


def recorded_line(appended: Appended, where: str, lang: str) -> str:
    """'recorded 20 decisions in ~/.local/share/layak/audit.db as #1-#20; head 20:9f2c…'."""
    store = location.shown(where)
    if lang == "id":
        return (f"{appended.count} keputusan dicatat di {store} sebagai #{appended.first}-#{appended.last}; "
                f"kepala log {appended.last}:{appended.head}")
    return (f"recorded {appended.count} decisions in {store} as #{appended.first}-#{appended.last}; "
            f"head {appended.last}:{appended.head}")
