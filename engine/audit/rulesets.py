"""Rulesets stored in the audit log, parsed once each, and the layouts rebuilt from them through a cache."""

from __future__ import annotations

from collections.abc import Callable

import orjson
from pydantic import ValidationError

from engine.compiler.layout import Layout, LayoutCache
from engine.errors import InputError, Problem
from engine.load.rulefile import Ruleset


class RulesetUnavailable(InputError):
    """A record's ruleset is not stored, or its stored body does not read as a ruleset."""

    def __init__(self, digest: str, field: str, detail: str) -> None:
        self.digest, self.field, self.detail = digest, field, detail
        super().__init__(
            [
                Problem(
                    code="ruleset_unavailable",
                    path=f"audit_rulesets[{digest[:12]}]",
                    message=detail,
                    hint="`layak audit verify` checks every record and stored ruleset",
                )
            ]
        )


class StoredRulesets:
    """The rulesets of one audit store by content hash; ``layouts`` is shared with whoever decides again."""

    def __init__(self, body: Callable[[str], str | None], layouts: LayoutCache | None = None) -> None:
        self._body = body
        self.layouts = layouts if layouts is not None else LayoutCache()
        self._parsed: dict[str, Ruleset | RulesetUnavailable] = {}

    def ruleset(self, digest: str) -> Ruleset:
        """The stored ruleset with this hash; ``RulesetUnavailable`` if it is missing or unreadable."""
        found = self._parsed.get(digest)
        if found is None:
            found = self._parsed[digest] = self._parse(digest)
        if isinstance(found, RulesetUnavailable):
            raise found
        return found

    def layout(self, digest: str, position_id: str) -> Layout:
        """The layout of a recorded decision, rebuilt from its stored ruleset (once per hash and position)."""
        ruleset = self.ruleset(digest)
        if ruleset.position(position_id) is None:
            raise RulesetUnavailable(
                digest, "position", f"stored ruleset {digest[:12]} has no position class '{position_id}'"
            )
        return self.layouts.get(ruleset, digest, position_id)

    def _parse(self, digest: str) -> Ruleset | RulesetUnavailable:
        body = self._body(digest)
        if body is None:
            return RulesetUnavailable(digest, "stored", f"ruleset {digest[:12]} is not stored")
        try:
            return Ruleset.model_validate(orjson.loads(body))
        except (orjson.JSONDecodeError, ValidationError) as error:
            return RulesetUnavailable(digest, "readable", str(error).splitlines()[0])
