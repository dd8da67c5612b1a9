"""The printed documents rendered for real: the HTML in headless Chromium, the PDF through pdftoppm.

A page counts as rendered when its screenshot is not blank (at least 1 % of its pixels are ink) and the
browser logged no console message at all (the reports carry no script, so any message is a fault: a blocked
fetch, a CSP violation). Without the tools these tests skip, except with CI=true, where they fail.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from cli_runner import run
from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures" / "candidates"
PEOPLE = ("budi-santoso", "eko-prasetyo", "rudi-hartono")
INK = 0.01


def tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(f"CI is set but {name} is not installed: .ci/run installs it with apt-get")
        pytest.skip(f"{name} is not installed (Debian: apt-get install chromium poppler-utils)")
    return found


def screenshot(page: Path, png: Path, profile: Path) -> list[str]:
    """Render ``page`` in headless Chromium to ``png``; the console messages it logged."""
    args = [
        tool("chromium"),
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        f"--user-data-dir={profile}",
        "--enable-logging=stderr",
        "--v=0",
        "--hide-scrollbars",
        "--window-size=1240,1754",
        f"--screenshot={png}",
        page.as_uri(),
    ]
    done = subprocess.run(args, capture_output=True, text=True, timeout=300, check=False)
    assert png.exists(), done.stderr[-2000:]
    return [line for line in done.stderr.splitlines() if ":CONSOLE" in line]


def ink(png: Path) -> float:
    """The share of pixels darker than light grey."""
    histogram = Image.open(png).convert("L").histogram()
    return sum(histogram[:160]) / sum(histogram)


@pytest.fixture(scope="module")
def board(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("render")
    db = str(folder / "audit.db")
    code, _out, err = run(
        "check",
        *(str(FIXTURES / f"{n}.yaml") for n in PEOPLE),
        "--position",
        "administrator",
        "--as-of",
        "2026-12-01",
        "--board",
        "SK 821/2026",
        "--db",
        db,
        "--format",
        "json",
    )
    assert code == 0, err
    html, pdf = folder / "board.html", folder / "board.pdf"
    code, _out, err = run("report", "--db", db, "--board", "SK 821/2026", "--out", str(html), "--pdf", str(pdf))
    assert code == 0, err
    return html, pdf


def test_the_console_check_catches_a_faulty_page(tmp_path: Path) -> None:
    page = tmp_path / "faulty.html"
    page.write_text('<!DOCTYPE html><html><body><p>x</p><script>console.error("broken")</script></body></html>')
    messages = screenshot(page, tmp_path / "faulty.png", tmp_path / "profile")
    assert any("broken" in m for m in messages)
    assert ink(tmp_path / "faulty.png") < INK  # one letter is a blank page by this measure


def test_html_report_renders_in_chromium_without_console_messages(board: tuple[Path, Path], tmp_path: Path) -> None:
    png = tmp_path / "board.png"
    assert screenshot(board[0], png, tmp_path / "profile") == []
    assert ink(png) > INK


def test_pdf_pages_are_printed_one_candidate_per_page(board: tuple[Path, Path], tmp_path: Path) -> None:
    pdf = board[1]
    assert pdf.read_bytes().startswith(b"%PDF-")
    subprocess.run([tool("pdftoppm"), "-r", "40", "-png", str(pdf), str(tmp_path / "page")], check=True, timeout=300)
    pages = sorted(tmp_path.glob("page-*.png"))
    assert len(pages) >= 3 + len(PEOPLE)  # cover, summary, shortlist, then at least a page per candidate
    assert all(ink(page) > INK / 10 for page in pages), [ink(p) for p in pages]
    text = subprocess.run(
        [tool("pdftotext"), "-layout", str(pdf), "-"], capture_output=True, text=True, check=True, timeout=300
    ).stdout
    starts = [page.strip().splitlines()[0] for page in text.split("\f") if page.strip()]
    for name in ("Budi Santoso", "Eko Prasetyo", "Rudi Hartono"):
        assert any(re.match(rf"\d+\. {name}\b", line) for line in starts), starts
