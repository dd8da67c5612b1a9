"""Reading SIASN values: every value a string, sentinels as missing, every doubt recorded as a finding."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, Literal

Kind = Literal["error", "unmapped", "disagreement", "inferred", "review", "skipped"]

# What SIASN sends for "no value": empty, null, a dash, and the .NET zero date in either date format.
_MISSING = {"", "-", "01-01-0001", "0001-01-01", "0001-01-01T00:00:00Z"}
_DMY = re.compile(r"(\d{2})-(\d{2})-(\d{4})")
_YMD = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:T00:00:00(?:\.0+)?(?:Z|[+-]00:?00)?)?")
_INTEGRAL = re.compile(r"\d+(?:\.0+)?")


@dataclass(frozen=True)
class Finding:
    """One thing the import report tells about one NIP: a guess, a disagreement, a gap or an error."""

    nip: str
    kind: Kind
    code: str
    file: str = ""
    record_id: str = ""
    key: str = ""
    args: dict[str, str] = field(default_factory=dict)


class Reader:
    """Reads one SIASN record (one JSON object) of one file, collecting findings for its NIP."""

    def __init__(
        self, nip: str, file: str, record: dict[str, Any], findings: list[Finding], record_id: str = ""
    ) -> None:
        self.nip, self.file, self.record, self.findings = nip, file, record, findings
        self.record_id = record_id or self._id()

    def _id(self) -> str:
        value = self.record.get("id")
        return value.strip() if isinstance(value, str) else ""

    def add(self, kind: Kind, code: str, key: str = "", **args: object) -> None:
        self.findings.append(
            Finding(self.nip, kind, code, self.file, self.record_id, key, {k: str(v) for k, v in args.items()})
        )

    def skip(self, key: str) -> None:
        """Report this record as not imported because of ``key`` (its value, or that it is missing)."""
        raw = self.record.get(key)
        shown = raw.strip() if isinstance(raw, str) and raw.strip() not in _MISSING else "missing"
        self.add("unmapped", "row_skipped", key, value=shown)

    def text(self, *keys: str) -> str | None:
        """The first present value of ``keys`` (alternative spellings), stripped; None when missing."""
        for key in keys:
            value = self.record.get(key)
            if value is None:
                continue
            if not isinstance(value, str):
                # SIASN sends every scalar as a string; anything else is reported, never converted.
                self.add("unmapped", "not_a_string", key, value=repr(value), type=type(value).__name__)
                return None
            value = value.strip()
            if value not in _MISSING:
                return value
        return None

    def date(self, *keys: str) -> dt.date | None:
        """A date in dd-mm-yyyy, ISO date-time (midnight) or yyyy-mm-dd; None when missing or unreadable."""
        raw = self.text(*keys)
        if raw is None:
            return None
        key = next((k for k in keys if self.record.get(k) is not None), keys[0])
        match = _DMY.fullmatch(raw)
        parts = (match.group(3), match.group(2), match.group(1)) if match else None
        if parts is None and (iso := _YMD.fullmatch(raw)):
            parts = (iso.group(1), iso.group(2), iso.group(3))
        if parts is not None:
            try:
                return dt.date(int(parts[0]), int(parts[1]), int(parts[2]))
            except ValueError:
                pass
        self.add("unmapped", "bad_date", key, value=raw)
        return None

    def code(self, key: str, mapping: dict[str, Any], what: str) -> tuple[str | None, Any]:
        """(code, mapped value) from a code table; an unknown code is reported and maps to None."""
        raw = self.text(key)
        if raw is None:
            return None, None
        if raw not in mapping and _INTEGRAL.fullmatch(raw):
            # Some codes are stored as decimal(3,2) at source ("2.00" is "2"), and spreadsheets drop leading
            # zeros ("5" is "05"): read as the code, and reported.
            trimmed = raw.split(".")[0]
            code = trimmed if trimmed in mapping else trimmed.zfill(2) if trimmed.zfill(2) in mapping else None
            if code is not None:
                self.add("inferred", "code_normalised", key, value=raw, read_as=code)
                raw = code
        if raw not in mapping:
            self.add("unmapped", "unknown_code", key, value=raw, table=what)
            return raw, None
        return raw, mapping[raw]

    def decimal(self, *keys: str) -> Decimal | None:
        raw = self.text(*keys)
        if raw is None:
            return None
        try:
            number = Decimal(raw) if re.fullmatch(r"-?\d+(\.\d+)?", raw) else None
        except InvalidOperation:
            number = None
        if number is None or not number.is_finite():
            self.add("unmapped", "bad_number", keys[0], value=raw)
            return None
        return number

    def flag(self, key: str) -> bool:
        """A SIASN boolean: "1"/"true" true; "0"/"false"/missing false."""
        raw = self.text(key)
        return raw is not None and raw.lower() in {"1", "true", "ya", "y"}


def last_day_of_year(year: str) -> dt.date | None:
    return dt.date(int(year), 12, 31) if re.fullmatch(r"(19|20)\d{2}", year) else None
