"""Build the vn-2024 -> vn-2025 correspondence from an unzipped `vietnamadminunits` wheel.

Used by build_unit_datasets.py (`--correspondence FOLDER`); never needed at runtime. The package's
`data/converter_2025.json` says which old provinces form each new one and which old communes form
each new commune (a commune split between new ones names the one that took its seat, the
"default" new ward); its `data/dataset.db` gives every key its GSO code and name. The result is
checked against the project's own lists (vn-2024.csv, vn-2025.csv): old communes by code, new
communes by province and name (the package's new codes do not all follow Decision 19/2025), and
every difference is returned as a mismatch row.
"""

import csv
import gzip
import json
import re
import sqlite3
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}  # grave, acute, tilde, hook, dot below
COLUMNS = ["level", "old_code", "new_code", "split"]
MISMATCH_COLUMNS = ["kind", "code", "ours", "theirs"]


def name_key(name: str) -> str:
    """Return a name folded for matching: case, spaces, hyphens, quotes, tone-mark placement."""
    name = name.replace("\u2019", "'").replace("\u2018", "'")
    words = re.sub(r"[\s\-–]+", " ", name).strip().lower().split(" ")
    folded = []
    for word in words:
        marks = unicodedata.normalize("NFD", word)
        tones = "".join(c for c in marks if c in TONES)
        folded.append("".join(c for c in marks if c not in TONES) + tones)
    return " ".join(folded)


@dataclass
class Lists:
    """The project's own lists: old communes, old provinces, new communes and new provinces."""

    old_communes: dict[str, tuple[str, str, str]]  # code -> (name, district code, province code)
    old_districts: dict[str, tuple[str, str]]  # code -> (name, province code)
    old_provinces: dict[str, str]
    new_communes: dict[str, tuple[str, str]]  # code -> (name, province code)
    new_provinces: dict[str, str]


def read_list(path: Path) -> list[list[str]]:
    """Return the rows of a GSO-layout file (plain or gzipped), header dropped."""
    raw = gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()
    return list(csv.reader(raw.decode("utf-8").splitlines()))[1:]


def own_lists(old_rows: list[list[str]], new_rows: list[list[str]]) -> Lists:
    """Index the project's two lists."""
    lists = Lists({}, {}, {}, {}, {})
    for province, p_code, district, d_code, commune, c_code, _kind in old_rows:
        lists.old_provinces[p_code] = province
        lists.old_districts[d_code] = (district, p_code)
        if c_code:
            lists.old_communes[c_code] = (commune, d_code, p_code)
    for province, p_code, _d, _dc, commune, c_code, _kind in new_rows:
        lists.new_provinces[p_code] = province
        lists.new_communes[c_code] = (commune, p_code)
    return lists


@dataclass
class Result:
    """The correspondence rows and the mismatches found building them."""

    rows: list[tuple[str, str, str, int]] = field(default_factory=list)
    mismatches: list[tuple[str, str, str, str]] = field(default_factory=list)

    def mismatch(self, kind: str, code: str, ours: str, theirs: str) -> None:
        """Record one difference between the project's lists and the package."""
        self.mismatches.append((kind, code, ours, theirs))


def build(package: Path, lists: Lists) -> Result:
    """Return the correspondence of every old province and commune, and the mismatches."""
    data = json.loads((package / "data" / "converter_2025.json").read_text("utf-8"))
    db = sqlite3.connect(package / "data" / "dataset.db")
    result = Result()
    provinces = _provinces(db, data["DICT_PROVINCE"], lists, result)
    new_code = _new_communes(db, lists, result)
    old_code = _old_communes(db, lists, result)
    pairs: dict[str, tuple[str, int]] = {}
    for new_province, wards in data["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
        for ward, olds in wards.items():
            for old in olds:
                pairs[old] = (new_code.get((new_province, ward), ""), 0)
    for new_province, olds in data["DICT_PROVINCE_WARD_DIVIDED"].items():
        for old, candidates in olds.items():
            seat = next(c["newWardKey"] for c in candidates if c["isDefaultNewWard"])
            pairs[old] = (new_code.get((new_province, seat), ""), 1)
    result.rows += [("province", old, new, 0) for old, new in sorted(provinces.items())]
    _commune_rows(pairs, old_code, provinces, lists, result)
    return result


def _provinces(db, groups: dict, lists: Lists, result: Result) -> dict[str, str]:
    """Return new province code by old province code, checking both lists' names."""
    old = dict(db.execute("SELECT DISTINCT provinceKey, provinceCode FROM admin_units_legacy"))
    new = dict(db.execute("SELECT DISTINCT provinceKey, provinceCode FROM admin_units"))
    found = {old[key]: new[new_key] for new_key, keys in groups.items() for key in keys}
    for code in sorted(set(lists.old_provinces) - set(found)):
        result.mismatch("old province missing", code, lists.old_provinces[code], "")
    for code in sorted(set(lists.new_provinces) - set(found.values())):
        result.mismatch("new province formed of nothing", code, lists.new_provinces[code], "")
    return found


def _new_communes(db, lists: Lists, result: Result) -> dict[tuple[str, str], str]:
    """Return our new commune code by the package's (province key, ward key)."""
    ours = {(p, name_key(n)): code for code, (n, p) in lists.new_communes.items()}
    found = {}
    query = "SELECT provinceKey, wardKey, provinceCode, wardCode, ward FROM admin_units"
    for p_key, w_key, p_code, w_code, name in db.execute(query):
        code = ours.get((p_code, name_key(name)))
        if code is None:
            result.mismatch("new commune not in our list", w_code, "", f"{name} ({p_code})")
            continue
        if code != w_code:
            result.mismatch("new commune code differs (matched by name)", code,
                            lists.new_communes[code][0], f"{w_code} {name}")  # fmt: skip
        found[(p_key, w_key)] = code
    return found


def _old_communes(db, lists: Lists, result: Result) -> dict[str, str]:
    """Return our old commune (or island district) code by the package's full key."""
    by_place = {(d, name_key(n)): code for code, (n, d, _p) in lists.old_communes.items()}
    found = {}
    query = """SELECT provinceKey, districtKey, wardKey, districtCode, wardCode, ward
               FROM admin_units_legacy"""
    for p_key, d_key, w_key, d_code, w_code, name in db.execute(query):
        key = f"{p_key}_{d_key}_{w_key or ''}"
        if w_code is None:  # an island district without communes: it became a special zone
            found[key] = "D" + d_code
            continue
        ours = lists.old_communes.get(w_code)
        if ours is None:
            code = by_place.get((d_code, name_key(name)))
            kind = "old commune code differs (matched by district and name)" if code else ""
            ours_name = lists.old_communes[code][0] if code else ""
            kind = kind or "old commune not in our list"
            result.mismatch(kind, code or w_code, ours_name, f"{w_code} {name}")
            if code is None:
                continue
            w_code = code
        elif name_key(ours[0]) != name_key(name):
            result.mismatch("old commune name differs", w_code, ours[0], name)
        found[key] = w_code
    return found


def _commune_rows(
    pairs: dict[str, tuple[str, int]],
    old_code: dict[str, str],
    provinces: dict[str, str],
    lists: Lists,
    result: Result,
) -> None:
    """Add one row per old commune (and island district), checking provinces agree."""
    mapped: dict[str, tuple[str, int]] = {}
    for key, (new, split) in pairs.items():
        old = old_code.get(key)
        if old is None or not new:
            continue
        mapped[old] = (new, split)
    for old, (new, split) in sorted(mapped.items()):
        level = "district" if old.startswith("D") else "commune"
        code = old.removeprefix("D")
        province = (lists.old_districts[code][1] if level == "district"
                    else lists.old_communes[code][2])  # fmt: skip
        if provinces.get(province) != lists.new_communes[new][1]:
            result.mismatch("new commune outside the new province", code, province, new)
        result.rows.append((level, code, new, split))
    for code in sorted(set(lists.old_communes) - set(mapped)):
        result.mismatch("old commune without a new commune", code, lists.old_communes[code][0], "")
    received = {new for new, _split in mapped.values()}
    for code in sorted(set(lists.new_communes) - received):
        result.mismatch(
            "new commune no old commune counts in", code, lists.new_communes[code][0], ""
        )


def write_csv(path: Path, header: list[str], rows: list[tuple]) -> None:
    """Write rows as a UTF-8 CSV with a header."""
    with path.open("w", encoding="utf-8", newline="") as target:
        writer = csv.writer(target, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
