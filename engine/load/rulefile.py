"""The rule-file schema and its typed form: rulesets, position classes, requirements, conditions, thresholds.

Top-level requirements (``Requirement``: TopCheck, TopAnyOf, TopAllOf) carry ``mandatory`` and ``waivable_by``;
conditions nested in any_of/all_of (``Condition``: Check, AnyOf, AllOf) refuse them. Every node has ``children``
and ``kind``; a check has its threshold parsed (``threshold``, ``encoded``) and its fact resolved (``reads``,
``acting_reads``) as properties, so ``model_dump`` (what is hashed and stored) is the fields as written.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from typing import Annotated, Any, ClassVar, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    SerializerFunctionWrapHandler,
    Tag,
    ValidationInfo,
    field_validator,
    model_serializer,
    model_validator,
)
from pydantic_core import PydanticCustomError

from engine.errors import EngineFault
from engine.facts.vocabulary import FactSpec
from engine.load.thresholds import Threshold, acting_fact, frozen_value, spec_of, threshold_of
from engine.load.values import Date

Op = Literal["eq", "ne", "gt", "gte", "lt", "lte", "in", "not_in"]
Slug = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_.-]*$", max_length=80)]
Authority = Literal["PRESIDEN", "MENTERI_PANRB", "KEPALA_BKN", "PPK"]
Scalar = int | float | str | bool
Basis = Annotated[str, Field(min_length=1)]
Loc = tuple[str | int, ...]
Kind = Literal["check", "any_of", "all_of"]


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Text(Frozen):
    """A user-facing text in both languages."""

    en: Annotated[str, Field(min_length=1)]
    id: Annotated[str, Field(min_length=1)]

    def get(self, lang: str) -> str:
        return self.id if lang == "id" else self.en


class DatedValue(Frozen):
    """One value of a dated threshold: in force from ``from`` (to ``to``, else until the next entry starts)."""

    start: Date = Field(alias="from")
    end: Date | None = Field(default=None, alias="to")
    value: Scalar | list[Scalar]
    basis: Basis | None = None
    text: Text | None = None


def _value_shape(raw: Any) -> str:
    if isinstance(raw, list | tuple) and any(isinstance(item, dict | DatedValue) for item in raw):
        return "dated"
    return "plain"


Value = Annotated[
    Annotated[Scalar | list[Scalar], Tag("plain")] | Annotated[tuple[DatedValue, ...], Tag("dated")],
    Discriminator(_value_shape),
]


class _Node(Frozen):
    """What every node of a requirement tree has; ``mandatory``/``waivable_by`` mean something at the top only."""

    id: Slug
    text: Text
    basis: Basis | None = None
    # Kept on nested conditions only at their fixed values, so that stored rulesets read back unchanged.
    mandatory: bool = True
    waivable_by: tuple[Authority, ...] = ()

    top_level: ClassVar[bool] = False
    kind: ClassVar[Kind] = "check"

    @field_validator("mandatory", "waivable_by")
    @classmethod
    def _top_only(cls, value: Any, info: ValidationInfo) -> Any:
        if not cls.top_level and value != (True if info.field_name == "mandatory" else ()):
            raise PydanticCustomError(
                "top_level_only",
                "'{field}' applies only to top-level requirements, not inside any_of/all_of",
                {"field": info.field_name},
            )
        return value

    @property
    def children(self) -> tuple[Condition, ...]:
        return ()


class Check(_Node):
    """One comparison of one fact with a threshold (nested inside any_of/all_of; TopCheck at the top)."""

    fact: str
    op: Op
    value: Value
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

    @property
    def dated(self) -> tuple[DatedValue, ...]:
        """The dated values as written (empty for a plain value); a resolved ruleset has none."""
        return self.value if isinstance(self.value, tuple) else ()

    @property
    def parsed(self) -> Threshold:
        if isinstance(self.value, tuple):
            raise EngineFault(f"check '{self.id}' has dated values: resolve the ruleset for a date first")
        return threshold_of(self.fact, self.op, frozen_value(self.value))

    @property
    def threshold(self) -> Any:
        """The threshold in the fact's native type (a list for in/not_in); parsed once per written value."""
        return self.parsed.native

    @property
    def encoded(self) -> int | tuple[int, ...]:
        """The threshold as the engines compare it (ranks, hundredths, months, 0/1)."""
        return self.parsed.encoded

    @property
    def spec(self) -> FactSpec:
        return spec_of(self.fact)

    @property
    def reads(self) -> str:
        """The fact the check compares: acting service included when the rule says ``acting: include``."""
        return acting_fact(self.fact) if self.acting == "include" else self.fact

    @property
    def acting_reads(self) -> str:
        """With ``acting: review``, the fact that counts acting service too (compared as well); else ''."""
        return acting_fact(self.fact) if self.acting == "review" else ""


class AnyOf(_Node):
    """Alternatives: one passing is enough."""

    kind: ClassVar[Kind] = "any_of"
    any_of: Annotated[tuple[Condition, ...], Field(min_length=2)]

    @property
    def children(self) -> tuple[Condition, ...]:
        return self.any_of


class AllOf(_Node):
    """Parts: every one must pass."""

    kind: ClassVar[Kind] = "all_of"
    all_of: Annotated[tuple[Condition, ...], Field(min_length=2)]

    @property
    def children(self) -> tuple[Condition, ...]:
        return self.all_of


class TopCheck(Check):
    """A check that is a requirement of a position class."""

    top_level: ClassVar[bool] = True


class TopAnyOf(AnyOf):
    top_level: ClassVar[bool] = True


class TopAllOf(AllOf):
    top_level: ClassVar[bool] = True


def _shape(raw: Any) -> str:
    # anything else than a mapping (or a model) is left to the "check" shape to report as not a mapping
    keys = raw.keys() if isinstance(raw, dict) else getattr(type(raw), "model_fields", {}).keys()
    return "any_of" if "any_of" in keys else "all_of" if "all_of" in keys else "check"


Condition = Annotated[
    Annotated[Check, Tag("check")] | Annotated[AnyOf, Tag("any_of")] | Annotated[AllOf, Tag("all_of")],
    Discriminator(_shape),
]
Requirement = Annotated[
    Annotated[TopCheck, Tag("check")] | Annotated[TopAnyOf, Tag("any_of")] | Annotated[TopAllOf, Tag("all_of")],
    Discriminator(_shape),
]
RuleNode = Check | AnyOf | AllOf  # any node of a tree, top-level or nested (Top* are subclasses)


def walk(nodes: Iterable[RuleNode], loc: Loc = ()) -> Iterator[tuple[RuleNode, Loc]]:
    """Every node in pre-order with its field path below ``loc`` (``(…, 3, "any_of", 0)``)."""
    for index, node in enumerate(nodes):
        here = (*loc, index)
        yield node, here
        yield from walk(node.children, (*here, node.kind))


def checks(nodes: Iterable[RuleNode]) -> list[Check]:
    """Every check of a requirement tree, depth first."""
    return [node for node, _loc in walk(nodes) if isinstance(node, Check)]


class JpmPolicy(Frozen):
    """Which JPM category scheme a position records and whether JPM is capped at 100."""

    scheme: Literal["SELEKSI", "PEMETAAN"]
    cap_at_100: bool = False
    basis: Basis


class PositionClass(Frozen):
    """A position class as decided: its requirements in order."""

    id: Slug
    title: Text
    basis: Basis
    jpm: JpmPolicy | None = None
    # Why the class carries fewer than the discipline conditions (the `discipline` lint accepts it then).
    discipline_omitted: Text | None = None
    requirements: tuple[Requirement, ...] = ()

    @model_serializer(mode="wrap")
    def _dump(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        # Left out when absent so rulesets written before the fields existed keep their content hash (``after``:
        # a class as written, PositionDef).
        data: dict[str, Any] = handler(self)
        for name in ("discipline_omitted", "after"):
            if not data.get(name):
                data.pop(name, None)
        return data

    def checks(self) -> list[Check]:
        return checks(self.requirements)


class PositionDef(PositionClass):
    """A position class as written: it may take another class's requirements (``extends``), replace them by
    id (a requirement with the same id), add new ones and ``remove`` some by id."""

    extends: Slug | None = None
    remove: tuple[Slug, ...] = ()
    # Where a requirement goes (id → the id it follows); added ones otherwise come after the base's.
    after: dict[Slug, Slug] = Field(default_factory=dict)

    @model_validator(mode="before")
    @classmethod
    def _from_resolved(cls, raw: Any) -> Any:
        # A resolved class (from a stored ruleset) reads as written: it extends nothing and removes nothing.
        is_resolved = isinstance(raw, PositionClass) and not isinstance(raw, PositionDef)
        return {name: getattr(raw, name) for name in PositionClass.model_fields} if is_resolved else raw

    def resolved(self, requirements: tuple[Requirement, ...] | None = None) -> PositionClass:
        fields = {name: getattr(self, name) for name in PositionClass.model_fields}
        if requirements is not None:
            fields["requirements"] = requirements
        return PositionClass.model_construct(**fields)


class CompetencyTable(Frozen):
    """Position class × competency → minimum level; expands to one requirement per cell."""

    basis: Basis
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
    positions: tuple[PositionDef, ...] = ()
    competency_standards: CompetencyTable | None = None


class Ruleset(Frozen):
    """A ruleset resolved for one date: overlays applied, tables expanded, classes extended, the dated values
    in force chosen; what a decision cites and hashes."""

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
TopAnyOf.model_rebuild()
TopAllOf.model_rebuild()
