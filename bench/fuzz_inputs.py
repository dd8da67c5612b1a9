"""Seeded mutations of the bundled candidate and rule files, and running one through the real CLI."""

from __future__ import annotations

import io
import json
import random
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from click.testing import CliRunner
from fuzz_checks import coercion, problems_of, unlocated
from ruamel.yaml import YAML

from cli import cli

ROOT = Path(__file__).resolve().parents[1]
CANDIDATES = sorted((ROOT / "fixtures" / "candidates").glob("*.yaml"))
RULE_FILES = sorted(p for p in (ROOT / "rules").rglob("*.yaml") if not p.name.endswith(".cases.yaml"))
_YAML = YAML(typ="safe", pure=True)

Tree = Any
WEIRD_VALUES: tuple[Any, ...] = (
    None,
    True,
    False,
    0,
    -1,
    2**63,
    2**64 + 1,
    -(2**70),
    10**400,
    1e308,
    -1e30,
    1e39,
    3.333,
    5.000001,
    float("nan"),
    float("inf"),
    -float("inf"),
    "",
    " ",
    "x" * 5000,
    "\u0000\u0007\u202e",
    "🙂" * 50,
    "9999-12-31",
    "0001-01-01",
    "2020-02-30",
    "2021-13-01",
    "1900-02-29",
    "2024-02-29",
    [],
    {},
    [[[]]],
    {"a": {"b": {"c": None}}},
    "null",
    "true",
    "3.5",
    "1e5",
    "NaN",
)


def _paths(tree: Tree, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix]
    if len(prefix) > 30:
        return out
    if isinstance(tree, dict):
        for key, value in tree.items():
            out.extend(_paths(value, (*prefix, key)))
    elif isinstance(tree, list):
        for index, value in enumerate(tree):
            out.extend(_paths(value, (*prefix, index)))
    return out


def _get(tree: Tree, path: tuple[Any, ...]) -> Tree:
    for part in path:
        tree = tree[part]
    return tree


def _set(tree: Tree, path: tuple[Any, ...], value: Any) -> Tree:
    if not path:
        return value
    _get(tree, path[:-1])[path[-1]] = value
    return tree


def _deep(depth: int) -> str:
    # A marker replaced by the nested text after dumping: the dumpers themselves recurse.
    return f"DEEP-{depth}-DEEP"


# ------------------------------------------------------------------ tree mutations (then dumped)


def _swap(rng: random.Random, tree: Tree) -> Tree:
    return _set(tree, rng.choice(_paths(tree)), rng.choice(WEIRD_VALUES))


def _delete(rng: random.Random, tree: Tree) -> Tree:
    path = rng.choice(_paths(tree)[1:] or [()])
    if path:
        parent = _get(tree, path[:-1])
        del parent[path[-1]]
    return tree


def _rename(rng: random.Random, tree: Tree) -> Tree:
    maps = [p for p in _paths(tree) if isinstance(_get(tree, p), dict) and _get(tree, p)]
    if maps:
        node = _get(tree, rng.choice(maps))
        key = rng.choice(list(node))
        node[str(key)[::-1] + rng.choice(["", "_", "x", "\u00e9"])] = node.pop(key)
    return tree


def _duplicate_list(rng: random.Random, tree: Tree) -> Tree:
    lists = [p for p in _paths(tree) if isinstance(_get(tree, p), list) and _get(tree, p)]
    if lists:
        path = rng.choice(lists)
        # capped at 3,000 entries: beyond that the pure-Python dumper of this generator, not layak, takes
        # minutes and gigabytes (a case of 89 MB did), and the size limit is exercised by other cases anyway
        items = _get(tree, path)
        _set(tree, path, (items * rng.choice([2, 50, 300, 3000]))[:3000])
    return tree


def _nest(rng: random.Random, tree: Tree) -> Tree:
    return _set(tree, rng.choice(_paths(tree)), _deep(rng.choice([10, 60, 2000])))


TREE_MUTATIONS: tuple[Callable[[random.Random, Tree], Tree], ...] = (
    _swap,
    _swap,
    _swap,
    _delete,
    _rename,
    _duplicate_list,
    _nest,
)


def _dump(tree: Tree, as_json: bool) -> str:
    if as_json:
        # indented, so a problem's line points at one field rather than at the whole file on line 1
        text = json.dumps(tree, default=str, indent=1)
    else:
        stream = io.StringIO()
        try:
            _YAML.dump(tree, stream)
            text = stream.getvalue()
        except Exception:  # odd values the dumper refuses: JSON is YAML too
            text = json.dumps(tree, default=str)
    return re.sub(r"[\"']?DEEP-(\d+)-DEEP[\"']?", lambda m: "[" * int(m[1]) + "]" * int(m[1]), text)


# ------------------------------------------------------------------ text mutations


def _text_mutation(rng: random.Random, text: str) -> str | bytes:
    kind = rng.randrange(12)
    lines = text.splitlines()
    if kind == 0:
        return b""
    if kind == 1:
        return bytes(rng.randrange(256) for _ in range(rng.choice([10, 500, 5000])))
    if kind == 2:  # duplicate key
        line = rng.choice([x for x in lines if ":" in x and not x.startswith(" ")] or [""])
        return text + "\n" + line + "\n"
    if kind == 3:  # anchors and an alias bomb
        bomb = ["b0: &b0 [x, x, x, x, x, x, x, x, x, x]"]
        bomb += [f"b{i}: &b{i} [{', '.join([f'*b{i - 1}'] * 10)}]" for i in range(1, rng.choice([3, 9]))]
        return text + "\n" + "\n".join(bomb) + "\n"
    if kind == 4:  # tags
        tag = rng.choice(
            [
                "!!python/object/apply:os.system ['true']",
                "!!binary aGk=",
                "!x 1",
                "!!set {a}",
                "!!omap [a: 1]",
                "!!float abc",
                "!!int 0x",
                "!!timestamp nope",
            ]
        )
        key = rng.choice([x.split(":")[0] for x in lines if ":" in x and not x.startswith(" ")] or ["k"])
        return text + f"\nzz_{key}: {tag}\n"
    if kind == 5:  # deep flow nesting
        depth = rng.choice([100, 2000, 100_000])
        return text + "\ndeep: " + "[" * depth + "]" * depth + "\n"
    if kind == 6:  # control and odd characters spliced in
        at = rng.randrange(len(text) + 1)
        odd = rng.choice(["\u0000", "\t", "\r", "\u2028", "\ufeff", "\x1b[31m", "\\", "'", '"'])
        return text[:at] + odd + text[at:]
    if kind == 7:  # truncated
        return text[: rng.randrange(len(text) + 1)]
    if kind == 8:  # a number replaced textually
        digits = rng.choice(["1e999", "-0", "0x1F", "1_000", "9" * 30, ".nan", "+.inf", "3.333", "007"])
        return "".join(digits if ch.isdigit() and rng.random() < 0.02 else ch for ch in text)
    if kind == 9:  # two documents
        return text + "\n---\n" + text
    if kind == 10:  # a long string value
        return text + "\nlong: " + "y" * rng.choice([3000, 300_000]) + "\n"
    return text.replace(":", rng.choice([" :", "::", ": :", ":"]), rng.randrange(1, 4))


@dataclass(frozen=True)
class Case:
    number: int
    kind: str  # "candidate" or "rules"
    suffix: str
    content: bytes


def make_case(seed: int, number: int, kind: str) -> Case:
    """The ``number``-th case of ``seed``: a bundled file, mutated one to three times."""
    rng = random.Random(f"{seed}:{kind}:{number}")
    source = rng.choice(CANDIDATES if kind == "candidate" else RULE_FILES)
    text = source.read_text()
    as_json = kind == "candidate" and rng.random() < 0.3
    if rng.random() < 0.6:
        tree = _YAML.load(text)
        chosen = [rng.choice(TREE_MUTATIONS) for _ in range(rng.randint(1, 3))]
        # One duplication per case: a second one inside the shared entries of the first multiplies them
        # (a 586 MB case; the generator, not layak, then takes minutes and gigabytes). Size is covered by
        # the text mutations and bench/fuzz_worst.py.
        chosen = [m if m is not _duplicate_list or chosen.index(m) == i else _swap for i, m in enumerate(chosen)]
        for mutation in chosen:
            tree = mutation(rng, tree)
        content: str | bytes = _dump(tree, as_json)
    else:
        content = _text_mutation(rng, text)
        as_json = False
    data = content if isinstance(content, bytes) else content.encode("utf-8", "surrogatepass")
    return Case(number=number, kind=kind, suffix=".json" if as_json else ".yaml", content=data)


@dataclass(frozen=True)
class Outcome:
    code: int
    internal_error: bool
    traceback: bool
    unlocated: str  # the first problem that does not name file, line and field ("" when all do)
    coerced: str = ""  # the first value an answered candidate file holds in another type or value ("" when none)


def run_case(case: Case, workdir: Path) -> Outcome:
    """Run one case through the CLI in-process: `check` for a candidate, `validate` for a rule file (JSON)."""
    folder = workdir / f"case-{case.kind}-{case.number}"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"input{case.suffix}"
    path.write_bytes(case.content)
    if case.kind == "candidate":
        args = [
            "check",
            str(path),
            "--position",
            "administrator",
            "--as-of",
            "2026-12-01",
            "--no-record",
            "--format",
            "json",
        ]
    else:
        args = ["validate", str(folder), "--format", "json"]
    result = CliRunner().invoke(cli, args)
    stderr = result.stderr
    exception = result.exception
    internal = result.exit_code == 4 or (exception is not None and not isinstance(exception, SystemExit))
    lines = case.content.count(b"\n") + 1
    missing = ""
    if result.exit_code in (1, 3) and not internal:
        problems = problems_of(case.kind, result.stdout)
        if result.exit_code == 3 and not problems:
            missing = f"exit 3 with no problem listed: {stderr[-120:]}"
        # a document of one bare value (a number past 64 bits, say) has no field below the root
        bare = b":" not in case.content and case.content.strip().count(b"\n") <= 1
        missing = missing or next((m for m in (unlocated(p, path, lines, root_scalar=bare) for p in problems) if m), "")
    coerced = coercion(path) if case.kind == "candidate" and result.exit_code == 0 else ""
    path.unlink()
    folder.rmdir()
    return Outcome(
        code=result.exit_code,
        internal_error=internal,
        traceback="Traceback (most recent call last)" in stderr + result.stdout,
        unlocated=missing,
        coerced=coerced,
    )
