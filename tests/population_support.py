"""Shared by the tests that generate dossiers: the bundled population generator, loaded as a module."""

from __future__ import annotations

import importlib.util
import sys
from functools import cache
from pathlib import Path
from types import ModuleType

GENERATE = Path(__file__).resolve().parent.parent / "fixtures" / "population" / "generate.py"


@cache
def generator() -> ModuleType:
    """fixtures/population/generate.py as a module (it is a script, not a package member)."""
    spec = importlib.util.spec_from_file_location("population_generate", GENERATE)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    writes, sys.dont_write_bytecode = sys.dont_write_bytecode, True  # no __pycache__ among the fixtures
    try:
        spec.loader.exec_module(module)
    finally:
        sys.dont_write_bytecode = writes
    return module
