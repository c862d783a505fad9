"""Benchmark: generate and write N synthetic persons (default 1,000,000) into a fresh database.

    python bench/generator.py [--persons 1000000] [--database-url URL]

Prints wall time per stage and peak memory, and writes bench/results/generator.json. The peer
is the way demo generators of comparable platforms fill their databases: one ORM save per
person (measured on a sample and reported per person); `ratio` is how many times faster the
vectorised generator plus bulk writer is, per person written.
"""

import argparse
import json
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results" / "generator.json"
PERSONS_PER_HOUSEHOLD = 2.92  # the generator's measured average; sizes the request


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def setup_django(database_url: str | None, workdir: str) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "minzheng.settings")
    os.environ["MINZHENG_VAR_DIR"] = workdir
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def run_minzheng(persons: int) -> dict:
    from minzheng import demo
    from minzheng.registry import bulk as registry_bulk
    from minzheng.registry.synthetic import generate

    demo.load_demo_regions()
    villages = demo.county_villages(demo.DEMO_COUNTY)
    started = time.perf_counter()
    population = generate(villages, households=int(persons / PERSONS_PER_HOUSEHOLD), seed=7)
    generated = time.perf_counter()
    counts = registry_bulk.write_population(population, progress=_progress)
    written = time.perf_counter()
    return {
        "persons": counts.persons,
        "households": counts.households,
        "income_items": counts.incomes,
        "generate_seconds": round(generated - started, 2),
        "write_seconds": round(written - generated, 2),
        "seconds": round(written - started, 2),
        "peak_rss_mib": round(peak_rss_mib(), 1),
    }


def run_peer(sample_persons: int) -> dict:
    """Row-by-row ORM creation of the same rows (households, persons with encryption)."""
    from django.db import transaction

    from minzheng import demo
    from minzheng.kit import crypto
    from minzheng.registry.models import Household, Person
    from minzheng.registry.synthetic import generate

    population = generate(
        demo.county_villages(demo.DEMO_COUNTY), households=sample_persons // 3, seed=8
    )
    started = time.perf_counter()
    with transaction.atomic():
        households = {}
        for no, village, address, area in population.households.select(
            "household_no", "village_code", "address", "area_type"
        ).iter_rows():
            households[no] = Household.objects.create(
                number="P" + no[1:], region_id=village, address=address, area_type=area
            )
        for no, id_number, name, sex, birth, relation in population.persons.select(
            "household_no", "id_number", "name", "sex", "birth_date", "relation"
        ).iter_rows():
            Person.objects.create(
                household=households[no],
                region_id=no[:12],
                id_number=id_number,
                id_number_index=crypto.blind_index("peer" + id_number, "id_number"),
                name=name,
                sex=sex,
                birth_date=birth,
                relation=relation,
            )
        transaction.set_rollback(True)
    seconds = time.perf_counter() - started
    return {
        "name": "Django ORM, one save per row (households + persons only)",
        "persons": population.persons.height,
        "seconds": round(seconds, 2),
    }


def _progress(stage: str, done: int, total: int) -> None:
    if done == total:
        print(f"  wrote {stage}: {done:,}", flush=True)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--persons", type=int, default=1_000_000)
    parser.add_argument("--peer-sample", type=int, default=20_000)
    parser.add_argument("--database-url")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as workdir:
        setup_django(args.database_url, workdir)
        ours = run_minzheng(args.persons)
        print(json.dumps(ours, indent=2))
        peer = run_peer(args.peer_sample)
        ours_rate = ours["persons"] / ours["seconds"]
        peer_rate = peer["persons"] / peer["seconds"]
        from django.db import connection

        result = {
            **ours,
            "database": connection.vendor,
            "machine": f"{os.cpu_count()} cores",
            "persons_per_second": round(ours_rate),
            "peer": {**peer, "persons_per_second": round(peer_rate)},
            "ratio": round(ours_rate / peer_rate, 1),
        }
    print(json.dumps(result, indent=2, ensure_ascii=False))
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
    sys.exit(main())
