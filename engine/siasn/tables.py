"""The SIASN code tables (data files beside this module, each with its source), loaded once."""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

from ruamel.yaml import YAML

NAMES = (
    "golongan",
    "jenis_jabatan",
    "eselon",
    "tingkat_pendidikan",
    "jenis_kp",
    "jenis_hukuman",
    "predikat",
    "skp_scheme",
    "training",
    "jenjang_jf",
    "kedudukan",
    "status_pegawai",
    "penugasan",
)


@cache
def table(name: str) -> dict[str, Any]:
    """One table file as plain data (``source`` says where its rows come from)."""
    text = resources.files("engine.siasn").joinpath("tables", f"{name}.yaml").read_text(encoding="utf-8")
    data: dict[str, Any] = YAML(typ="safe", pure=True).load(text)
    return data


def rows(name: str, part: str = "table") -> dict[str, Any]:
    """The code → value mapping of a table (codes are always strings, as SIASN sends them)."""
    mapping: dict[str, Any] = table(name)[part]
    return mapping
