"""Writing a decision as its record line: the JSON of ``DecisionRecord.of(decision)`` (sorted keys), byte for byte.

``check --format jsonl`` writes one line per candidate and most of a line is the same for every candidate of a
position (its requirement ids, the shape of the record, the ruleset) or shared by many (a requirement that
passed on the same value, the same reason a fact is missing). So the record model is not built per candidate:
the constant parts are turned to JSON once per layout, each distinct requirement part once per layout (looked
up by a key made in one pass over the decision's statuses, values and notes), and only the facts are dumped per
candidate. ``DecisionRecord`` stays the schema; a test checks this line against the model's JSON.

Each part is proven RFC 8785 or not where it is made (``engine.decide.proof``), so a line made only of proven
parts is known canonical as written and the audit path skips its own check (``proven``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import orjson
from pydantic_core import to_jsonable_python

from engine.compiler.layout import Layout, items_of
from engine.decide.decision import Decision, JpmCategory
from engine.decide.proof import NO_PROOF, Proof, in_bmp, note_arguments, provable, remember, values_provable
from engine.errors import EngineFault
from engine.facts.derive import Note
from engine.facts.vocabulary import display

_dumps = orjson.dumps
_get = dict.get
_SORTED = orjson.OPT_SORT_KEYS
_STRICT = orjson.OPT_SORT_KEYS | orjson.OPT_STRICT_INTEGER
# A value whose JSON follows from its type and equality alone; a requirement part is looked up by the value it
# shows, so a value of another type (a float's -0.0 equals 0.0, a Decimal's 5.0 equals 5) is shown afresh,
# except for durations and decimals, which are shown as numbers and so print equal values alike.
_PLAIN = frozenset({int, str, bool, type(None)})
# Distinct parts kept per layout before the memo starts afresh: a requirement part is about 150 bytes, a
# missing/invalid map or a JPM category 1-5 KB, and a population of millions has a long tail of each; the bounds
# keep a worker's memory flat (a few MB) while the common ones are met again within the next batches.
_MEMO_LIMIT = 20_000
_MAPS_LIMIT = 2_000
_NO_NOTES = NO_PROOF[1]
_EMPTY: tuple[bytes, Proof] = (b"{}", NO_PROOF)


def record_line(decision: Decision, *, prove: bool = True) -> bytes:
    """``DecisionRecord.of(decision)`` as one JSON line with sorted keys (without the trailing newline).

    ``prove``: when its writer proves the line RFC 8785 as it stands, ``engine.decide.proof.proven`` says so of the
    object returned (for recording it; a few µs a line, so a run that records nothing passes False)."""
    writer = decision.layout.compiled.get("line")
    if writer is None:
        writer = decision.layout.compiled["line"] = _Writer(decision.layout)
    line: bytes = writer.line(decision, prove)
    return line


def _jsonable(value: Any) -> Any:
    """What orjson cannot write itself, as pydantic's JSON mode writes it (a decimal as its exact text)."""
    return str(value) if isinstance(value, Decimal) else to_jsonable_python(value)


def _note(note: Note | None) -> dict[str, Any] | None:
    return None if note is None else {"args": note.args, "code": note.code}


def _folds(layout: Layout) -> list[tuple[int, int]] | None:
    """How ``_joined`` folds each group's children into it in place: (group, children count), last group first.

    In pre-order a group's subtree follows it, so once the groups after it are folded its children are the next
    entries and what is left at the end is the top level in order; checked here on the node indices, else None.
    """
    items = list(range(len(layout.nodes)))
    folds = []
    for index, _any, children in layout.groups:
        if children:
            end = index + 1 + len(children)
            if items[index : index + 1] != [index] or items[index + 1 : end] != list(children):
                return None
            del items[index + 1 : end]
            folds.append((index, len(children)))
    return folds if items == list(layout.top) else None


class _Writer:
    """The parts of a layout's record lines, compiled once; ``line`` fills in one decision."""

    def __init__(self, layout: Layout) -> None:
        nodes = layout.nodes
        self.size = len(nodes)
        self.indices = range(self.size)
        # Requirement parts: per node the JSON from its id to its end, by (index, status, type, value, note id)
        # (held per value types, see ``_requirements``);
        # a group's part starts after its children, which are joined in front of it.
        self.tables: dict[tuple[type, ...], list[dict[tuple[Any, ...], bytes]]] = {}
        self.count = 0  # parts held in the tables
        self.proves = False  # whether the parts are proven as they are made (once a line is asked to be)
        self.kept: dict[int, Note] = {}  # the notes whose ids are in keys above (so no other note takes the id)
        self.heads = [b'{"id":' + _dumps(n.req.id) + b',"note":' for n in nodes]
        self.spec = [n.spec for n in nodes]
        self.groups = [(i, b'{"children":[', children) for i, _any, children in layout.groups]
        self.top = layout.top
        self.folds = _folds(layout)
        plain = [i for i, n in enumerate(nodes) if n.spec is None or n.spec.kind not in ("months", "decimal")]
        self.plain: Callable[[tuple[Any, ...]], Any] = items_of(plain)
        self.unproven: set[bytes] = set()  # the parts in the tables above not proven RFC 8785
        self.noted: dict[bytes, frozenset[str]] = {}  # the parts above holding notes with arguments: their names
        self.names: set[str] = set()  # fact names found to lie in the BMP (see ``values_provable``)
        # a missing/invalid map by (names, note ids): its JSON, and its proof once asked for
        self.notes: dict[tuple[Any, ...], tuple[bytes, Proof | None]] = {}
        self.note_proofs: dict[int, tuple[Note, Proof]] = {}  # by note id (the note is held, so the id stays its)
        self.kept_maps: list[tuple[Note | None, ...]] = []
        self.dates: dict[tuple[dt.date, bytes], bytes] = {}
        self.jpms: dict[int, tuple[JpmCategory, bytes, Proof | None]] = {}
        self.own = b',"position":' + _dumps(layout.position.id) + b',"requirements":['
        self.position = {layout.position.id: self.own}
        self.middle = b'},"jpm":null' + self.own  # from the end of the facts to the first requirement, without JPM
        dumped = layout.ref.model_dump(mode="json")
        ruleset = _dumps(dumped, option=_SORTED)
        self.ruleset = layout.ref
        # the ruleset, and the ids and position written into the constant parts (strings, as the models type them)
        self.tail_proven = provable((dumped, layout.position.id, [n.req.id for n in nodes]))
        self.tail_notes = note_arguments(dumped)
        self.tails = {
            verdict: b'],"ruleset":' + ruleset + b',"verdict":' + _dumps(verdict) + b"}"
            for verdict in ("eligible", "needs_review", "not_eligible")
        }

    def line(self, decision: Decision, prove: bool = True) -> bytes:
        if prove and not self.proves:  # the parts kept so far were not proven: start afresh, proving them
            self._forget()
            self.proves = True
        facts = decision.facts
        candidate = decision.candidate
        jpm = decision.jpm
        # proven: every part written so far is RFC 8785 (strings and literals are; see engine.decide.proof)
        tail = self.tails.get(decision.verdict) if decision.ruleset is self.ruleset else None
        proven, noted = self.tail_proven, self.tail_notes
        if tail is None:
            dumped = decision.ruleset.model_dump(mode="json")
            proven, noted = provable(dumped) and isinstance(decision.verdict, str), note_arguments(dumped)
            tail = b'],"ruleset":' + _dumps(dumped, option=_SORTED) + b',"verdict":' + _dumps(decision.verdict) + b"}"
        position = self.position.get(decision.position)
        if position is None:
            position = b',"position":' + _dumps(decision.position) + b',"requirements":['
            proven = proven and isinstance(decision.position, str)
        if jpm is None and position is self.own:
            middle = self.middle
        elif jpm is None:
            middle = b'},"jpm":null' + position
        else:
            shown, jpm_proof = self._jpm(jpm, prove)
            middle = b'},"jpm":' + shown + position
            if jpm_proof is not None:
                proven = proven and jpm_proof[0]
                noted |= jpm_proof[1]
        # in the order the line reads, so that a value that cannot be written fails as the model's JSON does
        start = self._dated(decision.as_of, b'{"as_of":', b',"candidate":')
        who = _dumps({"file": candidate.file, "name": candidate.name, "nip": candidate.nip})
        invalid, missing = self._notes(facts.invalid, prove), self._notes(facts.missing, prove)
        try:  # integers checked in range (|n| < 2**53, as RFC 8785 requires) where they are written
            values = _dumps(facts.values, default=_jsonable, option=_STRICT)
        except orjson.JSONEncodeError:  # one is not, or a value cannot be written (raised again, as before)
            values = _dumps(facts.values, default=_jsonable, option=_SORTED)
            proven = False
        requirements, held, in_parts = self._requirements(decision, prove)
        line = b"".join(
            (
                start,
                who,
                self._dated(facts.as_of, b',"facts":{"as_of":', b',"invalid":'),
                invalid[0],
                b',"missing":',
                missing[0],
                b',"values":',
                values,
                middle,
                requirements,
                tail,
            )
        )
        if not (prove and proven and held and invalid[1] and missing[1]):
            return line
        (invalid_held, invalid_names), (missing_held, missing_names) = invalid[1], missing[1]
        if (
            invalid_held
            and missing_held
            and isinstance(candidate.file, str)
            and isinstance(candidate.name, str)
            and isinstance(candidate.nip, str)
            and values_provable(facts.values, values, self.names)
        ):
            return remember(line, noted | invalid_names | missing_names | in_parts)
        return line

    def _jpm(self, jpm: JpmCategory, prove: bool) -> tuple[bytes, Proof | None]:
        """The category's JSON and, when ``prove``, its proof (decide() shares one category per JPM value of a
        layout, so it is turned to JSON once, and proven once asked for)."""
        found = self.jpms.get(id(jpm))
        if found is None or found[0] is not jpm:
            if len(self.jpms) >= _MAPS_LIMIT:
                self.jpms.clear()
            found = self.jpms[id(jpm)] = (jpm, _dumps(jpm.model_dump(mode="json"), option=_SORTED), None)
        if prove and found[2] is None:
            dumped = jpm.model_dump(mode="json")
            found = self.jpms[id(jpm)] = (jpm, found[1], (provable(dumped), note_arguments(dumped)))
        return found[1], found[2]

    def _dated(self, date: dt.date, before: bytes, after: bytes) -> bytes:
        """``before``, the date's JSON, ``after``: the constant pieces around a date of the line, joined once."""
        key = (date, before)
        found = self.dates.get(key)
        if found is None:
            found = before + _dumps(date.isoformat()) + after
            if type(date) is dt.date:  # a datetime equals no date but prints apart: never kept
                if len(self.dates) >= _MAPS_LIMIT:
                    self.dates.clear()
                self.dates[key] = found
        return found

    def _notes(self, notes: dict[str, Note], prove: bool) -> tuple[bytes, Proof | None]:
        """A missing/invalid map's JSON and, when ``prove``, whether it is proven RFC 8785 with its notes' argument
        names (found once per map, when first asked for)."""
        if not notes:
            return _EMPTY
        key = (*notes, *map(id, notes.values()))  # names, then note ids (the count tells them apart)
        found = self.notes.get(key)
        if found is None:
            found = (_dumps({name: _note(n) for name, n in notes.items()}, option=_SORTED), None)
            if len(self.notes) >= _MAPS_LIMIT:
                self.notes.clear()
                self.kept_maps.clear()
            self.notes[key] = found
            self.kept_maps.append(tuple(notes.values()))
        if prove and found[1] is None:
            proofs = list(map(self._note_proof, notes.values()))
            held = all(map(in_bmp, notes)) and all(held for held, _names in proofs)
            found = self.notes[key] = (found[0], (held, _NO_NOTES.union(*(names for _held, names in proofs))))
        return found

    def _note_proof(self, note: Note) -> Proof:
        """Whether a note's JSON is proven RFC 8785, and its argument names (once per note: notes are shared)."""
        found = self.note_proofs.get(id(note))
        if found is None or found[0] is not note:
            if len(self.note_proofs) >= _MEMO_LIMIT:
                self.note_proofs.clear()
            found = self.note_proofs[id(note)] = (note, (provable(_note(note)), frozenset(note.args)))
        return found[1]

    def _requirements(self, decision: Decision, prove: bool) -> tuple[bytes, bool, frozenset[str]]:
        """The requirements' JSON, whether every part of it is proven RFC 8785 and (``prove``) its notes'
        argument names."""
        statuses, observed, notes = decision.statuses, decision.observed, decision.notes
        if not len(statuses) == len(observed) == len(notes) == self.size:
            raise EngineFault(f"{len(statuses)} statuses for the {self.size} requirements of {decision.position}")
        # The parts of one signature (every node's value type), per node by (status, value, note id): within a
        # signature a node's type is fixed, so this is the key (index, status, type, value, note id) in pieces.
        types = tuple(map(type, observed))
        table = self.tables.get(types)
        if table is None:
            if not _PLAIN.issuperset(self.plain(types)):
                return self._slow(statuses, observed, notes)
            if len(self.tables) >= _MAPS_LIMIT:
                self._forget()
            table = self.tables[types] = [{} for _ in self.indices]
        try:
            parts = list(map(_get, table, zip(statuses, observed, map(id, notes), strict=True)))
        except TypeError:  # a value that cannot be a key (a list): shown afresh
            return self._slow(statuses, observed, notes)
        # before the memo may be dropped below: the parts met before are proven unless kept as unproven, and
        # hold the notes kept with them
        held = not self.unproven or self.unproven.isdisjoint(parts)
        found = self.noted.keys() & parts if prove and self.noted else ()
        in_parts = _NO_NOTES.union(*map(self.noted.__getitem__, found)) if found else _NO_NOTES
        if not all(parts):  # a part not met before (parts are never empty)
            if self.count >= _MEMO_LIMIT:
                self._forget()
                table = self.tables[types] = [{} for _ in self.indices]
            for index, part in enumerate(parts):
                if part is None:
                    note = notes[index]
                    part, proven, noted = self._part(index, statuses[index], observed[index], note)
                    parts[index] = part
                    table[index][statuses[index], observed[index], id(note)] = part
                    self.count += 1
                    if note is not None:
                        self.kept[id(note)] = note
                    if not proven:
                        self.unproven.add(part)
                        held = False
                    if noted:
                        self.noted[part] = noted
                        in_parts |= noted
        return self._joined(parts), held, in_parts

    def _forget(self) -> None:
        self.tables.clear()
        self.kept.clear()
        self.unproven.clear()
        self.noted.clear()
        self.count = 0

    def _slow(
        self, statuses: tuple[Any, ...], observed: tuple[Any, ...], notes: tuple[Any, ...]
    ) -> tuple[bytes, bool, frozenset[str]]:
        made = [self._part(i, statuses[i], observed[i], notes[i]) for i in self.indices]
        joined = self._joined([part for part, _proven, _noted in made])
        return joined, all(proven for _part, proven, _noted in made), _NO_NOTES.union(*[n for _p, _h, n in made])

    def _joined(self, parts: list[Any]) -> bytes:
        # Groups children first (the layout lists them so): a group's children, then its own part.
        if self.folds is not None:
            for index, count in self.folds:
                end = index + 1 + count
                parts[index] = b'{"children":[' + b",".join(parts[index + 1 : end]) + b"]," + parts[index][1:]
                del parts[index + 1 : end]
            return b",".join(parts)
        for index, head, children in self.groups:
            if children:
                parts[index] = head + b",".join(map(parts.__getitem__, children)) + b"]," + parts[index][1:]
        return b",".join(map(parts.__getitem__, self.top))

    def _part(self, index: int, status: Any, value: Any, note: Note | None) -> tuple[bytes, bool, frozenset[str]]:
        """One requirement's JSON without its children (id, note, shown value, status), whether it is proven
        RFC 8785 (its id is a string) and its notes' argument names."""
        spec = self.spec[index]
        shown = to_jsonable_python(value if value is None or spec is None else display(spec, value))
        noted = None if note is None else _note(note)
        part = b"".join(
            (
                self.heads[index],
                b"null" if noted is None else _dumps(noted, option=_SORTED),
                b',"observed":',
                _dumps(shown, option=_SORTED),
                b',"status":',
                _dumps(status),
                b"}",
            )
        )
        if not self.proves:
            return part, True, _NO_NOTES  # not asked for (see ``line``)
        held, names = NO_PROOF if note is None else self._note_proof(note)
        proven = held and provable(shown) and provable(status)
        if isinstance(shown, dict | list):
            names |= note_arguments(shown)
        return part, proven, names
