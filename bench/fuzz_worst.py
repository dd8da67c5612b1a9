"""The worst single inputs of the hardening issue, each checked in its own process: exit code, seconds, peak RSS.

    python bench/fuzz_worst.py

Bound to meet: every input refused or processed within 30 s and 300 MB peak RSS, never exit 4 or a signal.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BASE = ROOT / "fixtures" / "candidates" / "dimas-saputra.yaml"
JSON_BASE = ROOT / "fixtures" / "candidates" / "hendra-gunawan.json"


def inputs(folder: Path) -> dict[str, Path]:
    text = BASE.read_text()
    made: dict[str, str] = {
        "nesting-2000.yaml": text + "extra: " + "[" * 2000 + "]" * 2000 + "\n",
        "nesting-100000.yaml": text + "extra: " + "[" * 100_000 + "]" * 100_000 + "\n",
        "nesting-100000.json": '{"a": ' + "[" * 100_000 + "]" * 100_000 + "}",
        "python-tag.yaml": text + "extra: !!python/object/apply:os.system ['true']\n",
        "alias-bomb.yaml": "a: &a [x, x, x, x, x, x, x, x, x]\n"
        + "".join(f"{c}: &{c} [{', '.join(['*' + p] * 9)}]\n" for p, c in zip("abcdefg", "bcdefgh", strict=True)),
        "big-int.yaml": text + "lhkpn_or_lhkasn_submitted_year: 9223372036854775808\n",
        "values-1mb.yaml": "".join(f"k{i}: [{', '.join(str(n) for n in range(20))}]\n" for i in range(12_900)),
    }
    data = json.loads(JSON_BASE.read_text())
    data["performance"] = (data.get("performance") or [{"period": "2020", "scheme": "PP30_2019"}]) * 20_000
    made["list-20000.json"] = json.dumps(data)
    out = {}
    for name, content in made.items():
        path = folder / name
        path.write_text(content)
        out[name] = path
    for name, megabytes in (("file-23mb.yaml", 23), ("file-50mb.yaml", 50)):
        path = folder / name
        with path.open("w") as sink:
            sink.write(text)
            sink.write("notes: [" + ", ".join(["padding"] * (megabytes * 1024 * 1024 // 9)) + "]\n")
        out[name] = path
    return out


def main() -> None:
    folder = Path(tempfile.mkdtemp(prefix="layak-worst-"))
    env = {**os.environ, "LAYAK_DB": str(folder / "audit.db")}
    results = {}
    for name, path in inputs(folder).items():
        results[name] = measured(path, env)
    print(json.dumps(results, indent=2))
    bad = [
        n
        for n, r in results.items()
        if r["exit"] not in (0, 3) or float(str(r["seconds"])) > 30 or float(str(r["peak_rss_mb"])) > 300
    ]
    sys.exit(1 if bad else 0)


def measured(path: Path, env: dict[str, str]) -> dict[str, object]:
    """One `layak check` of ``path``, run under a small wrapper that reports its child's time and peak RSS."""
    code = (
        "import resource, subprocess, sys, time, json\n"
        "t = time.perf_counter()\n"
        "p = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)\n"
        "u = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
        "err = [x for x in p.stderr.splitlines() if x.startswith('Error:')]\n"
        "print(json.dumps({'exit': p.returncode, 'seconds': round(time.perf_counter() - t, 2),"
        " 'peak_rss_mb': round(u.ru_maxrss / 1024, 1), 'message': (err[0] if err else p.stderr[-160:])[:160]}))\n"
    )
    out = subprocess.run(
        [
            sys.executable,
            "-c",
            code,
            sys.executable,
            "-c",
            "from cli import cli; cli()",
            "check",
            str(path),
            "--position",
            "administrator",
            "--as-of",
            "2026-12-01",
            "--no-record",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=900,
    )
    return dict(json.loads(out.stdout))


if __name__ == "__main__":
    main()
