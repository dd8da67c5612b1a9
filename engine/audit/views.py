"""What the audit commands show: records, verification and replay results as rows or JSON, per language."""

from __future__ import annotations

import secrets
from collections.abc import Mapping, Sequence
from typing import Any

import orjson

from engine.audit import location
from engine.audit.replay import Replayed
from engine.audit.show import Shown
from engine.audit.store import Appended, Head
from engine.audit.verify import Finding, Report
from engine.present.decisions import decision_header, requirement_info
from engine.present.i18n import label

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


def show_json(shown: Shown, lang: str) -> dict[str, Any]:
    """The record as stored (personal values put back), with the stored ruleset's texts once per requirement."""
    row, decision = shown.row, shown.decision
    return {"seq": row["seq"], "decision_id": row["decision_id"], "prev_hash": row["prev_hash"],
            "chain_hash": row["chain_hash"], "record": shown.record, "passed": decision.passed(),
            "total": len(decision.requirements),
            "requirements": None if shown.layout is None else
            [info.model_dump(mode="json") for info in requirement_info(shown.layout, lang)]}


def show_header(shown: Shown, lang: str) -> str:
    """explain's header, with where and by whom the decision was recorded."""
    row, record = shown.row, shown.record
    board = f", {word('board', lang)} {record['board']}" if record.get("board") else ""
    recorded = (f"{word('decision_id', lang)} {row['decision_id']} (#{row['seq']}), {word('recorded_at', lang)} "
                f"{record.get('recorded_at')}, {word('actor', lang)} {record.get('actor')}{board}; "
                f"{word('hash', lang)} {row['chain_hash']}")
    return decision_header(shown.decision, lang, recorded)


def list_more(rows: Sequence[Mapping[str, Any]], limit: int | None, lang: str) -> str:
    """After a full page of `audit list`: the option that shows the next one."""
    if limit is None or not rows or len(rows) < limit:
        return ""
    if lang == "id":
        return f"{len(rows)} catatan ditampilkan; halaman berikutnya: --after {rows[-1]['seq']}"
    return f"{len(rows)} records shown; next page: --after {rows[-1]['seq']}"


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
