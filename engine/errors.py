"""The one error root: stable codes, a location (file, line, field path) and a hint.

    LayakError                      exit 3 unless stated
    ├── InputError                  one or more Problems found in input files, reported together
    └── EngineFault                 exit 4: the engine itself misbehaved (a bug, never bad input)
"""

from __future__ import annotations

from collections.abc import Iterable

from pydantic import BaseModel, ConfigDict


class Problem(BaseModel):
    """One thing wrong with one input file, located as precisely as we can."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    code: str
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

    code = "layak_error"
    exit_code = 3


class InputError(LayakError):
    """Problems in rule or candidate files; carries all of them, never just the first."""

    code = "invalid_input"

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class EngineFault(LayakError):
    """The rule engine broke an invariant; this is a bug in layak, not in the input."""

    code = "engine_fault"
    exit_code = 4


def path_text(loc: Iterable[object]) -> str:
    """Render a field path like ``positions[2].tmt_start``."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out
