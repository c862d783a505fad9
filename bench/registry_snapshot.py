"""Benchmark: bulk snapshot of 1 million registry persons into Polars frames.

    python bench/registry_snapshot.py [--persons 1000000] [--database-url URL]

Phase 1 (a child process) fills a fresh database with the synthetic county; phase 2 (another
child process, so its peak memory is its own) times `registry.snapshot.snapshot(county)` and
compares with the peer: reading the same persons through the ORM as model instances, measured
on the first 100,000 and reported per person. Writes bench/results/registry_snapshot.json.
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results" / "registry_snapshot.json"


def _django(workdir: str, database_url: str | None) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "minzheng.settings"
    os.environ["MINZHENG_VAR_DIR"] = workdir
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    import django

    django.setup()


def fill(persons: int) -> None:
    from django.core.management import call_command

    from minzheng import demo
    from minzheng.registry import bulk
    from minzheng.registry.synthetic import generate

    call_command("migrate", verbosity=0)
    demo.load_demo_regions()
    villages = demo.county_villages(demo.DEMO_COUNTY)
    bulk.write_population(generate(villages, households=int(persons / 2.92), seed=7))


def read() -> dict:
    from minzheng import demo
    from minzheng.registry.models import Person
    from minzheng.registry.snapshot import snapshot

    started = time.perf_counter()
    shot = snapshot(demo.DEMO_COUNTY)
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    sample = 100_000
    started = time.perf_counter()
    read_rows = sum(1 for _ in Person.objects.all()[:sample].iterator(chunk_size=5000))
    peer_seconds = time.perf_counter() - started
    return {
        "persons": shot.persons.height,
        "households": shot.households.height,
        "income_items": shot.incomes.height,
        "seconds": round(seconds, 2),
        "peak_rss_mib": round(peak, 1),
        "persons_per_second": round(shot.persons.height / seconds),
        "peer": {
            "name": "Django ORM model instances (iterator), persons only",
            "persons": read_rows,
            "seconds": round(peer_seconds, 2),
            "persons_per_second": round(read_rows / peer_seconds),
        },
    }


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--persons", type=int, default=1_000_000)
    parser.add_argument("--database-url")
    parser.add_argument("--phase", choices=["fill", "read"])
    parser.add_argument("--workdir")
    args = parser.parse_args()
    if args.phase:
        _django(args.workdir, args.database_url)
        if args.phase == "fill":
            fill(args.persons)
        else:
            print(json.dumps(read()))
        return 0
    with tempfile.TemporaryDirectory() as workdir:
        base = [sys.executable, __file__, "--workdir", workdir, "--persons", str(args.persons)]
        if args.database_url:
            base += ["--database-url", args.database_url]
        subprocess.run([*base, "--phase", "fill"], check=True)
        output = subprocess.run(
            [*base, "--phase", "read"], check=True, capture_output=True, text=True
        ).stdout
    result = json.loads(output.strip().splitlines()[-1])
    result["ratio"] = round(result["persons_per_second"] / result["peer"]["persons_per_second"], 1)
    result["machine"] = f"{os.cpu_count()} cores"
    print(json.dumps(result, indent=2, ensure_ascii=False))
    RESULTS.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(HERE.parent / "src"))
    sys.exit(main())
