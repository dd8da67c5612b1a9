"""The NIPs a streamed run has decided, with the ordinal of each one's first candidate, kept on disk.

A run refuses a later candidate whose NIP was decided before. Held in a dict, a million NIPs cost the parent
about 100 MB, so a national run would not stay flat; an SQLite table in a temporary file (a few MB of page
cache) answers a batch of 500 in one indexed query instead.
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
from collections.abc import Sequence

_CHUNK = 500  # NIPs per query: far under SQLite's limit on bound parameters


class SeenNips:
    """NIP → ordinal of the first candidate that had it."""

    def __init__(self) -> None:
        self._folder = tempfile.TemporaryDirectory(prefix="layak-nips-")
        self._db = sqlite3.connect(os.path.join(self._folder.name, "nips.db"), isolation_level=None)
        self._db.executescript(
            "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA cache_size=-4096;"
            "CREATE TABLE seen (nip TEXT PRIMARY KEY, ordinal INTEGER NOT NULL) WITHOUT ROWID;"
        )

    def first(self, items: Sequence[tuple[str, int]]) -> list[int | None]:
        """For each (NIP, ordinal) in order: None when the NIP is new (it is kept with that ordinal), else the
        ordinal it was first seen at (also within ``items``)."""
        unique = list(dict.fromkeys(nip for nip, _ordinal in items))
        earlier: dict[str, int] = {}
        for start in range(0, len(unique), _CHUNK):
            chunk = unique[start : start + _CHUNK]
            marks = ",".join("?" * len(chunk))
            earlier.update(self._db.execute(f"SELECT nip, ordinal FROM seen WHERE nip IN ({marks})", chunk))
        out: list[int | None] = []
        new: list[tuple[str, int]] = []
        for nip, ordinal in items:
            found = earlier.get(nip)
            out.append(found)
            if found is None:
                earlier[nip] = ordinal
                new.append((nip, ordinal))
        self._db.execute("BEGIN")
        self._db.executemany("INSERT INTO seen VALUES (?, ?)", new)
        self._db.execute("COMMIT")
        return out

    def close(self) -> None:
        self._db.close()
        self._folder.cleanup()

    def __enter__(self) -> SeenNips:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()
