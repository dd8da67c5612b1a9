"""The NIPs a streamed run has decided, with the ordinal of each one's first candidate, kept on disk.

A run refuses a later candidate whose NIP was decided before. Held in a dict, a million NIPs cost the parent
about 100 MB, so a national run would not stay flat; an SQLite table in a temporary file (a few MB of page
cache) answers a batch of 500 in one insert instead.
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
from collections.abc import Iterator, MutableMapping, Sequence

_CHUNK = 500  # NIPs per query: far under SQLite's limit on bound parameters


def _scratch(schema: str) -> tuple[tempfile.TemporaryDirectory[str], sqlite3.Connection]:
    """A database in a new temporary folder, neither journalled nor synced (nothing in it outlives the run)."""
    folder = tempfile.TemporaryDirectory(prefix="layak-nips-")
    db = sqlite3.connect(os.path.join(folder.name, "nips.db"), isolation_level=None)
    db.executescript("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA cache_size=-4096;" + schema)
    return folder, db


class SeenNips:
    """NIP → ordinal of the first candidate that had it."""

    def __init__(self) -> None:
        self._folder, self._db = _scratch(
            "CREATE TABLE seen (nip TEXT PRIMARY KEY, ordinal INTEGER NOT NULL) WITHOUT ROWID;"
        )

    def first(self, nips: Sequence[str], ordinals: Sequence[int]) -> list[int | None] | None:
        """For each NIP with its candidate's ordinal, in order: None when the NIP is new (it is kept with that
        ordinal), else the ordinal it was first seen at (also within ``nips``). None for all of them new, the
        usual case, told by one insert that keeps the first of each NIP: no query is needed then."""
        before = self._db.total_changes
        if not self._db.in_transaction:  # one transaction for the run: a commit a batch wrote every page it touched
            self._db.execute("BEGIN")
        self._db.executemany("INSERT OR IGNORE INTO seen VALUES (?, ?)", zip(nips, ordinals, strict=True))
        if self._db.total_changes - before == len(nips):
            return None
        unique = list(dict.fromkeys(nips))
        first: dict[str, int] = {}
        for start in range(0, len(unique), _CHUNK):
            chunk = unique[start : start + _CHUNK]
            marks = ",".join("?" * len(chunk))
            first.update(self._db.execute(f"SELECT nip, ordinal FROM seen WHERE nip IN ({marks})", chunk))
        return [None if first[nip] == ordinal else first[nip] for nip, ordinal in zip(nips, ordinals, strict=True)]

    def close(self) -> None:
        self._db.close()
        self._folder.cleanup()

    def __enter__(self) -> SeenNips:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


class NipFiles(MutableMapping[str, str]):
    """NIP → the file (or ``BUNDLE:LINE``) that first gave it, in a table in a temporary file: what a reader of
    candidates one at a time keeps to name the first file of a NIP given twice, without holding ~200 bytes a
    candidate in memory (the change dossier of a national diff reads a million)."""

    def __init__(self) -> None:
        self._folder, self._db = _scratch(
            "CREATE TABLE files (nip TEXT PRIMARY KEY, file TEXT NOT NULL) WITHOUT ROWID; BEGIN;"
        )

    def __getitem__(self, nip: str) -> str:
        found = self._db.execute("SELECT file FROM files WHERE nip = ?", (nip,)).fetchone()
        if found is None:
            raise KeyError(nip)
        file: str = found[0]
        return file

    def __setitem__(self, nip: str, file: str) -> None:
        self._db.execute("INSERT OR REPLACE INTO files VALUES (?, ?)", (nip, file))

    def __delitem__(self, nip: str) -> None:
        if self._db.execute("DELETE FROM files WHERE nip = ?", (nip,)).rowcount == 0:
            raise KeyError(nip)

    def __iter__(self) -> Iterator[str]:
        return (nip for (nip,) in self._db.execute("SELECT nip FROM files ORDER BY nip").fetchall())

    def __len__(self) -> int:
        count: int = self._db.execute("SELECT count(*) FROM files").fetchone()[0]
        return count

    def close(self) -> None:
        self._db.close()
        self._folder.cleanup()
