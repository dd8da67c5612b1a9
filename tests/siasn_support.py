"""Shared helpers for the SIASN import tests: run the importer, read dossiers and goldens as candidates."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

from engine.load.candidate import Candidate

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures" / "siasn"
RESPONSES = FIXTURES / "responses"
EXPECTED = FIXTURES / "expected"


def normalised(doc: dict[str, Any]) -> dict[str, Any]:
    """A dossier as a comparable candidate: inferred lists as sets, the provenance file list aside."""
    candidate = Candidate.model_validate(doc).model_dump(mode="python", exclude_defaults=True)
    for entries in candidate.values():
        for entry in entries if isinstance(entries, list) else []:
            if isinstance(entry, dict) and "inferred" in entry.get("source", {}):
                entry["source"]["inferred"] = sorted(entry["source"]["inferred"])
    candidate.get("provenance", {}).pop("files", None)
    return candidate


def golden(nip: str) -> dict[str, Any]:
    return normalised(YAML(typ="safe", pure=True).load((EXPECTED / f"{nip}.yaml").read_text(encoding="utf-8")))


def written(out: Path, nip: str) -> dict[str, Any]:
    data = json.loads((out / f"{nip}.json").read_text(encoding="utf-8"))
    assert isinstance(data, dict), f"{nip}.json should hold one dossier object"
    return data


def bundle_line(folder: Path) -> bytes:
    """One JSON-lines bundle entry holding every saved response of a NIP folder."""
    responses = {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.json"))}
    return json.dumps({"nip": folder.name, "responses": responses}, ensure_ascii=False).encode() + b"\n"


def decisions_of(check_json: str) -> list[dict[str, Any]]:
    """The decisions of `layak check --format json` (each with candidate, requirements and verdict)."""
    return [d.get("decision", d) for d in json.loads(check_json)["decisions"]]
