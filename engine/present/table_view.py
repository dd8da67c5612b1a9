"""What `layak facts --out` and `layak sweep` print: the facts table written, the threshold sweep."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from engine.facts.table import Built
from engine.present.i18n import LABELS, label
from engine.present.render import Report, Table  # noqa: F401
from engine.present.views import problems_json

LABELS.update(
    {
        "facts_table": ("facts table", "tabel fakta"),
        "rows": ("rows", "baris"),
        "unreadable_rows": ("dossiers with problems", "berkas bermasalah"),
        "content_hash": ("content hash", "hash isi"),
        "value": ("value", "nilai"),
        "current": ("current", "berlaku"),
        "sweep": ("threshold sweep", "uji ambang batas"),
        "sweep_changes": ("verdict changes against the current value", "perubahan keputusan terhadap nilai berlaku"),
        "cross_checked": (
            "cross-check: {n} sampled candidate(s) re-decided on durable-rules, all identical (seed {seed})",
            "pemeriksaan silang: {n} kandidat sampel diputus ulang dengan durable-rules, semua sama (seed {seed})",
        ),
    }
)


def facts_table_report(out: Path, as_of: dt.date, built: Built, lang: str) -> Report:
    data: dict[str, Any] = {
        "out": str(out),
        "as_of": as_of.isoformat(),
        "rows": built.rows,
        "unreadable": len({p.file for p in built.problems}),
        "content_hash": built.content_hash,
        "problems": problems_json(built.problems),
    }
    header = [
        (label("facts_table", lang), str(out)),
        (label("as_of", lang), as_of.isoformat()),
        (label("rows", lang), str(built.rows)),
        (label("unreadable_rows", lang), str(data["unreadable"])),
        (label("content_hash", lang), built.content_hash),
    ]
    return Report(data=data, header=header)
