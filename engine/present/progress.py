"""Progress of long runs, drawn on stderr only when stderr is a terminal (rich), silent otherwise."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Protocol, TextIO, TypeVar

if TYPE_CHECKING:  # rich is imported only when a bar is drawn: most runs (stderr not a terminal) never need it
    from rich.progress import Progress, TaskID

# What each long run is doing, per language; a label that is not a key here is shown as given.
LABELS: dict[str, tuple[str, str]] = {
    "check": ("checking candidates", "memeriksa kandidat"),
    "diff": ("comparing rule sets", "membandingkan aturan"),
    "sweep": ("sweeping thresholds", "menelusuri ambang"),
    "facts": ("deriving facts", "menurunkan fakta"),
    "test": ("running case tests", "menjalankan uji kasus"),
    "replay": ("replaying decisions", "memutar ulang keputusan"),
    "verify": ("verifying the decision log", "memverifikasi log keputusan"),
    "export": ("exporting the decision log", "mengekspor log keputusan"),
}


class Bar(Protocol):
    """What a caller of `progress` holds: it reports work done."""

    def advance(self, n: int = 1) -> None: ...


class _Silent:
    def advance(self, n: int = 1) -> None:
        return None


class _Drawn:
    # rich takes a lock per update; a verify of a million records advances a million times, so counts are
    # handed on at most every FLUSH_S seconds (and at the end).
    FLUSH_S = 0.05

    def __init__(self, bar: Progress, task: TaskID) -> None:
        self._bar = bar
        self._task = task
        self._pending = 0
        self._last = time.monotonic()

    def advance(self, n: int = 1) -> None:
        self._pending += n
        now = time.monotonic()
        if now - self._last >= self.FLUSH_S:
            self.flush()
            self._last = now

    def flush(self) -> None:
        if self._pending:
            self._bar.advance(self._task, self._pending)
            self._pending = 0


Item = TypeVar("Item")


def counted(items: Iterable[Item], bar: Bar) -> Iterator[Item]:
    """``items`` as they are, advancing ``bar`` by one for each."""
    for item in items:
        yield item
        bar.advance()


def label_text(label: str, lang: str = "en") -> str:
    words = LABELS.get(label)
    if words is None:
        return label
    return words[1] if lang == "id" else words[0]


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError, OSError):
        return False


def should_draw(stream: TextIO, *, live_output: bool = False, stdout: TextIO | None = None) -> bool:
    """Draw only on a terminal; with data streaming to a terminal stdout a bar would interleave with it, so not then.

    TERM=dumb and LAYAK_NO_PROGRESS (any non-empty value) turn it off for terminals that cannot redraw a line.
    """
    if os.environ.get("LAYAK_NO_PROGRESS") or os.environ.get("TERM") == "dumb":
        return False
    if not _is_terminal(stream):
        return False
    return not (live_output and _is_terminal(stdout if stdout is not None else sys.stdout))


@contextmanager
def progress(
    total: int | None,
    label: str,
    *,
    lang: str = "en",
    live_output: bool = False,
    stream: TextIO | None = None,
) -> Iterator[Bar]:
    """Show `label` and work done out of `total` (None: count only) on `stream` (default stderr) while the block runs.

    `live_output` says the caller writes data to stdout during the block (jsonl streaming); the bar then stays
    off when stdout is a terminal. The bar is transient: it is erased when the block ends, so what remains on the
    terminal is the command's own output and messages.
    """
    out = stream if stream is not None else sys.stderr
    if not should_draw(out, live_output=live_output):
        yield _Silent()
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        SpinnerColumn,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    console = Console(file=out, force_terminal=True, stderr=out is sys.stderr, highlight=False)
    columns = [
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    ]
    if total is not None:
        columns.append(TimeRemainingColumn())
    bar = Progress(
        *columns,
        console=console,
        transient=True,
        redirect_stdout=False,
        redirect_stderr=False,
        refresh_per_second=8,
    )
    with bar:
        drawn = _Drawn(bar, bar.add_task(label_text(label, lang), total=total))
        try:
            yield drawn
        finally:
            drawn.flush()
