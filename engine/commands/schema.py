"""`layak schema`: JSON Schemas of candidate, rule and case files, each with `$schema` and `$id`."""

from __future__ import annotations

from typing import Any

import click

from engine import __version__
from engine.errors import ExitCode
from engine.present.render import to_json

DIALECT = "https://json-schema.org/draft/2020-12/schema"  # what pydantic's model_json_schema emits
BASE = "https://layak.invalid/schema"  # stable identifiers (not fetched): kind and layak version
# What the loader also checks in a candidate and JSON Schema cannot say portably (a test pins these three).
UNSTATED = (
    "Also checked when loaded: numbers have at most 3 decimal places; whole numbers are written without a"
    " decimal point (3, not 3.0); an end date is not before its start; jf_jenjang only with jenis JF."
)


def document(kind: str) -> dict[str, Any]:
    if kind == "candidate":
        from engine.load.candidate import Candidate

        schema = Candidate.model_json_schema()
    elif kind == "rules":
        from engine.load.rulefile import RuleFile

        schema = RuleFile.model_json_schema()
    else:
        schema = _cases()
    files = {
        "candidate": "candidate files (*.yaml, *.json)",
        "rules": "rule files (rules/**/*.yaml)",
        "cases": "case files (*.cases.yaml)",
    }[kind]
    return {
        "$schema": DIALECT,
        "$id": f"{BASE}/{__version__}/{kind}.json",
        **schema,
        "description": " ".join(
            [f"layak {__version__}: {files}.", schema.get("description", ""), UNSTATED if kind != "rules" else ""]
        ).strip(),
    }


def _cases() -> dict[str, Any]:
    """The case-file schema, with an inline candidate validated as a candidate file is."""
    from engine.load.candidate import Candidate
    from engine.tools.cases import CaseFile

    schema = CaseFile.model_json_schema(by_alias=True)
    candidate = Candidate.model_json_schema()
    defs = {**candidate.pop("$defs", {}), "Candidate": candidate, **schema["$defs"]}
    defs["Case"]["properties"]["candidate"] = {
        "anyOf": [
            {"type": "string", "description": "a candidate file, relative to this case file"},
            {"$ref": "#/$defs/Candidate"},
        ],
        "title": "Candidate",
    }
    return {**schema, "$defs": defs}


def run(kind: str) -> ExitCode:
    click.echo(to_json(document(kind)))
    return ExitCode.OK
