"""`layak diff`: whom a rule change affects; exits 1 when some verdicts change."""

from __future__ import annotations

import datetime as dt
import itertools
import secrets
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import click

from engine.commands.common import exit_for, no_candidates, report_problems
from engine.decide.pipeline import Backend
from engine.errors import ExitCode, Problem, ProblemCode
from engine.load.intake import LoadedCandidate
from engine.load.library import Library, load_library
from engine.present.i18n import label
from engine.present.render import WIDTH, Report, Table, emit, render, to_json
from engine.present.spill import Spool, emit_spooled
from engine.present.tools_view import diff_json, diff_report, diff_rows, diff_summary_line, diff_summary_rows
from engine.tools.diff import DiffReport, Flip, Flips, common_positions, diff_batches, no_positions

if TYPE_CHECKING:
    from engine.report.dossier import Population

Batch = list[LoadedCandidate]


def run(
    base: Path,
    proposed: Path,
    candidate_paths: tuple[Path, ...],
    position_ids: tuple[str, ...],
    ruleset_id: str | None,
    as_of: dt.date | None,
    fmt: str,
    lang: str,
    backend: str,
    report_file: Path | None = None,
    report_format: str | None = None,
    facts: Path | None = None,
    cross_check: float = 1.0,
    seed: int | None = None,
) -> ExitCode:
    if not candidate_paths and facts is None:
        raise click.UsageError("give the candidates (--candidates PATH) or a facts table (--facts FILE)")
    if facts is not None and report_file is not None:
        raise click.UsageError("--report needs the candidate files (--candidates), not a facts table")
    old, new = load_library(base), load_library(proposed)
    population: Population | None = None
    if facts is not None:
        report = _from_table(old, new, facts, candidate_paths, position_ids, ruleset_id, as_of, cross_check, seed, lang)
    else:
        report, population = _from_files(
            old, new, candidate_paths, position_ids, ruleset_id, as_of or dt.date.today(), backend, report_file, lang
        )
    _emit(report, fmt, lang, str(base), str(proposed))
    click.echo(diff_summary_line(report, lang), err=True)
    if report_file is not None:
        from engine.report import dossier
        from engine.report import run as report_run

        kind = report_format or ("json" if report_file.suffix.lower() == ".json" else "html")
        assert population is not None
        try:
            built = dossier.build(base, proposed, old, new, report, population, ruleset_id, lang)
        finally:
            population.close()
        data = dossier.to_bytes(built, kind)
        report_run.write(report_file, data)
        click.echo(f"dossier {report_file}: sha256 {dossier.sha256(data)}", err=True)
    if isinstance(report.flips, Flips):
        report.flips.close()
    report_problems(report.problems, lang)
    return exit_for(report.problems, findings=report.changed)


def _emit(report: DiffReport, fmt: str, lang: str, base: str, proposed: str) -> None:
    """What ``emit(diff_report(...))`` writes, the flips streamed (one JSON item, or a flip's rows through a
    ``Spool``, on disk past a limit, at a time): the output of many flips is never held whole."""
    if not report.flips:
        emit(diff_report(report, lang, base, proposed), fmt, lang)
        return

    def one(flip: Flip) -> DiffReport:
        return DiffReport(as_of=report.as_of, summaries=[], flips=[flip])

    shell = DiffReport(as_of=report.as_of, summaries=report.summaries, flips=[], problems=report.problems)
    if fmt == "json":
        data = {**diff_json(shell, lang, base, proposed), "changed": True}
        # the keys are sorted: the document's own "flips" comes before the summaries' (its first occurrence)
        head, _found, tail = to_json(data).partition('"flips": []')
        click.echo(head + '"flips": [', nl=False)
        for number, flip in enumerate(report.flips):
            # an item of the list is indented four spaces deeper than alone; JSON strings hold no raw newline
            text = to_json(diff_json(one(flip), lang, base, proposed)["flips"][0]).replace("\n", "\n    ")
            click.echo(("\n    " if number == 0 else ",\n    ") + text, nl=False)
        click.echo("\n  ]" + tail)
        return
    title = label("flips", lang)
    if fmt != "csv":
        click.echo(f"**{title}**\n\n" if fmt == "markdown" else textwrap.fill(f"{title}:", WIDTH) + "\n", nl=False)
    with Spool() as spool:
        for flip in report.flips:
            for row in diff_rows(one(flip), lang):
                spool.add(row)
        emit_spooled(spool, fmt, lang)
    summary = Table(diff_summary_rows(report, lang), title=label("diff_summary", lang))
    click.echo("\n" + render(Report(data={}, tables=[summary]), fmt, lang))


def _positions(
    old: Library, new: Library, position_ids: tuple[str, ...], as_of: dt.date, ruleset_id: str | None, lang: str
) -> list[str]:
    positions = list(position_ids)
    if not positions:
        positions, one_sided = common_positions(old, new, as_of, ruleset_id)
        if one_sided:
            click.echo(f"{label('not_compared', lang)}: {', '.join(one_sided)}", err=True)
    return positions


def _from_files(
    old: Library,
    new: Library,
    paths: tuple[Path, ...],
    position_ids: tuple[str, ...],
    ruleset_id: str | None,
    as_of: dt.date,
    backend: str,
    report_file: Path | None,
    lang: str,
) -> tuple[DiffReport, Population | None]:
    engine: Backend = "reference" if backend == "reference" else "durable"
    positions = _positions(old, new, position_ids, as_of, ruleset_id, lang)
    if report_file is not None or any(str(p) == "-" for p in paths):
        # stdin, or the change dossier (which hashes the whole population): read as `check` reads them, one
        # batch at a time; the dossier keeps each candidate's digest on disk, not the candidate
        from engine.commands.candidates import stream_candidates
        from engine.decide.stream import BATCH
        from engine.report.dossier import Population

        problems: list[Problem] = []
        population = Population() if report_file is not None else None
        batches = _digested(stream_candidates(list(paths), problems), BATCH, population)
        first = next(batches, None)  # with none at all, every input has been read: its problems are known
        if first is None and not problems:
            raise no_candidates()
        batches = itertools.chain([first] if first else [], batches)
        report = diff_batches(old, new, positions, batches, as_of, ruleset_id, backend=engine)
        report.problems[:0] = problems
        return report, population
    bad: list[Problem] = []
    seen: list[int] = [0]
    from engine.present.progress import progress

    with progress(None, "diff", lang=lang) as bar:
        batches = _batches(paths, bad, seen, bar.advance)
        found = diff_batches(old, new, positions, batches, as_of, ruleset_id, backend=engine)
    if not seen[0] and not bad:
        raise no_candidates()
    found.problems[:0] = bad
    return found, None


def _digested(candidates: Iterator[LoadedCandidate], size: int, population: Population | None) -> Iterator[Batch]:
    """Candidates in batches of ``size``, each one's digest added to ``population`` (when a dossier is made)."""
    while batch := list(itertools.islice(candidates, size)):
        if population is not None:
            population.add(batch)
        yield batch


def _batches(
    paths: tuple[Path, ...], problems: list[Problem], seen: list[int], advance: Callable[[int], None]
) -> Iterator[list[LoadedCandidate]]:
    """Valid candidates in batches, read as they are needed (files and bundles alike, as `check` reads them); a
    NIP seen before is a problem, not a candidate.

    The NIPs go to ``SeenNips`` (on disk), not a dict: a million of them held with their files would cost ~200 MB.
    A repeat's problem names the first candidate with that NIP, found again by ordinal once every batch is in
    (``candidate_names``), and takes its place among the problems as it was met."""
    from engine.commands.candidates import duplicate_problem
    from engine.decide.inputs import candidate_batches, candidate_names, loaded
    from engine.decide.nips import SeenNips
    from engine.decide.stream import BATCH

    for path in paths:
        if not path.exists():
            problems.append(Problem(code=ProblemCode.NOT_FOUND, file=str(path), message="no such file or directory"))
    present = [p for p in paths if p.exists()]
    repeats: list[tuple[int, str, str, int]] = []  # (index among the problems, file, NIP, ordinal of the first)
    batch: list[LoadedCandidate] = []
    ordinal = 0  # of each candidate under ``present``, valid or not, as ``candidate_names`` numbers them
    with SeenNips() as nips:
        for items in candidate_batches(present, BATCH):
            found = [(number, item) for number, item in enumerate(loaded(items), ordinal)]
            ordinal += len(found)
            valid = [(number, item) for number, item in found if not isinstance(item, list)]
            first = nips.first([item.candidate.nip for _n, item in valid], [number for number, _item in valid])
            earlier = dict(zip((number for number, _item in valid), first or [], strict=False))
            for number, item in found:
                if isinstance(item, list):
                    problems.extend(item)
                    continue
                if (first_at := earlier.get(number)) is not None:
                    repeats.append((len(problems), item.file, item.candidate.nip, first_at))
                    problems.append(duplicate_problem(item.file, item.candidate.nip, "?"))
                    continue
                seen[0] += 1
                batch.append(item)
                if len(batch) >= BATCH:
                    yield batch
                    advance(len(batch))
                    batch = []
    if batch:
        yield batch
        advance(len(batch))
    if repeats:
        wanted = {first_at for *_rest, first_at in repeats}
        names = {number: name for number, name in enumerate(candidate_names(present)) if number in wanted}
        for index, file, nip, first_at in repeats:
            problems[index] = duplicate_problem(file, nip, names.get(first_at, "?"))


def _from_table(
    old: Library,
    new: Library,
    facts: Path,
    candidate_paths: tuple[Path, ...],
    position_ids: tuple[str, ...],
    ruleset_id: str | None,
    as_of: dt.date | None,
    cross_check: float,
    seed: int | None,
    lang: str,
) -> DiffReport:
    from engine.decide.inputs import digests
    from engine.facts.table import check_dossiers, open_table
    from engine.present.table_view import cross_check_line
    from engine.tools.diff import ruleset_for
    from engine.tools.sweep import CrossChecked, diff_table

    table = open_table(facts, as_of)
    if candidate_paths:
        check_dossiers(table, digests(list(candidate_paths)))
    positions = _positions(old, new, position_ids, table.as_of, ruleset_id, lang)
    if not positions:
        raise no_positions()
    base = [ruleset_for(old, "BASE", p, ruleset_id, table.as_of) for p in positions]
    proposed = [ruleset_for(new, "PROPOSED", p, ruleset_id, table.as_of) for p in positions]
    check = CrossChecked(seed=secrets.randbelow(2**31) if seed is None else seed, percent=cross_check)
    from engine.present.progress import progress

    with progress(2 * len(positions), "diff", lang=lang) as bar:
        report = diff_table(base, proposed, positions, table, check, bar.advance)
    click.echo(cross_check_line(check, lang), err=True)
    return report
