"""The rule-file schema: rulesets, position classes, requirements, competency tables."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Discriminator, Field, SerializerFunctionWrapHandler, Tag, model_serializer

from engine.load.candidate import Date

Op = Literal["eq", "ne", "gt", "gte", "lt", "lte", "in", "not_in"]
Slug = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_.-]*$", max_length=80)]
Authority = Literal["PRESIDEN", "MENTERI_PANRB", "KEPALA_BKN", "PPK"]
Scalar = int | float | str | bool


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Text(Frozen):
    """A user-facing text in both languages."""

    en: Annotated[str, Field(min_length=1)]
    id: Annotated[str, Field(min_length=1)]

    def get(self, lang: str) -> str:
        return self.id if lang == "id" else self.en


class _Common(Frozen):
    id: Slug
    text: Text
    basis: Annotated[str, Field(min_length=1)] | None = None
    mandatory: bool = True
    waivable_by: tuple[Authority, ...] = ()


class Check(_Common):
    """One comparison of one fact with a threshold."""

    fact: str
    op: Op
    value: Scalar | list[Scalar]
    missing: Literal["fail", "review"] = "review"
    # Service-time facts count definitive appointments only; acting (Plt/Plh) service can be
    # included, or can send the requirement to the board when only acting service would meet it.
    acting: Literal["exclude", "include", "review"] = "exclude"
    # A failed comparison that is not final (a pending disciplinary examination) goes to the board
    # as `missing` instead of failing the candidate.
    on_fail: Literal["fail", "review"] = "fail"
    # A comparison that holds through an alternative no source settles (e.g. whether a skill-track JF counts as
    # experience at Pelaksana level) goes to the board as `missing` instead of passing.
    on_pass: Literal["pass", "review"] = "pass"

    @model_serializer(mode="wrap")
    def _dump(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        # Left out at its default so rulesets written before the field existed keep their content hash.
        data: dict[str, Any] = handler(self)
        if self.on_pass == "pass":
            data.pop("on_pass", None)
        return data


class AnyOf(_Common):
    any_of: Annotated[tuple[Requirement, ...], Field(min_length=2)]


class AllOf(_Common):
    all_of: Annotated[tuple[Requirement, ...], Field(min_length=2)]


def _shape(raw: Any) -> str:
    keys = raw.keys() if isinstance(raw, dict) else type(raw).model_fields.keys()
    return "any_of" if "any_of" in keys else "all_of" if "all_of" in keys else "check"


Requirement = Annotated[
    Annotated[Check, Tag("check")] | Annotated[AnyOf, Tag("any_of")] | Annotated[AllOf, Tag("all_of")],
    Discriminator(_shape),
]


class JpmPolicy(Frozen):
    """Which JPM category scheme a position records (domain.md §5.2) and whether JPM is capped at 100."""

    scheme: Literal["SELEKSI", "PEMETAAN"]
    cap_at_100: bool = False
    basis: Annotated[str, Field(min_length=1)]


class PositionClass(Frozen):
    id: Slug
    title: Text
    basis: Annotated[str, Field(min_length=1)]
    jpm: JpmPolicy | None = None
    # Why the class carries fewer than the discipline conditions (the `discipline` lint accepts it then).
    discipline_omitted: Text | None = None
    requirements: tuple[Requirement, ...] = ()

    @model_serializer(mode="wrap")
    def _dump(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        # Left out when absent so rulesets written before the field existed keep their content hash.
        data: dict[str, Any] = handler(self)
        if self.discipline_omitted is None:
            data.pop("discipline_omitted", None)
        return data


class CompetencyTable(Frozen):
    """Position class × competency → minimum level; expands to one requirement per cell."""

    basis: Annotated[str, Field(min_length=1)]
    missing: Literal["fail", "review"] = "review"
    waivable_by: tuple[Authority, ...] = ()
    # Rows whose levels no source confirms: a failed cell goes to the board (`missing`) instead of failing.
    unconfirmed: tuple[Slug, ...] = ()
    levels: dict[Slug, dict[str, Annotated[int, Field(strict=True)]]]


class RulesetHeader(Frozen):
    id: Slug
    version: Annotated[str, Field(min_length=1)]
    title: Text
    effective_from: Date
    effective_to: Date | None = None
    basis: tuple[str, ...] = Field(min_length=1)
    extends: Slug | None = None
    note: Text | None = None


class RuleFile(Frozen):
    """One rule file as written: a ruleset header, position classes, an optional competency table."""

    ruleset: RulesetHeader
    positions: tuple[PositionClass, ...] = ()
    competency_standards: CompetencyTable | None = None


class Ruleset(Frozen):
    """A ruleset resolved for use: overlays applied, tables expanded; what a decision cites and hashes."""

    id: str
    version: str
    title: Text
    effective_from: dt.date
    effective_to: dt.date | None
    basis: tuple[str, ...]
    layers: tuple[str, ...]
    positions: tuple[PositionClass, ...]

    def position(self, position_id: str) -> PositionClass | None:
        return next((p for p in self.positions if p.id == position_id), None)


AnyOf.model_rebuild()
AllOf.model_rebuild()
PositionClass.model_rebuild()
