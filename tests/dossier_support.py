"""Shared by the loader and derivation tests: the smallest dossier the candidate model accepts."""

from __future__ import annotations

from typing import Any

# A PNS appointed in 2005 with one rank and nothing else: every other history is optional.
PERSON: dict[str, Any] = {
    "nip": "198001012005011001",
    "name": "Sri Wahyuni",
    "birth_date": "1980-01-01",
    "instansi_id": "kab-sleman",
    "employee_status": "PNS",
    "tmt_cpns": "2005-01-01",
    "pangkat": [{"golongan": "III/a", "tmt": "2005-01-01"}],
}
