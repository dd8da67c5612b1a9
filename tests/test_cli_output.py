"""The output path: explain's header in every format, --lang en purity, tables within 100 columns, plain CSV."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import shutil
from pathlib import Path

import pytest
from cli_runner import run

from engine.facts.vocabulary import FactSpec, listing, lookup
from engine.load.library import load_library
from engine.load.rulefile import AllOf, AnyOf, RuleNode
from engine.present import i18n

ROOT = Path(__file__).parent.parent
RULES = ROOT / "rules"
FIXTURES = ROOT / "fixtures" / "candidates"
SITI = FIXTURES / "siti-rahma.yaml"
AS_OF = ["--as-of", "2026-12-01"]
POS = ["--position", "administrator"]


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("out") / "audit.db"
    code, _out, err = run("check", str(FIXTURES), *POS, *AS_OF, "--db", str(path))
    assert code == 0, err
    return str(path)


@pytest.fixture(scope="module")
def proposed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped rules with Administrator's Pengawas experience raised from 3 to 4 years."""
    folder = tmp_path_factory.mktemp("proposed") / "rules"
    shutil.copytree(RULES, folder)
    managerial = folder / "national" / "managerial.yaml"
    text = managerial.read_text(encoding="utf-8")
    start = text.index("  - id: administrator\n")
    marker = "fact: months_in_post.pengawas\n"
    at = text.index(marker, start)
    value = text.index("value: 3y", at)
    managerial.write_text(text[:value] + "value: 4y" + text[value + len("value: 3y") :], encoding="utf-8")
    return folder


def _commands(store: str, proposed: Path) -> dict[str, list[str]]:
    first = json.loads(run("audit", "list", "--db", store, "--format", "json")[1])[0]["decision_id"]
    return {
        "check": ["check", str(FIXTURES), *POS, *AS_OF, "--no-record"],
        "explain": ["explain", str(SITI), *POS, "--as-of", "2023-11-15"],
        "explain eligible": ["explain", str(SITI), *POS, *AS_OF],
        "positions": ["positions", *AS_OF],
        "facts list": ["facts", "--list"],
        "facts": ["facts", str(SITI), *AS_OF],
        "validate": ["validate", "tests/data/lint"],
        "test": ["test", str(RULES / "national" / "pengawas.cases.yaml"), "--coverage"],
        "diff": ["diff", str(RULES), str(proposed), "--candidates", str(FIXTURES), *POS, *AS_OF],
        "audit list": ["audit", "list", "--db", store],
        "audit show": ["audit", "show", first, "--db", store],
        "audit verify": ["audit", "verify", "--db", store],
        "audit head": ["audit", "head", "--db", store],
        "replay": ["replay", "--all", "--db", store],
    }


def _output(args: list[str], fmt: str, lang: str = "en") -> tuple[str, str]:
    code, out, err = run(*args, "--format", fmt, "--lang", lang)
    assert code in (0, 1, 3), (args, err)
    assert "Traceback" not in err
    return out, err


# ---- explain: who, the verdict, the date and the ruleset come first --------------------------------------


def test_explain_markdown_and_csv_start_with_who_verdict_date_and_ruleset() -> None:
    code, out, _err = run("explain", str(SITI), *POS, "--as-of", "2023-11-15", "--format", "markdown")
    assert code == 0
    head = out.split("\n\n", 1)[0].splitlines()
    assert head[:5] == [
        "- **candidate**: Siti Rahma (198203152006042001)",
        "- **position**: administrator",
        "- **verdict**: not eligible",
        "- **as of**: 2023-11-15",
        head[4],
    ]
    assert re.fullmatch(r"- \*\*ruleset\*\*: national \S+ \([0-9a-f]{12}\)", head[4])
    code, out, _err = run("explain", str(SITI), *POS, "--as-of", "2023-11-15", "--format", "csv")
    assert code == 0
    header = dict(list(csv.reader(io.StringIO(out.split("\n\n", 1)[0])))[1:])
    assert header["candidate"] == "Siti Rahma (198203152006042001)" and header["verdict"] == "not eligible"
    assert header["as of"] == "2023-11-15" and header["ruleset"].startswith("national ")
    code, out, _err = run("explain", str(SITI), *POS, "--as-of", "2023-11-15", "--format", "csv", "--lang", "id")
    header = dict(list(csv.reader(io.StringIO(out.split("\n\n", 1)[0])))[1:])
    assert header["keputusan"] == "tidak memenuhi syarat" and header["per tanggal"] == "2023-11-15"


# ---- --lang en prints no Indonesian ----------------------------------------------------------------------


def _fragments(text: str) -> set[str]:
    """The literal parts of a catalogue text (between its {placeholders}), trimmed of punctuation."""
    parts = re.split(r"\{[^}]*\}|\|", text)
    return {p.strip(" .,:;()%#+-=?") for p in parts} - {""}


def _indonesian_terms() -> set[str]:
    """The catalogue's Indonesian texts that its English side never uses. Fact names (`golongan`) are
    identifiers and stay as they are in both languages."""
    tables = [i18n.LABELS, i18n.NOTES, i18n.WHATIF, i18n.WHATIF_FACTS]
    english = {f for table in tables for en, _id in table.values() for f in _fragments(en)}
    terms = {f for table in tables for _en, id_ in table.values() for f in _fragments(id_)}
    return {t for t in terms - english if len(t) >= 4 and lookup(t) is None and t not in _english_data()}


def _english_data() -> str:
    """What the English side of the data holds: rule texts (which cite "ujian dinas tingkat I" as such) and
    the names of the vocabulary's scales (`predikat`)."""
    library = load_library(RULES)
    texts = [
        req.text.en
        for rs in library.in_force_bases(dt.date(2026, 12, 1))
        for p in rs.positions
        for req in _walk(p.requirements)
    ]
    scales = [(item.scale or "") if isinstance(item, FactSpec) else item[1] for item in listing()]
    return " ".join(texts + scales)


def _walk(requirements: tuple[RuleNode, ...]) -> list[RuleNode]:
    out: list[RuleNode] = []
    for req in requirements:
        out.append(req)
        out.extend(_walk(req.any_of if isinstance(req, AnyOf) else req.all_of if isinstance(req, AllOf) else ()))
    return out


def _prose(text: str) -> str:
    """Output without identifiers (ids like jf-ahli-pertama or kenaikan-pangkat, fact names, JSON keys)."""
    text = re.sub(r'"[\w.-]+":', " ", text)
    return re.sub(r"[\w/.]*[A-Za-z0-9][-_.][\w.-]*", " ", text)


def _rule_texts() -> set[str]:
    """The Indonesian texts of every requirement in the shipped rules (where they differ from the English)."""
    library = load_library(RULES)
    texts: set[str] = set()

    def walk(req: RuleNode) -> None:
        if req.text.id != req.text.en:
            texts.add(req.text.id)
        for child in req.any_of if isinstance(req, AnyOf) else req.all_of if isinstance(req, AllOf) else ():
            walk(child)

    for ruleset in library.in_force_bases(dt.date(2026, 12, 1)):
        for position in ruleset.positions:
            for req in position.requirements:
                walk(req)
    return texts


def test_the_catalogue_has_both_languages_for_every_key() -> None:
    for table in (i18n.LABELS, i18n.NOTES, i18n.WHATIF, i18n.WHATIF_FACTS):
        for key, (en, id_) in table.items():
            assert en and id_, key
            assert set(re.findall(r"\{(\w+)", en)) == set(re.findall(r"\{(\w+)", id_)), key


def test_plurals() -> None:
    assert i18n.label("n_candidates", "en", n=1) == "1 candidate"
    assert i18n.label("n_candidates", "en", n=2) == "2 candidates"
    assert i18n.label("n_candidates", "id", n=1) == "1 kandidat" == i18n.label("n_candidates", "id", n=1)
    assert i18n.label("n_candidates", "id", n=2) == "2 kandidat"
    assert (
        i18n.label("n_flips", "en", n=1) == "1 verdict changes"
        and i18n.label("n_flips", "en", n=3) == "3 verdicts change"
    )


# JSON that carries rule or candidate data as such: a requirement's `text` holds both languages there.
RECORDS_BOTH_LANGUAGES = {"positions", "audit show"}


def test_lang_en_prints_no_indonesian(store: str, proposed: Path) -> None:
    terms = _indonesian_terms()
    assert {"kandidat", "persyaratan", "keputusan", "memenuhi syarat"} <= terms  # the scan sees the catalogue
    rule_texts = _rule_texts()
    assert len(rule_texts) > 20
    leaks = []
    for name, args in _commands(store, proposed).items():
        for fmt in ("table", "markdown", "csv", "json"):
            if fmt == "json" and name in RECORDS_BOTH_LANGUAGES:
                continue
            out, err = _output(args, fmt)
            text = " ".join((out + err).split())  # a wrapped cell reads as one line
            found = sorted(t for t in terms if re.search(rf"(?<![\w-]){re.escape(t)}(?![\w-])", _prose(text)))
            found += sorted(t for t in rule_texts if t in text)
            if found:
                leaks.append(f"{name} --format {fmt}: {found}")
    assert not leaks, "\n".join(leaks)


def test_lang_id_uses_the_indonesian_side(store: str, proposed: Path) -> None:
    commands = _commands(store, proposed)
    out, err = _output(commands["check"], "table", "id")
    assert "kandidat untuk administrator" in err and "keputusan" in out
    out, _err = _output(commands["explain"], "markdown", "id")
    assert "**Yang diperlukan agar kandidat memenuhi syarat**" in out and "perlu ≥ 3 tahun" in out


# ---- tables fit 100 columns; CSV cells are plain values -------------------------------------------------

# Several columns of identifiers that are never broken (NIP, decision id, a 64-hex chain hash).
WIDE_BY_NATURE = {"diff", "audit list", "replay", "audit head"}


def test_tables_fit_a_100_column_terminal(store: str, proposed: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)  # file paths as a person types them (they are never broken)
    too_wide = []
    for name, args in _commands(store, proposed).items():
        if name in WIDE_BY_NATURE:
            continue
        for lang in ("en", "id"):
            out, _err = _output(args, "table", lang)
            widest = max((len(line) for line in out.splitlines()), default=0)
            if widest > 100:
                too_wide.append(f"{name} --lang {lang}: {widest}")
    assert not too_wide


def test_long_text_is_wrapped_not_cut() -> None:
    code, out, _err = run("explain", str(SITI), *POS, "--as-of", "2023-11-15")
    assert code == 0
    # The longest requirement text, wrapped over several lines of its column, loses no word.
    words = out.split()
    sentence = "Pengawas for at least 3 years, or a functional post at the level of Pengawas for at least 3 years"
    assert all(word in words for word in sentence.split())


def test_csv_cells_are_plain_values(store: str, proposed: Path) -> None:
    for name, args in _commands(store, proposed).items():
        out, _err = _output(args, "csv")
        assert "└" not in out and not re.search(r"\+\d+ more", out), name
        for block in out.split("\n\n"):
            rows = list(csv.reader(io.StringIO(block)))
            assert rows and all(len(r) == len(rows[0]) for r in rows), name


def test_csv_names_nested_requirements_by_path_and_lists_every_open_item() -> None:
    code, out, _err = run("explain", str(SITI), *POS, "--as-of", "2023-11-15", "--format", "csv")
    assert code == 0
    requirements = list(csv.DictReader(io.StringIO(out.split("\n\n")[1])))
    ids = [r["requirement"] for r in requirements]
    assert "experience/experience-pengawas" in ids and "experience" in ids
    code, out, _err = run("check", str(FIXTURES), *POS, *AS_OF, "--no-record", "--format", "csv")
    table_code, table, _err = run("check", str(FIXTURES), *POS, *AS_OF, "--no-record")
    assert code == table_code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    longest = max(rows, key=lambda r: r["not met"].count(";"))
    assert longest["not met"].count(";") >= 3  # all of them, where the table shows three and "+N more"
    assert re.search(r"\+\d+ more", table)
