"""Value types of candidate files: codes, dates and bounded numbers, each validated strictly."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, WithJsonSchema

Golongan = Literal[
    "I/a",
    "I/b",
    "I/c",
    "I/d",
    "II/a",
    "II/b",
    "II/c",
    "II/d",
    "III/a",
    "III/b",
    "III/c",
    "III/d",
    "IV/a",
    "IV/b",
    "IV/c",
    "IV/d",
    "IV/e",
]
EducationLevel = Literal["SD", "SLTP", "SLTP_KEJURUAN", "SLTA", "D1", "D2", "D3", "D4", "S1", "S2", "S3", "PROFESI"]
PostKind = Literal["JPT_UTAMA", "JPT_MADYA", "JPT_PRATAMA", "ADMINISTRATOR", "PENGAWAS", "PELAKSANA", "JF"]
Jenjang = Literal["PEMULA", "TERAMPIL", "MAHIR", "PENYELIA", "AHLI_PERTAMA", "AHLI_MUDA", "AHLI_MADYA", "AHLI_UTAMA"]
Predikat = Literal[
    "SANGAT_BAIK",
    "BAIK",
    "CUKUP",
    "BUTUH_PERBAIKAN",
    "KURANG",
    "KURANG_MISCONDUCT",
    "SANGAT_KURANG",
    "BURUK",
    "AMAT_BAIK",
    "SEDANG",
]
Scheme = Literal["DP3_PP10_1979", "PP46_2011", "PP30_2019", "PERMENPANRB_8_2021", "PERMENPANRB_6_2022"]
Expectation = Literal["DI_BAWAH", "SESUAI", "DI_ATAS"]


_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def date_before(value: Any) -> Any:
    # Only a calendar date: YAML gives datetime.date, JSON gives "YYYY-MM-DD". Numbers and
    # timestamps are refused rather than guessed at.
    if type(value) is str and len(value) == 10 and value.isascii() and _ISO_DATE.fullmatch(value):
        try:  # the common case first: JSON's "YYYY-MM-DD"
            return dt.date.fromisoformat(value)
        except ValueError:
            raise ValueError(f"{value!r} is not a real calendar date") from None
    if isinstance(value, dt.datetime):
        raise ValueError("expected a date like 2024-03-01, not a date and time")
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            raise ValueError(f"{value!r} is not a real calendar date") from None
    raise ValueError(f"expected a date like 2024-03-01, got {value!r}")


# Assessment centres report scores, and PAK decrees credit points, to at most three decimals (the
# facts then decide whether a value is too precise to compare); the largest real value is a few
# thousand credit points. Anything beyond is a typing or export mistake, refused here with its field
# instead of failing deep in the arithmetic.
NUMBER_PLACES = 3
NUMBER_LIMIT = Decimal(1_000_000)
_LIMIT = 1_000_000  # the same as a plain int: comparing a float NaN with a Decimal raises


def decimal_before(value: Any) -> Any:
    # Numbers only (a quoted "78.5" is a typing mistake in the file, not a number); kept exact.
    kind = type(value)
    if kind is int and -_LIMIT < value < _LIMIT:  # the common cases first, same answers
        return Decimal(value)
    if kind is float and -_LIMIT < value < _LIMIT:  # (never NaN: it compares false)
        # repr is the shortest text of the float, the one str gives; it has no trailing zeros to normalise away
        # beyond "x.0", so its exponent is the places written.
        number = Decimal(repr(value))
        exponent = number.as_tuple().exponent
        if isinstance(exponent, int) and exponent < -NUMBER_PLACES:
            raise ValueError(f"at most {NUMBER_PLACES} decimal places, got {value}")
        return number
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise ValueError(f"expected a number, got {value!r}")
    if isinstance(value, int) and abs(value) >= NUMBER_LIMIT:
        raise ValueError(f"out of range: at most {NUMBER_LIMIT - 1:,} in size, got {value}")
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        raise ValueError(f"expected a number, got {value!r}") from None
    if not number.is_finite():
        raise ValueError(f"expected a finite number, got {value}")
    if abs(number) >= NUMBER_LIMIT:
        raise ValueError(f"out of range: at most {NUMBER_LIMIT - 1:,} in size, got {value}")
    exponent = number.normalize().as_tuple().exponent
    if isinstance(exponent, int) and exponent < -NUMBER_PLACES:
        raise ValueError(f"at most {NUMBER_PLACES} decimal places, got {value}")
    return number


def _schema(minimum: Decimal, maximum: Decimal) -> WithJsonSchema:
    # The published schema says what the validator accepts: a number (never a quoted one), in range.
    return WithJsonSchema(
        {
            "type": "number",
            "minimum": float(minimum),
            "maximum": float(maximum),
            "description": f"a number with at most {NUMBER_PLACES} decimal places (not quoted)",
        }
    )


_LOW, _HIGH = -NUMBER_LIMIT + Decimal("0.001"), NUMBER_LIMIT - Decimal("0.001")
# The pattern makes the form checked by validators that treat "format" as a note only (the default in 2020-12).
_DATE_SCHEMA = WithJsonSchema({"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"})
Date = Annotated[dt.date, BeforeValidator(date_before), _DATE_SCHEMA]
Number = Annotated[Decimal, BeforeValidator(decimal_before), Field(ge=_LOW, le=_HIGH), _schema(_LOW, _HIGH)]
Attained = Annotated[Decimal, BeforeValidator(decimal_before), Field(ge=0, le=5), _schema(Decimal(0), Decimal(5))]
Percent = Annotated[Decimal, BeforeValidator(decimal_before), Field(ge=0, le=200), _schema(Decimal(0), Decimal(200))]
# Histories are bounded by a career: about forty years give at most ~80 half-year appraisals and
# 17 ranks; these caps leave ample slack and keep a file duplicated into thousands of entries from
# costing minutes of evaluation.
HISTORY = 200


class Strict(BaseModel):
    """Unknown fields and loose types are errors, never silently accepted."""

    # Free texts (names, units, decree numbers) are short; 2,000 characters is far beyond any of them.
    model_config = ConfigDict(strict=True, extra="forbid", frozen=True, str_max_length=2000)
