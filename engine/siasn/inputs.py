"""Reading saved SIASN responses: a folder of NIP folders, or a JSON-lines bundle; every file checked."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from engine.siasn.values import Finding

ENDPOINTS = (
    "data-utama",
    "rw-golongan",
    "rw-jabatan",
    "rw-pendidikan",
    "rw-skp22",
    "rw-skp",
    "rw-kinerjaperiodik",
    "rw-hukdis",
    "rw-angkakredit",
    "rw-diklat",
    "rw-kursus",
)
# A real response is a few kilobytes; anything this large is a wrong file, not a personnel record.
MAX_BYTES = 8 * 1024 * 1024
_NIP = re.compile(r"\d{18}")
_EMPTY = "data tidak ditemukan"


@dataclass
class Response:
    endpoint: str
    file: str
    sha256: str
    data: Any  # a dict for data-utama, a list of dicts for the histories


@dataclass
class Person:
    """The responses of one NIP, and the errors that stop its dossier from being written."""

    nip: str
    responses: dict[str, Response] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    bundle_line: tuple[str, str] | None = None  # (name, sha256) when read from a bundle

    def error(self, code: str, file: str, record_id: str = "", key: str = "", **args: object) -> None:
        self.findings.append(
            Finding(self.nip, "error", code, file, record_id, key, {k: str(v) for k, v in args.items()})
        )

    @property
    def failed(self) -> bool:
        return any(f.kind == "error" for f in self.findings)


def _decode(person: Person, file: str, raw: bytes) -> Any:
    body = raw.lstrip(b"\xef\xbb\xbf \t\r\n")
    if body[:1] == b"<":
        person.error("html_page", file, hint_text=body[:60].decode("utf-8", "replace"))
        return None
    try:
        return orjson.loads(body)
    except orjson.JSONDecodeError as error:
        person.error("bad_json", file, detail=str(error))
        return None


def accept(person: Person, endpoint: str, file: str, sha256: str, body: Any) -> None:
    """Check one response body (the SIASN envelope, its NIP, its row ids) and keep it if sound."""
    if not isinstance(body, dict) or "data" not in body:
        keys = sorted(body)[:4] if isinstance(body, dict) else type(body).__name__
        gateway = isinstance(body, dict) and ("Error" in body or "Message" in body)
        person.error(
            "gateway_error" if gateway else "bad_envelope",
            file,
            found=keys,
            message=body.get("Message", "") if isinstance(body, dict) else "",
        )
        return
    if body.get("code") not in (1, "1", None):
        person.error("not_ok", file, key="code", code_value=body.get("code"), message=body.get("message", ""))
        return
    data = body["data"]
    if isinstance(data, str):
        if data.strip().lower() != _EMPTY or endpoint == "data-utama":
            person.error("message_instead_of_data", file, key="data", message=data)
            return
        data = []
    expected = dict if endpoint == "data-utama" else list
    if not isinstance(data, expected) or (isinstance(data, list) and not all(isinstance(r, dict) for r in data)):
        person.error("bad_data", file, key="data", expected=expected.__name__, found=type(data).__name__)
        return
    records = [data] if isinstance(data, dict) else data
    seen: set[str] = set()
    for record in records:
        rid = record.get("id") if isinstance(record.get("id"), str) else ""
        for key in ("nipBaru", "nip"):
            other = record.get(key)
            if isinstance(other, str) and other.strip() and other.strip() != person.nip:
                person.error("other_nip", file, str(rid), key, found=other.strip())
                return
        if rid and rid in seen:
            person.error("duplicate_row", file, str(rid), "id")
            return
        if rid:
            seen.add(rid)
    person.responses[endpoint] = Response(endpoint, file, sha256, data)


# Keys holding the person's SIASN id (data-utama "id") in the histories; legacy ids are 32-hex, newer UUIDs.
_PERSON_KEYS = ("idPns", "pnsOrang", "pns", "pnsDinilaiId")


def same_person(person: Person) -> None:
    """A history whose rows name another person's SIASN id belongs to someone else (checked once all are read)."""
    main = person.responses.get("data-utama")
    own = main.data.get("id") if main is not None else None
    if not isinstance(own, str) or not own.strip():
        return
    for endpoint, response in list(person.responses.items()):
        for record in response.data if isinstance(response.data, list) else []:
            other = next(
                (
                    record[k].strip()
                    for k in _PERSON_KEYS
                    if isinstance(record.get(k), str) and record[k].strip() and record[k].strip() != own.strip()
                ),
                None,
            )
            if other is not None:
                key = next(k for k in _PERSON_KEYS if isinstance(record.get(k), str) and record[k].strip() == other)
                person.error("other_person", response.file, str(record.get("id", "")), key, found=other)
                del person.responses[endpoint]
                break


def read_folder(root: Path) -> Iterator[Person]:
    """Each sub-folder named by an 18-digit NIP, holding <endpoint>.json files (or ROOT itself is one)."""
    folders = [root] if (root / "data-utama.json").exists() else sorted(p for p in root.iterdir() if p.is_dir())
    for folder in folders:
        yield read_person_folder(folder)


def read_person_folder(folder: Path) -> Person:
    person = Person(folder.name)
    if not _NIP.fullmatch(folder.name):
        person.error("bad_folder_name", str(folder), expected="an 18-digit NIP")
        return person
    for path in sorted(folder.iterdir()):
        name = f"{folder.name}/{path.name}"
        if path.suffix != ".json" or path.stem not in ENDPOINTS:
            person.findings.append(Finding(person.nip, "skipped", "unknown_file", name))
            continue
        size = path.stat().st_size
        if size > MAX_BYTES:
            person.error("too_large", name, size=size, limit=MAX_BYTES)
            continue
        raw = path.read_bytes()
        body = _decode(person, name, raw)
        if body is not None:
            accept(person, path.stem, name, hashlib.sha256(raw).hexdigest(), body)
    if "data-utama" not in person.responses and not person.failed:
        person.error("no_data_utama", f"{folder.name}/data-utama.json")
    same_person(person)
    return person


def read_bundle(path: Path) -> Iterator[Person]:
    """One JSON object per line: {"nip": "<18 digits>", "responses": {"<endpoint>": <response body>, ...}}."""
    seen: set[str] = set()
    with path.open("rb") as stream:
        for number, line in enumerate(stream, start=1):
            if not line.strip():
                continue
            where = f"{path.name}:{number}"
            person = _bundle_person(where, line)
            if person.nip in seen:
                person.error("duplicate_nip", where)
            seen.add(person.nip)
            yield person


def _bundle_person(where: str, line: bytes) -> Person:
    person = Person(f"(line {where.rsplit(':', 1)[1]})")
    if len(line) > MAX_BYTES:
        person.error("too_large", where, size=len(line), limit=MAX_BYTES)
        return person
    entry = _decode(person, where, line)
    if entry is None:
        return person
    nip = entry.get("nip") if isinstance(entry, dict) else None
    responses = entry.get("responses") if isinstance(entry, dict) else None
    if not isinstance(nip, str) or not _NIP.fullmatch(nip) or not isinstance(responses, dict):
        person.error("bad_bundle_line", where, expected='{"nip": "<18 digits>", "responses": {...}}')
        return person
    person.nip = nip
    person.bundle_line = (where, hashlib.sha256(line.rstrip(b"\r\n")).hexdigest())
    for endpoint, body in responses.items():
        if endpoint not in ENDPOINTS:
            person.findings.append(Finding(nip, "skipped", "unknown_file", f"{where} {endpoint}"))
            continue
        accept(person, endpoint, f"{where} {endpoint}", person.bundle_line[1], body)
    if "data-utama" not in person.responses and not person.failed:
        person.error("no_data_utama", f"{where} data-utama")
    same_person(person)
    return person
