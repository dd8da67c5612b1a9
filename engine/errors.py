"""The one error root: exit codes, the problem-code enum, and located problems with a hint.

LayakError                      exit 3 unless stated
├── InputError                  one or more Problems found in input files, reported together
└── EngineFault                 exit 4: the engine itself misbehaved (a bug, never bad input)
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import IntEnum, StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict

Severity = Literal["error", "warning"]


class ExitCode(IntEnum):
    """What every `layak` command exits with; the README's exit-code table lists exactly these."""

    OK = 0
    FINDINGS = 1
    USAGE = 2
    INVALID_INPUT = 3
    INTERNAL = 4
    CLOSED_PIPE = 141

    @property
    def meaning(self) -> str:
        return _EXIT_MEANINGS[self]


_EXIT_MEANINGS = {
    ExitCode.OK: "an answer was produced, whatever the verdicts",
    ExitCode.FINDINGS: "findings: replay differences, audit damage, verdict changes in diff, failed test cases or "
    "short coverage, lint warnings with --strict",
    ExitCode.USAGE: "usage error: unknown option, bad date, missing argument",
    ExitCode.INVALID_INPUT: "invalid input: a rule, candidate or case file has problems, no input was found, or "
    "the audit store or an export cannot be read",
    ExitCode.INTERNAL: "internal error in layak (run with --debug for the traceback)",
    ExitCode.CLOSED_PIPE: "the reader of stdout went away (e.g. piped into `head`); the output stops quietly, "
    "as for any program ended by SIGPIPE",
}


class ProblemCode(StrEnum):
    """Every code a Problem may carry, with its severity, exit code and meaning (listed in the README)."""

    severity: Severity
    exit_code: ExitCode
    meaning: str

    def __new__(
        cls, value: str, meaning: str, severity: Severity = "error", exit_code: ExitCode = ExitCode.INVALID_INPUT
    ) -> ProblemCode:
        member = str.__new__(cls, value)
        member._value_ = value
        member.severity = severity
        member.exit_code = exit_code
        member.meaning = meaning
        return member

    # reading files
    NOT_FOUND = "not_found", "a named file or directory does not exist"
    UNREADABLE = "unreadable", "a file cannot be read (permissions, I/O)"
    NOT_TEXT = "not_text", "a file is not UTF-8 text"
    SYNTAX_ERROR = "syntax_error", "a file is not valid YAML or JSON"
    DUPLICATE_KEY = "duplicate_key", "a mapping names the same key twice"
    FILE_TOO_LARGE = "file_too_large", "a file is over the size limit (LAYAK_MAX_FILE_BYTES, default 1 MiB)"
    TOO_DEEP = "too_deep", "values are nested more than 48 levels deep"
    TOO_LARGE = "too_large", "a file holds more than 200,000 values (aliases counted expanded)"
    UNSUPPORTED_TAG = "unsupported_tag", "a YAML tag (!!python/..., !!binary, a merge key) that data files may not use"
    NUMBER_OUT_OF_RANGE = "number_out_of_range", "an integer outside the 64-bit range"
    INVALID_VALUE = "invalid_value", "a value does not fit the tag written on it (!!int abc)"
    # candidate files
    CANDIDATE_INVALID = "candidate_invalid", "a candidate file breaks the candidate schema (field path given)"
    DUPLICATE_CANDIDATE = "duplicate_candidate", "two candidate files hold the same NIP"
    BAD_WAIVER = "bad_waiver", "a waiver names an unknown requirement or an authority that may not waive it"
    NO_CANDIDATES = "no_candidates", "no candidate files were found in the paths given"
    # facts tables
    STALE_FACTS = (
        "stale_facts",
        "a facts table is unreadable, for another as-of date or vocabulary, altered, or its dossiers changed",
    )
    # rule files
    RULE_INVALID = "rule_invalid", "a rule file breaks the rule-file schema (field path given)"
    DUPLICATE_ID = "duplicate_id", "two requirements of one position class share an id"
    MISSING_BASIS = "missing_basis", "a requirement has no legal basis"
    UNKNOWN_FACT = "unknown_fact", "a requirement or competency standard names a fact not in the vocabulary"
    BAD_THRESHOLD = "bad_threshold", "a threshold has the wrong type or lies outside the fact's range"
    BAD_OPTION = "bad_option", "an option is used where it does not apply (e.g. acting on a non-post fact)"
    BAD_DATES = "bad_dates", "a ruleset's effective_to is before its effective_from"
    VERSION_OVERLAP = "version_overlap", "two versions of one ruleset are in force on the same day"
    VERSION_GAP = "version_gap", "days between two versions of one ruleset have no version in force"
    EXTENDS_CYCLE = "extends_cycle", "a ruleset extends itself through its overlays"
    NO_RULES = "no_rules", "the rules directory is missing or holds no rule files"
    CONTRADICTION = "contradiction", "a minimum above a maximum on the same fact: the requirement cannot pass"
    NEVER_PASSES = "never_passes", "a requirement no value of its fact can pass", "warning", ExitCode.FINDINGS
    NEVER_FAILS = "never_fails", "a requirement every value of its fact passes", "warning", ExitCode.FINDINGS
    LADDER = "ladder", "a higher position class asks less than the class below it", "warning", ExitCode.FINDINGS
    DISCIPLINE = (
        "discipline",
        "a promotion class checks fewer than the discipline conditions and does not say why (`discipline_omitted`)",
        "warning",
        ExitCode.FINDINGS,
    )
    VERSION_NOT_BUMPED = "version_not_bumped", "a rule file changed but its version is locked with another hash"
    LOCK_INVALID = "lock_invalid", "the rules lock file (layak.lock) cannot be read"
    NOT_LOCKED = (
        "not_locked",
        "a rule file or version is missing from the rules lock file",
        "warning",
        ExitCode.FINDINGS,
    )
    # choosing rules
    UNKNOWN_RULESET = "unknown_ruleset", "no ruleset has the id given (or an overlay extends an unknown one)"
    NOT_IN_FORCE = "not_in_force", "no version of the ruleset is in force on the as-of date"
    RULESET_AMBIGUOUS = "ruleset_ambiguous", "several rulesets fit; choose one with --ruleset"
    UNKNOWN_POSITION = "unknown_position", "no position class has the id given"
    UNKNOWN_REQUIREMENT = "unknown_requirement", "a position class removes a requirement it does not have"
    NO_POSITIONS = "no_positions", "the two rule directories of a diff share no position class"
    # case files
    CASE_INVALID = "case_invalid", "a case file breaks the case-file schema (field path given)"
    NO_CASES = "no_cases", "no test cases were found (a typo in a CI gate must not pass)"
    # the audit store
    AUDIT_UNREADABLE = "audit_unreadable", "the audit store cannot be opened, read or written"
    EXPORT_UNREADABLE = "export_unreadable", "an audit export file cannot be read"
    UNKNOWN_DECISION = "unknown_decision", "no recorded decision has that id, prefix or sequence number"
    AMBIGUOUS_DECISION = "ambiguous_decision", "a decision id prefix names several decisions; give more of it"
    RECORD_UNREADABLE = "record_unreadable", "a recorded decision does not read as a decision record"
    RECORD_TOO_NEW = "record_too_new", "a record has a schema version this layak does not know (upgrade layak)"
    RULESET_UNAVAILABLE = "ruleset_unavailable", "a record's ruleset is not stored, or its stored body is unreadable"
    RECORD_MISMATCH = "record_mismatch", "a record's requirements do not match its stored ruleset"
    BAD_HEAD = "bad_head", "--expect-head is not SEQ:HASH as printed by `layak audit head`"
    # reports
    NOTHING_SELECTED = "nothing_selected", "no recorded decisions match the report's selection"
    SEVERAL_RUNS = "several_runs", "the selected board was decided in several runs; a report covers one"
    MIXED_SELECTION = "mixed_selection", "the selected decisions are for several positions or dates"
    CANNOT_WRITE = "cannot_write", "an output file cannot be written"
    # the engine itself
    INVALID_INPUT = "invalid_input", "problems in input files (the individual codes are listed with it)"
    ENGINE_FAULT = "engine_fault", "the rule engine broke an invariant: a bug in layak", "error", ExitCode.INTERNAL
    CROSS_CHECK_MISMATCH = (
        "cross_check_mismatch",
        "the columnar backend and durable-rules decided a sampled candidate differently: a bug in layak",
        "error",
        ExitCode.INTERNAL,
    )
    WORKER_LOST = (
        "worker_lost",
        "a worker process died (a signal, the out-of-memory killer) while deciding a batch; what was written and "
        "recorded before it stands, nothing after it",
        "error",
        ExitCode.INTERNAL,
    )


class Problem(BaseModel):
    """One thing wrong with one input file, located as precisely as we can."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    code: ProblemCode
    message: str
    file: str = ""
    line: int | None = None
    path: str = ""
    hint: str = ""

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where = f"{where}:{self.line}" if where else f"line {self.line}"
        if self.path:
            where = f"{where}: {self.path}" if where else self.path
        text = f"{where}: {self.code}: {self.message}" if where else f"{self.code}: {self.message}"
        return f"{text} ({self.hint})" if self.hint else text


class LayakError(Exception):
    """Base of every error layak reports to a person."""

    code: ProblemCode = ProblemCode.INVALID_INPUT

    @property
    def exit_code(self) -> ExitCode:
        return self.code.exit_code


class InputError(LayakError):
    """Problems in rule or candidate files; carries all of them, never just the first."""

    code = ProblemCode.INVALID_INPUT

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class EngineFault(LayakError):
    """The rule engine broke an invariant; this is a bug in layak, not in the input."""

    code = ProblemCode.ENGINE_FAULT


class CrossCheckMismatch(EngineFault):
    """A candidate of the cross-check sample was decided differently by the columnar backend and durable-rules."""

    code = ProblemCode.CROSS_CHECK_MISMATCH


def path_text(loc: Iterable[object]) -> str:
    """Render a field path like ``positions[2].tmt_start``."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out
