"""Benchmark: import a 50,000-row household workbook (.xlsx) into a fresh database.

    python bench/registry_import.py [--rows 50000] [--peer-sample 2000] [--database-url URL]

The workbook is the demo county's synthetic population in the import template's shape. Timed
stages: reading the upload, the dry-run preview, and the import (which checks again and writes
in one transaction). Prints the time per stage, the peak memory of the whole process (which also
built the workbook; `rss_before_read_mib` is the resident memory when reading starts) and writes
bench/results/registry_import.json. The peer is how such imports are commonly written: openpyxl
reads the rows, each row is validated on its own (ID number, region, duplicates, each a query)
and saved through the ORM; it runs on a sample (rolled back) and is reported per row. `ratio` is
how many times faster our read + preview + import is per row than the peer's read + validate +
save, so our figure includes a second validation pass that the peer does not have.
"""

import argparse
import io
import json
import os
import secrets
import sys
import tempfile
import time
from pathlib import Path

from generator import PERSONS_PER_HOUSEHOLD, peak_rss_mib, setup_django

RESULTS = Path(__file__).resolve().parent / "results" / "registry_import.json"


def build_workbook(rows: int) -> bytes:
    from minzheng import demo
    from minzheng.registry import importer, tabular
    from minzheng.registry.synthetic import generate

    demo.load_demo_regions()
    villages = demo.county_villages(demo.DEMO_COUNTY)
    population = generate(
        villages, households=int(rows / PERSONS_PER_HOUSEHOLD * 1.05) + 50, seed=11
    )
    frame = importer.frame_from_population(population).head(rows)
    return tabular.to_xlsx(frame.select(tabular.HEADERS).iter_rows())


def county_admin():
    from minzheng.accounts import services as accounts
    from minzheng.demo import DEMO_COUNTY

    return accounts.create_user(
        None,
        username="bench_admin",
        password=secrets.token_urlsafe(16) + "Aa1!",  # a throwaway account in a throwaway db
        region_code=DEMO_COUNTY,
        roles=["county_admin"],
        operator="bench",
    )


def run_minzheng(workbook: bytes, user) -> dict:
    from django.db import transaction

    from minzheng.kit.sheets import read_upload
    from minzheng.registry import importer

    baseline = current_rss_mib()
    started = time.perf_counter()
    frame = read_upload("bench.xlsx", workbook)
    read = time.perf_counter()
    result = importer.preview(frame, user)
    previewed = time.perf_counter()
    if result.errors:
        raise SystemExit(f"the generated workbook has errors: {result.errors[:5]}")
    with transaction.atomic():
        counts = importer.run_import(frame, user, source_name="bench.xlsx")
    imported = time.perf_counter()
    return {
        "rows": frame.height,
        "households": counts.households,
        "persons": counts.persons,
        "income_items": counts.incomes,
        "read_seconds": round(read - started, 2),
        "preview_seconds": round(previewed - read, 2),
        "import_seconds": round(imported - previewed, 2),
        "seconds": round(imported - started, 2),
        "rss_before_read_mib": baseline,
    }


def current_rss_mib() -> float:
    """Resident memory now (Linux), to read the peak against: regions, workbook, Django."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return round(int(line.split()[1]) / 1024, 1)
    return 0.0


def run_peer(workbook: bytes, sample: int) -> dict:
    """openpyxl rows, one validation and one ORM save per row; rolled back afterwards."""
    from django.db import transaction
    from openpyxl import load_workbook

    started = time.perf_counter()
    sheet = load_workbook(io.BytesIO(workbook), read_only=True).worksheets[0]
    rows = sheet.iter_rows(min_row=1, max_row=sample + 1, values_only=True)
    header = [str(h) for h in next(rows)]
    problems = 0
    with transaction.atomic():
        households: dict = {}
        for values in rows:
            problems += len(import_row(dict(zip(header, values, strict=False)), households))
        transaction.set_rollback(True)
    seconds = time.perf_counter() - started
    return {
        "name": "openpyxl reading + row-by-row validation + one ORM save per row",
        "rows": sample,
        "problems": problems,
        "seconds": round(seconds, 2),
    }


def import_row(row: dict, households: dict) -> list[str]:
    """The peer's unit of work: check one row against the database, then save it."""
    from decimal import Decimal

    from minzheng.kit.crypto import blind_index
    from minzheng.kit.ids import InvalidIdNumber, parse_id_number
    from minzheng.regions.models import Region
    from minzheng.registry.models import Household, IncomeItem, Person
    from minzheng.registry.tabular import COLUMNS

    problems, identity = [], None
    cells = {c.field: row.get(c.header) for c in COLUMNS}
    try:
        identity = parse_id_number(str(cells["id_number"] or ""))
    except InvalidIdNumber as exc:
        problems.append(exc.message)
    region = Region.objects.filter(code=str(cells["village_code"])).first()
    if region is None or region.level != 5:
        problems.append("区划代码不是村居")
    number = str(cells["household_no"])
    if number not in households and Household.objects.filter(number=number).exists():
        problems.append("户编号已存在")
    index = blind_index(identity.number, "id_number") if identity else ""
    if identity and Person.objects.filter(id_number_index=index).exists():
        problems.append("身份证号码已登记")
    values = {c.field: c.choices.get(cells[c.field] or c.default) for c in COLUMNS if c.choices}
    problems += [f"{c}无效" for c in ("relation", "area_type") if values[c] is None]
    if problems:
        return problems
    if number not in households:
        households[number] = Household.objects.create(
            number=number, region=region, address=cells["address"], area_type=values["area_type"]
        )
    person = Person.objects.create(
        household=households[number], region=region, id_number=identity.number,
        id_number_index=index, name=cells["name"], sex=identity.sex,
        birth_date=identity.birth_date, relation=values["relation"],
        phone=cells["phone"] or "", co_resident=values["co_resident"],
        labour_capacity=values["labour_capacity"], serious_illness=values["serious_illness"],
        employed=values["employed"], disability_category=values["disability_category"] or "",
        disability_grade=int(cells["disability_grade"]) if cells["disability_grade"] else None,
    )  # fmt: skip
    for column in COLUMNS:
        if column.level == "income" and cells[column.field]:
            IncomeItem.objects.create(
                person=person, category=column.field, period="monthly",
                amount=Decimal(str(cells[column.field])),
            )  # fmt: skip
    return []


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--peer-sample", type=int, default=2_000)
    parser.add_argument("--database-url")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as workdir:
        setup_django(args.database_url, workdir)
        built = time.perf_counter()
        workbook = build_workbook(args.rows)
        print(f"workbook: {len(workbook) / 2**20:.1f} MiB in {time.perf_counter() - built:.1f} s")
        user = county_admin()
        peer = run_peer(workbook, args.peer_sample)
        print(json.dumps(peer, indent=2, ensure_ascii=False))
        ours = run_minzheng(workbook, user)
        from django.db import connection

        ours_per_row = ours["seconds"] / ours["rows"]
        peer_per_row = peer["seconds"] / peer["rows"]
        result = {
            **ours,
            "peak_rss_mib": round(peak_rss_mib(), 1),
            "workbook_mib": round(len(workbook) / 2**20, 1),
            "database": connection.vendor,
            "machine": f"{os.cpu_count()} cores",
            "rows_per_second": round(1 / ours_per_row),
            "peer": {**peer, "seconds_per_row": round(peer_per_row, 5)},
            "ratio": round(peer_per_row / ours_per_row, 1),
        }
    print(json.dumps(result, indent=2, ensure_ascii=False))
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
    sys.exit(main())
