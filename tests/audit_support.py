"""Shared by the audit tests: a few valid dossiers to record, and the raw rows of a store."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from hypothesis import strategies as st
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from engine.audit.location import to_url
from engine.load.intake import load_candidates

ROOT = Path(__file__).parent.parent
FIXTURES = ROOT / "fixtures" / "candidates"
AS_OF = "2026-12-01"


def batch(folder: Path, n: int = 4) -> Path:
    """The first n valid fixture files, copied (fixtures change; the tests only need some valid dossiers)."""
    folder.mkdir(exist_ok=True)
    loaded, _problems = load_candidates([FIXTURES])
    for item in sorted(loaded, key=lambda c: c.file)[:n]:
        shutil.copy(item.file, folder / Path(item.file).name)
    return folder


def rows(url: str, query: str = "SELECT * FROM audit_decisions ORDER BY seq") -> list[dict[str, Any]]:
    engine = create_engine(to_url(url), poolclass=NullPool)
    with engine.connect() as conn:
        found = [dict(r) for r in conn.execute(text(query)).mappings()]
    engine.dispose()
    return found


def recorded_log(store_url: str, folder: Path, n: int = 4) -> str:
    """A store holding the check of ``n`` fixture dossiers for administrator and for pengawas."""
    from cli_runner import run

    batch(folder, n)
    for position in ("administrator", "pengawas"):
        code, _o, err = run("check", str(folder), "--position", position, "--as-of", AS_OF, "--db", store_url)
        assert code == 0, err
    return store_url


# JSON values a record may hold: integers within the range RFC 8785 writes exactly, finite floats, short texts.
json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**53) + 1, max_value=2**53 - 1)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4),
    max_leaves=25,
)
