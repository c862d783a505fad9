"""Benchmark: Minzheng's rules engine against OpenFisca, same rules, same population.

    .venv/bin/python bench/rules_vs_openfisca/run.py [--persons 1000000] [--repeat 3]
                                                     [--calls 1000] [--no-latency]

The rules are the core programs (低保, 低保边缘, 特困 basic living, 残疾人两项补贴, 高龄津贴) with
one urban and one rural 低保 standard per county (≈2,850 counties); OpenFisca's version is the
country package in openfisca_minzheng/. OpenFisca is AGPL-3.0, so it is never a dependency of
Minzheng: this script installs it into its own virtual environment, var/bench-openfisca-venv
(git-ignored), and runs it there. Phases, each in a child process so that its peak memory is
its own:

1. generate the synthetic population (population.py) as Parquet files in a temporary directory;
2. Minzheng: `evaluate` with county-level standards and with one national standard
   (minzheng_side.py), median of --repeat runs each;
3. OpenFisca: the same population through the country package (openfisca_side.py), median of
   --repeat runs, in the OpenFisca venv;
4. agreement: every compared column of every household and person must be equal;
5. one-household latency, in process and over HTTP against the real server (latency.py).

Prints the figures and writes them to bench/results/rules_vs_openfisca.json.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parent.parent
RESULTS = HERE.parent / "results" / "rules_vs_openfisca.json"
OPENFISCA_VENV = PROJECT / "var" / "bench-openfisca-venv"
OPENFISCA_CORE = "openfisca-core==46.0.1"
COMPARED = {
    "households": ("household_id", ("dibao_eligible", "dibao_amount_fen", "dibao_edge_eligible")),
    "persons": (
        "person_id",
        (
            "tekun_eligible",
            "tekun_basic_fen",
            "disability_living_amount_fen",
            "disability_nursing_amount_fen",
            "elderly_amount_fen",
        ),
    ),
}


def _django(workdir: Path) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "minzheng.settings")
    os.environ.setdefault("MINZHENG_VAR_DIR", str(workdir / "var"))
    import django

    django.setup()


def _peak_mib() -> float:
    import resource

    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def phase(name: str, args: argparse.Namespace) -> dict:
    """The body of a child process (the shipped region file is read through Django)."""
    _django(args.workdir)
    if name == "generate":
        import population

        from minzheng.rules.parameters import shipped_region_codes

        started = time.perf_counter()
        counties = [code for code in shipped_region_codes() if len(code) == 6]
        population.generate(args.persons, counties).write(args.workdir)
        return {"seconds": round(time.perf_counter() - started, 1)}
    if name == "minzheng":
        import minzheng_side

        return minzheng_side.run(args.workdir, args.repeat) | {"peak_rss_mib": _peak_mib()}
    import latency

    return latency.measure(args.calls)


def child(command: list[str], env: dict | None = None) -> dict:
    """Run a phase; its last line of output is its JSON answer (progress goes to stderr)."""
    output = subprocess.run(command, check=True, stdout=subprocess.PIPE, text=True, env=env)
    return json.loads(output.stdout.strip().splitlines()[-1])


def openfisca_python() -> Path:
    """The benchmark's own venv with OpenFisca and the same Polars as the project (to read the
    same Parquet files); created once, re-created when the requirements change."""
    import polars

    requirements = [OPENFISCA_CORE, f"polars=={polars.__version__}"]
    python, stamp = OPENFISCA_VENV / "bin" / "python", OPENFISCA_VENV / ".bench-requirements"
    if stamp.exists() and stamp.read_text().split() == requirements:
        return python
    print(f"installing {' '.join(requirements)} into {OPENFISCA_VENV}", file=sys.stderr)
    subprocess.run([sys.executable, "-m", "venv", "--clear", str(OPENFISCA_VENV)], check=True)
    pip = [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    subprocess.run([*pip, *requirements], check=True)
    stamp.write_text("\n".join(requirements) + "\n")
    return python


def compare(workdir: Path) -> dict:
    """Mismatching rows per level (a row missing on one side counts), by column; prints the
    first differing rows."""
    import polars as pl

    report: dict = {"mismatches": 0}
    for level, (key, columns) in COMPARED.items():
        ours = pl.read_parquet(workdir / f"minzheng_{level}.parquet")
        theirs = pl.read_parquet(workdir / f"openfisca_{level}.parquet")
        joined = ours.join(theirs, on=key, how="full", suffix="_openfisca", coalesce=True)
        differs = {c: pl.col(c).ne_missing(pl.col(f"{c}_openfisca")) for c in columns}
        flagged = joined.with_columns(pl.any_horizontal(*differs.values()).alias("_differs"))
        wrong = flagged.filter("_differs").drop("_differs")
        report[level] = {
            "rows": joined.height,
            "nonzero": {
                c: ours.select((pl.col(c).cast(pl.Int64) != 0).sum()).item() for c in columns
            },
            "mismatches": wrong.height,
            "by_column": {c: joined.select(e.sum()).item() for c, e in differs.items()},
        }
        report["mismatches"] += wrong.height
        if wrong.height:
            with pl.Config(tbl_cols=-1, tbl_width_chars=200):
                print(f"first differing {level}:\n{wrong.head(10)}", file=sys.stderr)
    return report


def server_env(workdir: Path) -> dict:
    """Production settings (DEBUG off, waitress) with fresh secrets from the project's own
    command; plain HTTP on localhost, so cookies without the Secure flag."""
    binary = str(Path(sys.executable).with_name("minzheng"))
    env = os.environ | {"DEBUG": "true", "MINZHENG_VAR_DIR": str(workdir / "var")}
    lines = subprocess.run(
        [binary, "generate-secrets"], check=True, capture_output=True, text=True, env=env
    ).stdout.split()
    secrets = dict(line.split("=", 1) for line in lines if "=" in line)
    return (
        env | secrets | {"DEBUG": "false", "SECURE_COOKIES": "false", "ALLOWED_HOSTS": "127.0.0.1"}
    )


def summary(persons: int, ours: dict, theirs: dict, agreement: dict, latency: dict) -> dict:
    ours_rate, theirs_rate = persons / ours["seconds"], persons / theirs["seconds"]
    return {
        "persons": persons,
        "households": ours["households"],
        "county_standards": ours["county_standards"],
        "seconds": ours["seconds"],
        "peak_rss_mib": ours["peak_rss_mib"],
        "persons_per_second": round(ours_rate),
        "runs": ours["runs"],
        "peer": {
            "name": f"OpenFisca ({OPENFISCA_CORE}), country package openfisca_minzheng",
            "seconds": theirs["seconds"],
            "peak_rss_mib": theirs["peak_rss_mib"],
            "persons_per_second": round(theirs_rate),
            "runs": theirs["runs"],
            "load_parameters_seconds": theirs["load_parameters_seconds"],
        },
        "ratio": round(ours_rate / theirs_rate, 2),
        "county_vs_national": {
            "county_seconds": ours["seconds"],
            "national_seconds": ours["national_seconds"],
            "ratio": ours["county_ratio"],  # the median of the rounds' ratios
            "ratio_interval_95": ours["county_ratio_interval"],
            "measurable_slowdown": ours["county_ratio_interval"][0] > 1,
            "first_county_seconds": ours["first_county_seconds"],
        },
        "agreement": agreement,
        "latency": latency,
        "machine": f"{os.cpu_count()} cores",
    }


def benchmark(args: argparse.Namespace) -> dict:
    python = openfisca_python()
    with tempfile.TemporaryDirectory(prefix="rules-vs-openfisca-") as name:
        workdir = Path(name)
        base = [sys.executable, __file__, "--workdir", name, "--persons", str(args.persons)]
        base += ["--repeat", str(args.repeat), "--calls", str(args.calls)]
        generated = child([*base, "--phase", "generate"])
        print(f"population generated in {generated['seconds']} s", file=sys.stderr)
        ours = child([*base, "--phase", "minzheng"])
        print(f"Minzheng: {ours['runs']}", file=sys.stderr)
        theirs = child(
            [str(python), str(HERE / "openfisca_side.py"), name, "--repeat", str(args.repeat)]
        )
        print(f"OpenFisca: {theirs['runs']}", file=sys.stderr)
        agreement = compare(workdir)
        latency = {}
        if not args.no_latency:
            latency = child([*base, "--phase", "latency"], env=server_env(workdir))
    return summary(args.persons, ours, theirs, agreement, latency)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--persons", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3, help="timed runs per engine (median)")
    parser.add_argument("--calls", type=int, default=1000, help="one-household calls timed")
    parser.add_argument("--no-latency", action="store_true")
    parser.add_argument("--phase", choices=["generate", "minzheng", "latency"])
    parser.add_argument("--workdir", type=Path)
    args = parser.parse_args()
    if args.phase:
        print(json.dumps(phase(args.phase, args)))
        return 0
    load = os.getloadavg()[0]  # other work on the machine skews the timings: say how busy it was
    result = benchmark(args) | {"load_average_at_start": round(load, 2)}
    print(json.dumps(result, indent=2, ensure_ascii=False))
    RESULTS.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    return 0 if result["agreement"]["mismatches"] == 0 else 1


if __name__ == "__main__":
    sys.path[:0] = [str(HERE), str(PROJECT / "src")]
    sys.exit(main())
