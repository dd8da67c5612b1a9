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
from engine.audit.vocabulary import VERSION_LABELS
from engine.present.decisions import requirement_info
from engine.present.i18n import LABELS, label
from engine.present.render import Table

# Joined here, where every audit word is rendered: the catalogue module is at its size limit.
LABELS.update(VERSION_LABELS)


def word(key: str, lang: str, n: int | None = None, **args: object) -> str:
    """An audit word of the catalogue (engine/present/i18n.py), under `audit.` or else the engine's labels."""
    return label(f"audit.{key}" if f"audit.{key}" in LABELS else key, lang, n, **args)


def finding_text(finding: Finding, lang: str) -> str:
    return label(f"verify.{finding.code}", lang, seq=finding.seq, **finding.args)


def list_json(row: Mapping[str, Any]) -> dict[str, Any]:
    keys = (
        "seq",
        "decision_id",
        "recorded_at",
        "as_of",
        "position",
        "nip",
        "name",
        "verdict",
        "board",
        "actor",
        "ruleset_hash",
        "chain_hash",
    )
    return {key: row[key] for key in keys}


def list_row(row: Mapping[str, Any], lang: str) -> dict[str, Any]:
    return {
        word("seq", lang): row["seq"],
        word("decision_id", lang): row["decision_id"],
        word("recorded_at", lang): row["recorded_at"][:19].replace("T", " "),
        label("as_of", lang): row["as_of"],
        label("position", lang): row["position"],
        label("nip", lang): row["nip"],
        label("name", lang): row["name"],
        label("verdict", lang): label(row["verdict"], lang),
        word("board", lang): row["board"] or "",
        word("actor", lang): row["actor"],
    }


def show_json(shown: Shown, lang: str) -> dict[str, Any]:
    """The record as stored (personal values put back), with the stored ruleset's texts once per requirement."""
    row, decision = shown.row, shown.decision
    return {
        "seq": row["seq"],
        "decision_id": row["decision_id"],
        "prev_hash": row["prev_hash"],
        "chain_hash": row["chain_hash"],
        "record": shown.record,
        "passed": decision.passed(),
        "total": len(decision.requirements),
        "requirements": None
        if shown.layout is None
        else [info.model_dump(mode="json") for info in requirement_info(shown.layout, lang)],
    }


def show_recorded(shown: Shown, lang: str) -> Table:
    """Where, when and by whom the decision was recorded: printed after what explain prints."""
    row, record = shown.row, shown.record
    items = [
        (word("decision_id", lang), f"{row['decision_id']} (#{row['seq']})"),
        (word("recorded_at", lang), str(record.get("recorded_at"))),
        (word("actor", lang), str(record.get("actor"))),
        *([(word("board", lang), str(record["board"]))] if record.get("board") else []),
        (word("hash", lang), row["chain_hash"]),
    ]
    return Table([{label("field", lang): k, label("value", lang): v} for k, v in items], title=word("recorded", lang))


def list_more(rows: Sequence[Mapping[str, Any]], limit: int | None, lang: str) -> str:
    """After a full page of `audit list`: the option that shows the next one."""
    if limit is None or not rows or len(rows) < limit:
        return ""
    return word("list_more", lang, n=len(rows), seq=rows[-1]["seq"])


def head_json(head: Head) -> dict[str, Any]:
    return {
        "seq": head.seq,
        "chain_hash": head.chain_hash,
        "head": head.token,
        "decision_id": head.decision_id,
        "recorded_at": head.recorded_at,
    }


def head_row(head: Head, lang: str) -> dict[str, Any]:
    return {word("seq", lang): head.seq, word("head", lang): head.token, word("recorded_at", lang): head.recorded_at}


def verify_json(report: Report, lang: str) -> dict[str, Any]:
    return {
        "ok": report.ok,
        "records": report.records,
        "head": f"{report.head_seq}:{report.head_hash}",
        "first_bad": report.first_bad,
        "problems_total": report.found,
        "problems": [{"seq": f.seq, "code": f.code, "message": finding_text(f, lang)} for f in report.findings],
    }


def verify_rows(report: Report, lang: str) -> list[dict[str, Any]]:
    if report.ok:
        return [
            {
                word("result", lang): word("intact", lang),
                word("records", lang): report.records,
                word("head", lang): f"{report.head_seq}:{report.head_hash}",
            }
        ]
    return [
        {
            word("seq", lang): f.seq,
            word("result", lang): word("unverifiable" if f.code == "too_new" else "damaged", lang),
            "code": f.code,
            word("problem", lang): finding_text(f, lang),
        }
        for f in report.findings
    ]


def verify_summary(report: Report, lang: str) -> str:
    if report.ok:
        return (
            f"{report.records} {word('records', lang)} {word('intact', lang)}; "
            f"{word('head', lang)} {report.head_seq}:{report.head_hash}"
        )
    if all(f.code == "too_new" for f in report.findings) and len(report.findings) == report.found:
        return word("unverifiable_summary", lang, n=report.found, first=report.first_bad)
    return word("damaged_summary", lang, n=report.found, first=report.first_bad)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    return value if isinstance(value, str) else orjson.dumps(value, option=orjson.OPT_SORT_KEYS).decode()


def replay_json(item: Replayed) -> dict[str, Any]:
    return {
        "seq": item.seq,
        "decision_id": item.decision_id,
        "candidate": {"nip": item.nip, "name": item.name},
        "result": "IDENTICAL" if item.identical else "DIFFERENT",
        "differences": [
            {"where": d.where, "field": d.field, "recorded": d.recorded, "replayed": d.replayed}
            for d in item.differences
        ],
    }


def replay_rows(item: Replayed, lang: str) -> list[dict[str, Any]]:
    base = {
        word("seq", lang): item.seq,
        word("decision_id", lang): item.decision_id,
        label("name", lang): item.name,
        word("result", lang): word("IDENTICAL" if item.identical else "DIFFERENT", lang),
    }
    blank = {word("where", lang): "", word("field", lang): "", word("recorded", lang): "", word("replayed", lang): ""}
    if item.identical:
        return [{**base, **blank}]
    return [
        {
            **base,
            word("where", lang): d.where,
            word("field", lang): d.field,
            word("recorded", lang): _cell(d.recorded),
            word("replayed", lang): _cell(d.replayed),
        }
        for d in item.differences
    ]


def replay_summary(replayed: int, same: int, lang: str) -> str:
    return word("replay_summary", lang, n=replayed, same=same, different=replayed - same)


def new_salt() -> str:
    """A random salt for the pseudonyms of a redacted export."""
    return secrets.token_hex(16)


def recorded_line(appended: Appended, where: str, lang: str) -> str:
    """'recorded 20 decisions in ~/.local/share/layak/audit.db as #1-#20; head 20:9f2c…'."""
    return word(
        "recorded_line",
        lang,
        n=appended.count,
        store=location.shown(where),
        first=appended.first,
        last=appended.last,
        head=appended.head,
    )
