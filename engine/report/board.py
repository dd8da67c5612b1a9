"""The board report's content, built only from recorded decisions and the rulesets stored with them."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from engine.audit.replay import Replayed, recorded_decision, replay
from engine.audit.rulesets import StoredRulesets
from engine.audit.store import Head, Row
from engine.decide.decision import JPM_SCHEMES
from engine.errors import InputError, Problem
from engine.present.i18n import label
from engine.report.charts import histogram, unmet_chart
from engine.report.future import Future, future_of
from engine.report.records import UNMET, RequirementRow, WaiverRow, jpm_of, passed_count, rank_key
from engine.report.records import requirement_rows as outcome_rows
from engine.report.records import waivers as waiver_rows
from engine.report.words import word

VERDICTS = ("eligible", "needs_review", "not_eligible")


@dataclass
class Section:
    """One candidate's page: the recorded decision, its requirements, waivers, replay and what-if."""

    rank: int
    seq: int
    decision_id: str
    chain_hash: str
    recorded_at: str
    name: str
    nip: str
    verdict: str
    passed: str
    jpm: str
    golongan: str
    requirements: list[RequirementRow]
    waivers: list[WaiverRow]
    replay_identical: bool
    replay_text: str
    future: Future | None


@dataclass
class BoardReport:
    lang: str
    selection: str
    position: str
    position_title: str
    as_of: str
    ruleset: dict[str, Any]
    boards: list[str]
    actors: list[str]
    seq_first: int
    seq_last: int
    recorded: str
    head: str
    store: str
    counts: list[tuple[str, str, int]]
    unmet: list[tuple[str, dict[str, int]]]
    unmet_svg: str
    jpm_svg: str
    jpm_categories: list[tuple[str, int]]
    sections: list[Section] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.sections)

    @property
    def replayed_identical(self) -> int:
        return sum(1 for s in self.sections if s.replay_identical)


def _one(rows: list[Row], what: str, get: Callable[[dict[str, Any]], str]) -> str:
    found = sorted({get(row) for row in rows})
    if len(found) != 1:
        raise InputError(
            [
                Problem(
                    code="mixed_selection",
                    message=(
                        f"the selected decisions are for several {what}s ({', '.join(found)}); "
                        "one report covers one board run"
                    ),
                    hint="narrow the selection with --seq FIRST-LAST or --decision",
                )
            ]
        )
    return found[0]


def _category(code: str) -> str:
    """'CUKUP_OPTIMAL' as people write it: 'Cukup Optimal'."""
    return code.replace("_", " ").title()


def _replay_text(item: Replayed, lang: str) -> str:
    if item.identical:
        return word("replay_same", lang)
    what = "; ".join(f"{d.where} {d.field}" for d in item.differences[:5])
    return word("replay_differs", lang).format(what=what)


def build(
    rows: list[Row],
    ruleset_body: Callable[[str], str | None],
    head: Head,
    store: str,
    selection: str,
    lang: str,
    *,
    what_if: bool = True,
) -> BoardReport:
    """The report of the selected rows (full rows, in sequence order), with the store's head at printing."""
    decided_of = {int(row["seq"]): row for row in rows}
    position = _one(rows, "position", lambda r: r["position"])
    as_of = _one(rows, "as-of date", lambda r: r["as_of"])
    digest = _one(rows, "ruleset", lambda r: r["ruleset_hash"])
    stored = StoredRulesets(ruleset_body)  # texts and thresholds from the record's ruleset, never rules/
    ruleset = stored.ruleset(digest)
    layout = stored.layout(digest, position)
    klass = layout.position
    items = {item.seq: item for item in replay(rows, ruleset_body, stored.layouts)}
    order = sorted(items.values(), key=lambda item: rank_key(item.record["decision"]))
    sections = []
    for rank, item in enumerate(order, 1):
        decided = item.record["decision"]
        recorded = item.recorded or recorded_decision(item.record)
        outcomes = recorded.outcomes(layout)
        met, total = passed_count(decided)
        jpm = jpm_of(decided)
        sections.append(
            Section(
                rank=rank,
                seq=item.seq,
                decision_id=item.decision_id,
                chain_hash=decided_of[item.seq]["chain_hash"],
                recorded_at=item.record["recorded_at"],
                name=decided["candidate"]["name"],
                nip=decided["candidate"]["nip"],
                verdict=decided["verdict"],
                passed=f"{met}/{total}",
                jpm="" if jpm is None else f"{jpm:.2f}",
                golongan=str(decided["facts"]["values"].get("golongan", "")),
                requirements=outcome_rows(outcomes, lang),
                waivers=waiver_rows(outcomes),
                replay_identical=item.identical,
                replay_text=_replay_text(item, lang),
                future=future_of(recorded.decision(layout), item.record, ruleset, lang) if what_if else None,
            )
        )
    records = [item.record for item in order]
    unmet = _unmet(records)
    scheme = klass.jpm.scheme if klass.jpm else "SELEKSI"
    jpms = [
        float(v) for r in records if r["decision"]["verdict"] == "eligible" and (v := jpm_of(r["decision"])) is not None
    ]
    categories: dict[str, int] = {}
    for r in records:
        jpm_info = r["decision"].get("jpm")
        if r["decision"]["verdict"] == "eligible" and isinstance(jpm_info, dict):
            name = _category(jpm_info["category"])
            categories[name] = categories.get(name, 0) + 1
    bands = [(float(bound), _category(name)) for bound, name in JPM_SCHEMES[scheme]]
    stamps = sorted(r["recorded_at"] for r in records)
    return BoardReport(
        lang=lang,
        selection=selection,
        position=position,
        position_title=klass.title.get(lang),
        as_of=as_of,
        ruleset={
            "id": ruleset.id,
            "version": ruleset.version,
            "hash": digest,
            "title": ruleset.title.get(lang),
            "layers": list(ruleset.layers),
        },
        boards=sorted({r["board"] or "" for r in records}),
        actors=sorted({r["actor"] for r in records}),
        seq_first=min(decided_of),
        seq_last=max(decided_of),
        recorded=stamps[0] if stamps[0] == stamps[-1] else f"{stamps[0]} … {stamps[-1]}",
        head=head.token,
        store=store,
        counts=[(v, label(v, lang), sum(1 for r in records if r["decision"]["verdict"] == v)) for v in VERDICTS],
        unmet=unmet,
        unmet_svg=unmet_chart(unmet, {s: label(s, lang) for s in UNMET}, word("candidates_axis", lang))
        if unmet
        else "",
        jpm_svg=histogram(jpms, bands, "JPM (%)", word("candidates_axis", lang)) if jpms else "",
        jpm_categories=sorted(categories.items(), key=lambda kv: -kv[1]),
        sections=sections,
    )


def _unmet(records: Sequence[Mapping[str, Any]]) -> list[tuple[str, dict[str, int]]]:
    """Top-level requirements not met, with how many candidates fail, lack evidence or are invalid."""
    counts: dict[str, dict[str, int]] = {}
    for record in records:
        for outcome in record["decision"]["requirements"]:
            if outcome["status"] in UNMET:
                here = counts.setdefault(outcome["id"], {})
                here[outcome["status"]] = here.get(outcome["status"], 0) + 1
    return sorted(counts.items(), key=lambda kv: (-sum(kv[1].values()), kv[0]))
