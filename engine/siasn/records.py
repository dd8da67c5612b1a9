"""Mapping SIASN performance, sanction and training records to candidate-file entries."""

from __future__ import annotations

import datetime as dt
import re

from engine.facts.calendar import add_months
from engine.siasn.histories import Entry, Import
from engine.siasn.inputs import Response
from engine.siasn.tables import rows, table
from engine.siasn.values import Reader


def _year(r: Reader) -> str | None:
    year = r.text("tahun")
    if year is None or not re.fullmatch(r"(19|20)\d{2}", year):
        r.skip("tahun")
        return None
    return year


def skp22(imp: Import, response: Response) -> list[Entry]:
    """Annual ratings from 2022 (PermenPANRB 6/2022): the predikat is recomputed from the two ratings."""
    ratings, kuadran = rows("predikat", "rating"), rows("predikat", "kuadran")
    matrix = rows("predikat", "matrix")
    out: list[Entry] = []
    for record in response.data:
        r = imp.reader(response, record)
        year = _year(r)
        if year is None:
            continue
        # The capitalised keys are genuine (PerilakuKerjaNilai, KuadranKinerjaNilai); lower case is accepted too.
        hasil = r.code("hasilKinerjaNilai", ratings, "hasil_kerja")[1]
        perilaku = r.code(
            "PerilakuKerjaNilai" if "PerilakuKerjaNilai" in record else "perilakuKerjaNilai", ratings, "perilaku"
        )[1]
        stored_code, stored = r.code(
            "KuadranKinerjaNilai" if "KuadranKinerjaNilai" in record else "kuadranKinerjaNilai", kuadran, "kuadran"
        )
        entry: Entry = {"period": year, "scheme": "PERMENPANRB_6_2022"}
        if hasil and perilaku:
            computed = matrix[hasil][perilaku]
            if stored is not None and stored != computed:
                r.add(
                    "disagreement",
                    "predikat_differs",
                    "KuadranKinerjaNilai",
                    stored=f"{stored_code} {stored}",
                    computed=computed,
                    hasil=hasil,
                    perilaku=perilaku,
                )
                entry["missing_reason"] = "SOURCE_CONFLICT"
            else:
                entry["rating_hasil_kerja"], entry["rating_perilaku"] = hasil, perilaku
        elif stored is not None:
            entry["predikat"] = stored
        else:
            r.skip("KuadranKinerjaNilai")
            continue
        entry["source"] = imp.source(r)
        out.append(entry)
    return out


def skp_legacy(imp: Import, response: Response) -> list[Entry]:
    """Numeric SKP scores up to 2021; the scheme follows from the year (the regulation code is unpublished)."""
    out: list[Entry] = []
    for record in response.data:
        r = imp.reader(response, record)
        year = _year(r)
        scheme = next(
            (
                band["scheme"]
                for band in table("skp_scheme")["years"]
                if year and band["from"] <= int(year) <= band["to"]
            ),
            None,
        )
        score = r.decimal("nilaiPrestasiKerja", "nilairatarata")
        if year is None or scheme is None or score is None:
            if year is not None:
                r.skip("tahun" if scheme is None else "nilaiPrestasiKerja")
            continue
        out.append({"period": year, "scheme": scheme, "numeric_score": score, "source": imp.source(r, ["scheme"])})
    return out


def sanctions(imp: Import, response: Response) -> list[Entry]:
    spec = table("jenis_hukuman")
    out: list[Entry] = []
    for record in response.data:
        r = imp.reader(response, record)
        _code, kind = r.code("jenisHukuman", spec["table"], "jenis_hukuman")
        decided = r.date("skTanggal")
        if kind is None or decided is None:
            r.skip("jenisHukuman" if kind is None else "skTanggal")
            imp.not_recorded.add("discipline")
            continue
        inferred: list[str] = []
        _lcode, level = r.code("jenisTingkatHukumanId", spec["levels"], "tingkat_hukuman")
        if level is None:
            inferred.append("level")
        elif level != kind["level"]:
            r.add(
                "disagreement", "sanction_level_differs", "jenisTingkatHukumanId", stored=level, expected=kind["level"]
            )
        regulation = kind.get("regulation") or ("PP94_2021" if decided >= spec["pp94_from"] else "PP53_2010")
        entry: Entry = {"level": kind["level"], "type": kind["type"], "regulation": regulation, "decided": decided}
        start = r.date("hukumanTanggal")
        if start is not None:
            entry["effective_start"] = start
        end = r.date("akhirHukumTanggal")
        months = _months(r)
        if end is None and start is not None and months:
            end, inferred = add_months(start, months) - dt.timedelta(days=1), [*inferred, "effective_end"]
        if end is not None:
            entry["effective_end"] = end
        annulled = r.text("skPembatalanNomor") or r.date("skPembatalanTanggal")
        entry["status"] = "ANNULLED" if annulled else "DECIDED"
        entry["source"] = imp.source(r, inferred)
        out.append(entry)
    return out


def _months(r: Reader) -> int:
    years, months = r.text("masaTahun"), r.text("masaBulan")
    total = 0
    for value, factor, key in ((years, 12, "masaTahun"), (months, 1, "masaBulan")):
        if value is None:
            continue
        if not value.isdigit():
            r.add("unmapped", "bad_number", key, value=value)
            return 0
        total += int(value) * factor
    return total


def trainings(imp: Import, response: Response, structural: bool) -> list[Entry]:
    """rw-diklat (structural, latihanStrukturalId) or rw-kursus (courses, jenisDiklatId)."""
    spec = table("training")
    key, codes = (
        ("latihanStrukturalId", spec["latihan_struktural"]) if structural else ("jenisDiklatId", spec["jenis_diklat"])
    )
    name_keys = ("latihanStrukturalNama", "nama") if structural else ("namaKursus", "jenisKursusNama")
    out: list[Entry] = []
    for record in response.data:
        r = imp.reader(response, record)
        name = r.text(*name_keys)
        code, kind = r.code(key, codes, key)
        inferred: list[str] = []
        by_name = _by_name(name, spec["names"])
        if by_name is not None and by_name != kind:
            kind, inferred = by_name, ["type"]
        if kind is None:
            if code is not None and code not in codes:
                imp.not_recorded.add("trainings")
            continue
        passed = r.date("tanggalSelesai", "tanggal") if structural else r.date("tanggalSelesaiKursus", "tanggalKursus")
        if passed is None:
            r.skip("tanggalSelesai" if structural else "tanggalSelesaiKursus")
            imp.not_recorded.add("trainings")
            continue
        entry: Entry = {"type": kind, "passed": passed}
        if name:
            entry["name"] = name
        entry["source"] = imp.source(r, inferred)
        out.append(entry)
    return out


def _by_name(name: str | None, patterns: list[dict[str, str]]) -> str | None:
    if not name:
        return None
    upper = " ".join(name.upper().split())
    for pattern in patterns:
        if pattern["contains"] in upper:
            return pattern["type"]
    return None
