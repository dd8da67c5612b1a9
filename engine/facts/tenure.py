"""Service-time facts: months in rank, of service, in each post (definitive and acting), in the skill-track JF
posts and across a penyetaraan conversion; CLTN leave taken out, and the day a running one counts from."""

from __future__ import annotations

import datetime as dt

from engine.facts.calendar import service_months, without_leave
from engine.facts.families import POST_KEYS
from engine.facts.model import Draft, dated, note
from engine.facts.scales import PENYETARAAN, POSTS
from engine.facts.selection import EVERYTHING, Selection
from engine.load.candidate import Candidate

Periods = list[tuple[dt.date, dt.date]]

_SKILL_TRACK = ("pemula", "terampil", "mahir", "penyelia")
_KEYS = {kind: kind.lower() for kind in POSTS.values}
_POST_NAMES = {key: (f"months_in_post.{key}", f"months_in_post_incl_acting.{key}") for key in POST_KEYS}
_POST_ORDER = {key: number for number, key in enumerate(POST_KEYS)}
# The JF jenjang each post converted by penyetaraan became, and the name of the fact summing both.
_CONVERTED_TO = {jenjang: post for post, jenjang in PENYETARAAN.items()}
_PENYETARAAN = tuple((post, f"months_in_post_with_penyetaraan.{post.lower()}") for post in PENYETARAAN)


def service(d: Draft, name: str, periods: Periods) -> None:
    """A service-time fact: the periods without unpaid leave (CLTN), in months, and its anchor if running."""
    if not periods:  # most posts were never held: nothing to count and nothing running
        d.values[name] = 0
        return
    if d.leaves:
        periods = [without_leave(start, end, d.leaves) for start, end in periods]
    elif len(periods) == 1:  # most facts: service_months of one period (its completed months), without the calls
        start, last = periods[0]
        if last <= start:
            d.values[name] = 0
            return
        d.values[name] = (last.year - start.year) * 12 + last.month - start.month - (last.day < start.day)
        if last == d.as_of:
            d.anchors[name] = start
        return
    months, anchor = service_months(periods, d.as_of)
    d.values[name] = months
    if anchor is not None:
        d.anchors[name] = anchor


def rank_and_service(c: Candidate, d: Draft, rank: bool = True, months_of_service: bool = True) -> None:
    """golongan, months_in_rank (the latest rank by TMT; of two on one day the later listed) and
    months_of_service (each part only when asked for)."""
    as_of = d.as_of
    if rank:
        latest = latest_tmt = None
        for entry in c.pangkat:
            tmt = entry.tmt
            if tmt <= as_of and (latest_tmt is None or tmt >= latest_tmt):
                latest, latest_tmt = entry, tmt
        if latest is not None:
            d.values["golongan"] = latest.golongan
            service(d, "months_in_rank", [(latest.tmt, as_of)])
        else:
            d.missing["golongan"] = d.missing["months_in_rank"] = dated("no_rank", as_of)
    if not months_of_service:
        return
    if c.tmt_cpns <= as_of:
        service(d, "months_of_service", [(c.tmt_cpns, as_of)])
    else:
        d.missing["months_of_service"] = note("cpns_after_date", tmt=c.tmt_cpns, date=as_of)


def positions(c: Candidate, d: Draft, only: Selection = EVERYTHING) -> dict[str, Periods]:
    """The months of each post (definitive, and with acting appointments), of the skill track, and the current
    post (the definitive one open on the date, the latest started); of the posts and the skill track only those
    ``only`` asks for. Returns the periods that count for each penyetaraan fact, which come later in the
    vocabulary."""
    as_of, values, anchors = d.as_of, d.values, d.anchors
    own: dict[str, Periods] = {}
    acting: dict[str, Periods] = {}
    converted: dict[str, Periods] = {}  # made when met: most files convert nothing
    current_start: dt.date | None = None  # of the current post
    current_key = ""
    for p in c.positions:
        start = p.tmt_start
        if start > as_of:
            continue
        end = p.tmt_end
        is_open = end is None or end > as_of
        span = (start, as_of if end is None or is_open else end)
        kind = p.jf_jenjang or p.jenis
        key = _KEYS.get(kind) or kind.lower()
        if p.appointment == "DEFINITIF":
            own.setdefault(key, []).append(span)
            if is_open and (current_start is None or start >= current_start):
                current_start, current_key = start, key
            # a post converted by penyetaraan, or the JF jenjang it became (only a JF has a jenjang)
            if p.jenis in PENYETARAAN:
                converted.setdefault(p.jenis, []).append(span)
            elif p.via_penyetaraan and p.jf_jenjang in _CONVERTED_TO:
                converted.setdefault(_CONVERTED_TO[p.jf_jenjang], []).append(span)
        else:
            acting.setdefault(key, []).append(span)
    values.update(only.never_held)  # every post at 0 in vocabulary order; the posts held overwrite theirs in place
    keys = only.posts
    held_keys = [key for key in (own.keys() | acting.keys() if acting else own) if key in keys]
    for key in sorted(held_keys, key=_POST_ORDER.__getitem__) if len(held_keys) > 1 else held_keys:
        name, acting_name = _POST_NAMES[key]
        held = own.get(key, [])
        plt = acting.get(key)
        service(d, name, held)
        if plt is None:  # nothing acting: the same periods, the same months and anchor
            values[acting_name] = values[name]
            if name in anchors:
                anchors[acting_name] = anchors[name]
        else:
            service(d, acting_name, held + plt)
    if "skill_track" not in only.steps:
        pass
    elif own.keys().isdisjoint(_SKILL_TRACK):  # never on the skill track: as service() counts no period
        values["months_in_jf_keterampilan"] = 0
    else:
        service(d, "months_in_jf_keterampilan", [span for key in _SKILL_TRACK for span in own.get(key, ())])
    if current_start is not None:
        values["current_post"] = current_key.upper()
    else:
        d.missing["current_post"] = dated("no_current_post", as_of)
    return converted


def penyetaraan(d: Draft, converted: dict[str, Periods]) -> None:
    """Definitive service in ADMINISTRATOR/PENGAWAS plus the JF jenjang it was converted to by penyetaraan
    (PermenPANRB 17/2021)."""
    for post, name in _PENYETARAAN:
        periods = converted.get(post)
        if periods:
            service(d, name, periods)
        else:  # as service() counts no period
            d.values[name] = 0
