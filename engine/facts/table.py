"""The facts table: facts derived once per dossier, one Parquet row per candidate, content-hashed.

Columns: ``nip``, ``name``, ``file``, ``dossier`` (SHA-256 of the file's bytes), one Int64 column per fact of
the vocabulary in its engine encoding (null = not known), ``extra`` (encoded facts outside the enumerated
vocabulary, e.g. technical competencies, as JSON), ``unknown`` (facts that are invalid, ``i:``, or not held by the
source, ``n:``), ``waivers`` (JSON), ``facts`` (the derived facts, values in their native form, so a decision
made from the table is the decision made from the file) and ``problems`` (JSON; a dossier that could not be read
keeps its row, without facts, so a run over the table reports it as a run over the files would). The file's
key-value metadata holds the format, the vocabulary version, the as-of date, the row count and one content
hash over all of it.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from importlib.metadata import version
from pathlib import Path
from typing import Any

import orjson
import polars as pl

from engine.errors import InputError, Problem, ProblemCode
from engine.facts.derive import Facts, Note, derive
from engine.facts.families import FAMILIES, family_name, members
from engine.facts.vocabulary import _FIXED, encode, lookup
from engine.load.candidate import Candidate, Waiver
from engine.load.intake import LoadedCandidate
from engine.load.source import file_digest

FORMAT = "layak-facts/1"
BATCH = 2000  # dossiers per written part: memory stays flat whatever the population

FACT_COLUMNS: tuple[str, ...] = (
    *(spec.name for spec in _FIXED),
    *(family_name(family, member) for family in FAMILIES for member in members(family)),
)
ID_COLUMNS = ("nip", "name", "file", "dossier")
SCHEMA: dict[str, Any] = {
    **dict.fromkeys(ID_COLUMNS, pl.String),
    **dict.fromkeys(FACT_COLUMNS, pl.Int64),
    **dict.fromkeys(("extra", "unknown", "waivers", "facts", "problems"), pl.String),
}


def vocabulary_version() -> str:
    """layak's version and a digest of the vocabulary's columns and specs: a table built by another is refused."""
    specs = [lookup(name).model_dump(mode="json") for name in FACT_COLUMNS]  # type: ignore[union-attr]
    digest = hashlib.sha256(orjson.dumps(specs)).hexdigest()[:12]
    return f"{version('layak')}+{digest}"


class _Hash:
    """The table's content hash: format, vocabulary version, as-of date, then each row's file and dossier hash."""

    def __init__(self, as_of: dt.date, vocabulary: str) -> None:
        self.sha = hashlib.sha256(f"{FORMAT}\n{vocabulary}\n{as_of.isoformat()}\n".encode())

    def add(self, file: str, dossier: str) -> None:
        self.sha.update(f"{file}\t{dossier}\n".encode())

    def hexdigest(self) -> str:
        return self.sha.hexdigest()


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(type(value))


def facts_json(facts: Facts) -> str:
    return orjson.dumps(
        {
            "values": facts.values,
            "missing": {k: n.model_dump() for k, n in facts.missing.items()},
            "invalid": {k: n.model_dump() for k, n in facts.invalid.items()},
            "anchors": {k: d.isoformat() for k, d in facts.anchors.items()},
        },
        default=_plain,
    ).decode()


def facts_from_json(text: str, as_of: dt.date) -> Facts:
    """The Facts written by ``facts_json``: decimals come back as Decimal, the rest as written."""
    data = orjson.loads(text)
    values = {}
    for name, value in data["values"].items():
        spec = lookup(name)
        values[name] = Decimal(value) if spec is not None and spec.kind == "decimal" else value
    return Facts(
        as_of=as_of,
        values=values,
        missing={k: Note(**n) for k, n in data["missing"].items()},
        invalid={k: Note(**n) for k, n in data["invalid"].items()},
        anchors={k: dt.date.fromisoformat(d) for k, d in data["anchors"].items()},
    )


@functools.cache
def _blank() -> Candidate:
    return Candidate.model_construct(nip="", name="", waivers=[])  # type: ignore[call-arg]


def candidate_of(nip: str, name: str, waivers: str) -> Candidate:
    """What a decision needs of the dossier besides its facts: NIP, name and waivers (validated when written)."""
    found = [Waiver.model_validate(w) for w in orjson.loads(waivers)] if waivers else []
    # model_construct inspects every default factory on each call; copying one blank candidate does not
    return _blank().model_copy(update={"nip": nip, "name": name, "waivers": found})


def row_of(loaded: LoadedCandidate, dossier: str, as_of: dt.date) -> dict[str, Any]:
    facts = derive(loaded.candidate, as_of)
    values = facts.values
    row: dict[str, Any] = {"nip": loaded.candidate.nip, "name": loaded.candidate.name, "file": loaded.file}
    row["dossier"] = dossier
    extra: dict[str, int] = {}
    for name, value in values.items():
        spec = lookup(name)
        if spec is not None:
            (row if name in SCHEMA else extra)[name] = encode(spec, value)
    unknown = [f"i:{k}" for k in facts.invalid]
    unknown += [f"n:{k}" for k, n in facts.missing.items() if n.code == "not_recorded"]
    row["extra"] = orjson.dumps(extra, option=orjson.OPT_SORT_KEYS).decode() if extra else ""
    row["unknown"] = ",".join(sorted(unknown))
    waivers = loaded.candidate.waivers
    row["waivers"] = orjson.dumps([w.model_dump(mode="json") for w in waivers]).decode() if waivers else ""
    row["facts"] = facts_json(facts)
    row["problems"] = ""
    return row


def problem_row(file: str, dossier: str, problems: list[Problem]) -> dict[str, Any]:
    dumped = orjson.dumps([p.model_dump(mode="json", exclude_defaults=True) for p in problems]).decode()
    return {"nip": "", "name": "", "file": file, "dossier": dossier, "unknown": "", "problems": dumped}


def problems_of(text: str) -> list[Problem]:
    return [Problem.model_validate(p) for p in orjson.loads(text)] if text else []


@dataclass
class Built:
    rows: int
    content_hash: str
    problems: list[Problem]


def build(
    files: Iterator[str],
    as_of: dt.date,
    out: Path,
    read: Callable[[Path], LoadedCandidate | list[Problem]],
    on_batch: Callable[[int], None] | None = None,
) -> Built:
    """Derive the facts of every dossier in ``files`` and write the table to ``out``, batch by batch."""
    return build_from(((name, read(Path(name)), file_digest(name)) for name in files), as_of, out, on_batch)


def build_from(
    dossiers: Iterable[tuple[str, LoadedCandidate | list[Problem], str]],
    as_of: dt.date,
    out: Path,
    on_batch: Callable[[int], None] | None = None,
) -> Built:
    """The table of dossiers given as (file, the loaded candidate or its problems, SHA-256 of its bytes)."""
    vocabulary = vocabulary_version()
    content = _Hash(as_of, vocabulary)
    problems: list[Problem] = []
    seen: dict[str, str] = {}
    rows = 0
    with tempfile.TemporaryDirectory(prefix="layak-facts-", dir=out.parent if out.parent.exists() else None) as tmp:
        parts: list[str] = []
        batch: list[dict[str, Any]] = []

        def flush() -> None:
            if batch:
                parts.append(f"{tmp}/part-{len(parts):06d}.parquet")
                pl.DataFrame(batch, schema=SCHEMA).write_parquet(parts[-1])
                if on_batch is not None:
                    on_batch(len(batch))
                batch.clear()

        for name, loaded, dossier in dossiers:
            content.add(name, dossier)
            rows += 1
            if not isinstance(loaded, list) and loaded.candidate.nip in seen:
                nip = loaded.candidate.nip
                loaded = [
                    Problem(
                        code=ProblemCode.DUPLICATE_CANDIDATE,
                        file=name,
                        path="nip",
                        message=f"NIP {nip} is also in {seen[nip]}",
                        hint="one record per civil servant",
                    )
                ]
            if isinstance(loaded, list):
                problems.extend(loaded)
                batch.append(problem_row(name, dossier, loaded))
            else:
                seen[loaded.candidate.nip] = name
                batch.append(row_of(loaded, dossier, as_of))
            if len(batch) >= BATCH:
                flush()
        flush()
        meta = {
            "layak.format": FORMAT,
            "layak.vocabulary": vocabulary,
            "layak.as_of": as_of.isoformat(),
            "layak.rows": str(rows),
            "layak.content_hash": content.hexdigest(),
        }
        source = pl.scan_parquet(parts) if parts else pl.LazyFrame(schema=SCHEMA)
        source.sink_parquet(out, metadata=meta)
    return Built(rows=rows, content_hash=meta["layak.content_hash"], problems=problems)


def _stale(path: Path, what: str, hint: str) -> InputError:
    return InputError([Problem(code=ProblemCode.STALE_FACTS, file=str(path), message=what, hint=hint)])


@dataclass
class FactTable:
    """An opened facts table whose metadata, hash and as-of date have been checked."""

    path: Path
    as_of: dt.date
    rows: int
    content_hash: str

    def scan(self) -> pl.LazyFrame:
        return pl.scan_parquet(self.path)


def open_table(path: Path, as_of: dt.date | None = None, verify: bool = True) -> FactTable:
    """Open ``path``, refusing a table that is not one, was built by another vocabulary, for another date, or
    whose rows no longer match its content hash."""
    try:
        meta = pl.read_parquet_metadata(path)
    except (OSError, pl.exceptions.PolarsError) as error:
        raise InputError(
            [
                Problem(
                    code=ProblemCode.NOT_FOUND if not path.exists() else ProblemCode.STALE_FACTS,
                    file=str(path),
                    message=f"cannot read the facts table: {error}".splitlines()[0],
                    hint="build it with: layak facts DIR --as-of DATE --out FILE",
                )
            ]
        ) from None
    rebuild = f"rebuild it: layak facts DIR --as-of {as_of or meta.get('layak.as_of', 'DATE')} --out {path}"
    if meta.get("layak.format") != FORMAT:
        raise _stale(path, f"not a layak facts table (format {meta.get('layak.format')!r}, expected {FORMAT})", rebuild)
    if meta["layak.vocabulary"] != vocabulary_version():
        raise _stale(
            path,
            f"built by fact vocabulary {meta['layak.vocabulary']}, this layak has {vocabulary_version()}",
            rebuild,
        )
    built = dt.date.fromisoformat(meta["layak.as_of"])
    if as_of is not None and as_of != built:
        what = f"facts derived as of {built}, this run is as of {as_of}"
        raise _stale(path, what, f"use --as-of {built}, or {rebuild}")
    table = FactTable(path=path, as_of=built, rows=int(meta["layak.rows"]), content_hash=meta["layak.content_hash"])
    if verify:
        ids = pl.read_parquet(path, columns=["file", "dossier"])
        content = _Hash(built, meta["layak.vocabulary"])
        lines = ids.select(pl.concat_str("file", pl.lit("\t"), "dossier", pl.lit("\n")).str.join(""))
        content.sha.update(lines.item().encode())  # what ``add`` gives row by row, in one pass
        if ids.height != table.rows or content.hexdigest() != table.content_hash:
            raise _stale(path, "the rows do not match the table's content hash (the file was altered)", rebuild)
    return table


def check_dossiers(table: FactTable, dossiers: Iterable[tuple[str, str]]) -> None:
    """Refuse the table when the dossiers given (name and SHA-256 of their bytes, as ``build_from`` takes them)
    differ from those it was built from; name what differs."""
    recorded = dict(pl.read_parquet(table.path, columns=["file", "dossier"]).iter_rows())
    changed, added = [], []
    for name, digest in dossiers:
        if name not in recorded:
            added.append(name)
            continue
        if digest != recorded.pop(name):
            changed.append(name)
    removed = sorted(recorded)
    if changed or added or removed:
        parts = [
            f"{label} {len(v)} ({', '.join(v[:3])}{', ...' if len(v) > 3 else ''})"
            for label, v in (("changed", changed), ("new", added), ("gone", removed))
            if v
        ]
        raise _stale(
            table.path,
            "the dossiers differ from those the table was built from: " + "; ".join(parts),
            f"rebuild it: layak facts DIR --as-of {table.as_of} --out {table.path}",
        )
