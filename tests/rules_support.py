"""Shared by the diff and report tests: the shipped rules and one hand-made change to them."""

from __future__ import annotations

from pathlib import Path

RULES = Path(__file__).resolve().parent.parent / "rules"


def raise_experience(text: str) -> str:
    """Administrator: Pengawas, Ahli Muda or Penyelia for 4 years instead of 3 (every alternative)."""
    start, end = text.index("  - id: administrator\n"), text.index("  - id: pengawas\n")
    block = text[start:end]
    assert block.count("value: 3y") == 3
    return text[:start] + block.replace("value: 3y", "value: 4y") + text[end:]
