"""Build the built-in unit lists from an unzipped release of the `vietnam-provinces` package.

A maintainer's tool, never needed at runtime: the application reads only the files it writes,
`satisfaction/units/data/vn-2024.csv[.gz]` and `vn-2025.csv[.gz]`, in the layout of the General
Statistics Office (GSO) list export: one row per commune, with the columns

    Tỉnh / Thành phố,Mã TP,Quận Huyện,Mã QH,Phường Xã,Mã PX,Cấp

Codes are zero-padded (province 2 digits, district 3, commune 5). A district without communes is
one row with empty commune columns; a two-tier list has empty district columns. A file larger
than about 1 MB is written gzip-compressed with mtime 0, so that the same input gives the same
bytes.

Usage (from the repository root):

    pip download --no-deps vietnam-provinces==0.6.0 -d wheels
    unzip -d x06 wheels/vietnam_provinces-0.6.0-*.whl
    python scripts/build_unit_datasets.py x06      # three tiers -> vn-2024
    python scripts/build_unit_datasets.py xnew     # a 2025.x release, two tiers -> vn-2025

Options: `--name` overrides the dataset name guessed from the tiers, `--out` the output folder.
Update satisfaction/units/data/SOURCES.md when a release changes.

The correspondence of the 2025 reform (old province -> new province, old commune -> new commune),
from an unzipped wheel of the `vietnamadminunits` package, checked against the two lists above:

    pip download --no-deps vietnamadminunits==1.0.4 -d wheels
    unzip -d xvau wheels/vietnamadminunits-1.0.4-*.whl
    python scripts/build_unit_datasets.py --correspondence xvau/vietnamadminunits

It writes vn-2024-to-vn-2025.csv (`level,old_code,new_code,split`) and
vn-2024-to-vn-2025.mismatches.csv (`kind,code,ours,theirs`), and prints the mismatches' counts.

The communes' centroids of both lists, from the same unzipped wheel (its `data/dataset.db`):

    python scripts/build_unit_datasets.py --centroids xvau/vietnamadminunits

It writes vn-2024.centroids.csv and vn-2025.centroids.csv (`code,lat,lon`, 4 decimals) and
centroids.mismatches.csv (`dataset,code,name,why`: our communes left without a point).
"""

import argparse
import csv
import gzip
import io
import json
import sys
from collections import Counter
from pathlib import Path

HEADER = ["Tỉnh / Thành phố", "Mã TP", "Quận Huyện", "Mã QH", "Phường Xã", "Mã PX", "Cấp"]
DATA_DIR = Path(__file__).resolve().parent.parent / "satisfaction" / "units" / "data"
GZIP_ABOVE = 1_000_000
# Longest first, so that "Thị trấn" is not taken for something shorter.
COMMUNE_KINDS = ("Thị trấn", "Đặc khu", "Phường", "Xã")
KIND_BY_TYPE = {"xã": "Xã", "phường": "Phường", "thị trấn": "Thị trấn", "đặc khu": "Đặc khu"}


def main(argv: list[str] | None = None) -> int:
    """Convert one release's nested-divisions.json to a GSO-layout file."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("release", type=Path, help="folder of an unzipped vietnam-provinces wheel")
    parser.add_argument("--name", help="dataset name (default: vn-2024 or vn-2025 by tiers)")
    parser.add_argument("--out", type=Path, default=DATA_DIR, help="output folder")
    parser.add_argument(
        "--correspondence",
        action="store_true",
        help="release is a vietnamadminunits package: write the correspondence",
    )
    parser.add_argument(
        "--centroids",
        action="store_true",
        help="release is a vietnamadminunits package: write the communes' centroids",
    )
    args = parser.parse_args(argv)
    if args.correspondence:
        return build_correspondence(args.release, args.out)
    if args.centroids:
        return build_centroids(args.release, args.out)
    provinces = json.loads(
        (args.release / "vietnam_provinces" / "data" / "nested-divisions.json").read_text("utf-8")
    )
    three_tiers = "districts" in provinces[0]
    name = args.name or ("vn-2024" if three_tiers else "vn-2025")
    rows = sorted(build_rows(provinces, three_tiers), key=lambda r: (r[1], r[3], r[5]))
    path = write(rows, args.out, name)
    print(f"{path.name}: {len(rows)} rows")
    return 0


def build_rows(provinces: list[dict], three_tiers: bool) -> list[list[str]]:
    """Return one row per commune (or per district without communes)."""
    rows: list[list[str]] = []
    for province in provinces:
        head = [province_name(province), f"{province['code']:02d}"]
        if not three_tiers:
            rows += [head + ["", ""] + commune(ward) for ward in province["wards"]]
            continue
        for district in province["districts"]:
            middle = [fix_case(district["name"]), f"{district['code']:03d}"]
            if not district["wards"]:
                rows.append(head + middle + ["", "", ""])
            rows += [head + middle + commune(ward) for ward in district["wards"]]
    return rows


def province_name(province: dict) -> str:
    """Return the full name as the GSO writes it ("Tỉnh Cao Bằng", "Thành phố Huế")."""
    name = fix_case(province["name"])
    # The 2025 releases drop "Tỉnh" from provinces' names but keep "Thành phố"; release 0.6.0
    # calls every province "tỉnh", cities included.
    if not name.startswith(("Tỉnh ", "Thành phố ")):
        name = "Tỉnh " + name
    return name


def fix_case(name: str) -> str:
    """Write the kind in sentence case, as in the rest of the list ("Thành Phố" -> "Thành phố")."""
    return "Thành phố" + name[len("Thành Phố") :] if name.startswith("Thành Phố") else name


def commune(ward: dict) -> list[str]:
    """Return the commune's name, code and kind."""
    name = ward["name"]
    # Release 0.6.0 gives division_type "xã" for every commune: the name's prefix is reliable.
    kind = next((k for k in COMMUNE_KINDS if name.startswith(k + " ")), None)
    kind = kind or KIND_BY_TYPE.get(ward["division_type"])
    if kind is None:
        raise SystemExit(f"Cannot tell the kind of commune {ward['code']} {name!r}")
    return [name, f"{ward['code']:05d}", kind]


def write(rows: list[list[str]], out: Path, name: str) -> Path:
    """Write the rows as CSV, gzipped when large, and remove the other variant."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(HEADER)
    writer.writerows(rows)
    data = buffer.getvalue().encode("utf-8")
    plain, packed = out / f"{name}.csv", out / f"{name}.csv.gz"
    if len(data) > GZIP_ABOVE:
        target, stale = packed, plain
        compressed = io.BytesIO()
        # No file name and mtime 0 in the gzip header: the same rows give the same bytes.
        with gzip.GzipFile(filename="", mode="wb", fileobj=compressed, mtime=0) as stream:
            stream.write(data)
        data = compressed.getvalue()
    else:
        target, stale = plain, packed
    out.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    stale.unlink(missing_ok=True)
    return target


def build_correspondence(package: Path, out: Path) -> int:
    """Write the vn-2024 -> vn-2025 correspondence and its mismatches; print what differs."""
    # The helper module sits beside this script, which is run as a file, not as a package.
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import unit_correspondence

    read = unit_correspondence.read_list
    lists = unit_correspondence.own_lists(
        read(_list_file(out, "vn-2024")), read(_list_file(out, "vn-2025"))
    )
    result = unit_correspondence.build(package, lists)
    name = "vn-2024-to-vn-2025"
    unit_correspondence.write_csv(out / f"{name}.csv", unit_correspondence.COLUMNS, result.rows)
    unit_correspondence.write_csv(
        out / f"{name}.mismatches.csv", unit_correspondence.MISMATCH_COLUMNS, result.mismatches
    )
    levels = Counter(row[0] for row in result.rows)
    print(f"{name}.csv: " + ", ".join(f"{n} {level}" for level, n in sorted(levels.items())))
    for kind, n in sorted(Counter(m[0] for m in result.mismatches).items()):
        print(f"  mismatch: {kind}: {n}")
    return 0


def build_centroids(package: Path, out: Path) -> int:
    """Write each list's communes' centroids and the communes left without one."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import unit_centroids
    import unit_correspondence

    read = unit_correspondence.read_list
    lists = unit_correspondence.own_lists(
        read(_list_file(out, "vn-2024")), read(_list_file(out, "vn-2025"))
    )
    found = unit_centroids.build(package, lists)
    write_csv = unit_correspondence.write_csv
    for name, points in (("vn-2024", found.old), ("vn-2025", found.new)):
        rows = unit_centroids.rows(points)
        write_csv(out / f"{name}.centroids.csv", unit_centroids.COLUMNS, rows)
        print(f"{name}.centroids.csv: {len(rows)} communes")
    write_csv(out / "centroids.mismatches.csv", unit_centroids.MISMATCH_COLUMNS, found.mismatches)
    for dataset, n in sorted(Counter(m[0] for m in found.mismatches).items()):
        print(f"  without a point: {dataset}: {n}")
    return 0


def _list_file(out: Path, name: str) -> Path:
    plain = out / f"{name}.csv"
    return plain if plain.exists() else out / f"{name}.csv.gz"


if __name__ == "__main__":
    sys.exit(main())
