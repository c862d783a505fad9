"""Benchmark: a county's 低保 payroll of one million beneficiaries with every pre-release check.

    .venv/bin/python bench/payroll/run.py [--households 1000000] [--peer-sample 10000]
                                          [--workdir DIR] [--database-url URL]

1. fill (a child process): a fresh database with the synthetic county of data.py — every
   household receives 低保; some payees lack a bank card or have a wrong one, some died or
   moved their hukou out (公安 facts), some members receive 特困 or are staff's declared
   relatives or moved into another paid household; suspended, ended and tapering cases;
2. run (a child process, so its peak memory is its own), the same function as
   `minzheng payroll`: November generated (the first month: no history), resolved in bulk,
   submitted and approved through the services (released and locked); then late approvals,
   amount reviews and late ends are recorded, and December is generated — the steady month,
   reading November's lines for back pay, adjustments, overpayments and the change check;
3. peer (a child process): the naive way — one beneficiary at a time through the ORM, a query
   per check and a save per line and finding — on a sample, reported per beneficiary.

Prints the figures and writes bench/results/payroll.json (ratio: how many times faster per
beneficiary than the peer).
"""

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
RESULTS = HERE.parent / "results" / "payroll.json"
COUNTY = "330122000000"
PEER = "Django ORM, one beneficiary at a time (a query per check, a save per line and finding)"
PASSWORD = "Bench-Passw0rd!"  # noqa: S105 - a throwaway benchmark database
TARGET = "≤ 60 s for a payroll of 1 million beneficiaries with all pre-release checks"


def _django(workdir: str, database_url: str | None) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "minzheng.settings"
    os.environ["MINZHENG_VAR_DIR"] = workdir
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    import django

    django.setup()


def _peak_mib() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def fill(households: int) -> dict:
    import data
    from django.core.management import call_command

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    counts = data.fill(households, seed=2024)
    return {**counts, "seconds": round(time.perf_counter() - started, 1)}


def _month(month: date) -> dict:
    from django.db import transaction

    from minzheng.kit.money import fen_to_yuan
    from minzheng.payments import generation

    steps: dict[str, float] = {}

    def progress(message: str) -> None:
        step, _, seconds = message.rpartition(": ")
        steps[step] = float(seconds.split()[0])
        print(f"  {month:%Y-%m} {message}", file=sys.stderr, flush=True)

    started = time.perf_counter()
    with transaction.atomic():
        payroll = generation.generate(None, COUNTY, "dibao", month, progress)
    seconds = round(time.perf_counter() - started, 2)
    return {
        "seconds": seconds,
        "steps": steps,
        "lines": payroll.line_count,
        "total_yuan": str(fen_to_yuan(payroll.total_fen)),
        "findings": _findings(payroll),
        "summary": {k: v for k, v in payroll.summary.items() if k != "elsewhere_cases"},
        "peak_rss_mib": _peak_mib(),
        "payroll": payroll.pk,
    }


def _findings(payroll) -> dict:
    from django.db.models import Count

    from minzheng.payments.models import Flag

    rows = Flag.objects.filter(line__payroll=payroll).values("code").annotate(n=Count("id"))
    return {row["code"]: row["n"] for row in rows.order_by("code")}


def _release(payroll_id: int) -> float:
    """Resolve every finding in bulk (a benchmark shortcut for the townships' work), then
    submit and approve through the services."""
    from django.db import connection, transaction

    from minzheng.accounts import services as accounts
    from minzheng.payments import services, storing
    from minzheng.payments.models import Payroll

    maker, checker = (
        accounts.create_user(
            None, username=name, password=PASSWORD, region_code=COUNTY, roles=[role]
        )
        for name, role in (("bench_maker", "county_admin"), ("bench_checker", "county_approver"))
    )
    started = time.perf_counter()
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE payments_flag SET status = 'resolved', resolution = CASE WHEN code IN "
                "('account', 'dead', 'overpaid') THEN 'hold' ELSE 'pay' END, note = 'bench' "
                "WHERE line_id IN (SELECT id FROM payments_line WHERE payroll_id = %s)",
                [payroll_id],
            )
        payroll = Payroll.objects.get(pk=payroll_id)
        storing.refresh_held(payroll)
        storing.refresh_totals(payroll)
        payroll = Payroll.objects.get(pk=payroll_id)
        payroll = services.submit(maker, payroll.pk, payroll.version)
        services.approve(checker, payroll.pk, payroll.version)
    return round(time.perf_counter() - started, 2)


def run() -> dict:
    import data

    november = _month(data.NOVEMBER)
    release_seconds = _release(november.pop("payroll"))
    from django.db import transaction

    with transaction.atomic():
        changed = data.between_months(seed=2024)
    december = _month(data.DECEMBER)
    december.pop("payroll")
    return {
        "first_month": november,
        "release_seconds": release_seconds,
        "between_months": changed,
        "next_month": december,
        "peak_rss_mib": _peak_mib(),
    }


def peer(sample: int) -> dict:
    """One beneficiary at a time through the ORM, every check a query, one save per line and
    per finding — for January, on the first `sample` approved cases, rolled back."""
    from django.db import transaction

    from minzheng.cases.models import Case
    from minzheng.payments.models import Payroll
    from minzheng.rules.parameters import resolve
    from minzheng.rules.publication import effective_tree

    tree = effective_tree()
    january = date(2025, 1, 1)
    cap = int(resolve(tree["payments.cap.dibao"], january, COUNTY).value * 100)
    share = resolve(tree["payments.change_share"], january, COUNTY).value.as_integer_ratio()
    ids = list(
        Case.objects.filter(program="dibao", status="approved")
        .order_by("id")
        .values_list("id", flat=True)[:sample]
    )
    started = time.perf_counter()
    with transaction.atomic():
        payroll = Payroll.objects.create(county_id=COUNTY, program="dibao", period=january)
        for case_id in ids:
            _one_by_one(payroll, case_id, cap, share)
        transaction.set_rollback(True)
    seconds = time.perf_counter() - started
    return {
        "name": PEER,
        "beneficiaries": len(ids),
        "seconds": round(seconds, 2),
    }


def _one_by_one(payroll, case_id: int, cap: int, share) -> None:
    from minzheng.cases.models import Case, Review
    from minzheng.monitoring.models import Fact
    from minzheng.payments.models import Flag, Line, RelativeDeclaration
    from minzheng.registry.models import HouseholdMove

    case = Case.objects.select_related("household").get(pk=case_id)
    payee = case.household.members.filter(relation="head").order_by("id").first()
    members = list(case.household.members.filter(died_on__isnull=True, co_resident=True))
    last = Line.objects.filter(case=case, settled=True).order_by("-period").first()
    review = (
        Review.objects.filter(case=case, amount_fen__isnull=False).order_by("-reviewed_on").first()
    )
    start = max(case.start_month, _next(last.period) if last else case.start_month)
    months = (payroll.period.year - start.year) * 12 + payroll.period.month - start.month + 1
    adjustment = 0
    if review and last and last.period >= _next(review.reviewed_on.replace(day=1)):
        adjustment = case.amount_fen - last.monthly_fen
    amount = max(0, months * case.amount_fen + adjustment)
    found = {}
    if payee.died_on or Fact.objects.filter(person=payee, feed="deaths").exists():
        found["dead"] = {}
    if Fact.objects.filter(person=payee, feed="hukou_moves", values__direction="out").exists():
        found["two_counties"] = {}
    if HouseholdMove.objects.filter(
        from_household=case.household, moved_at__date__gte=case.decided_on
    ).exists():
        found["two_households"] = {}
    if Case.objects.filter(status="approved", program="tekun", person__in=members).exists():
        found["exclusive"] = {}
    indexes = [m.id_number_index for m in members]
    if RelativeDeclaration.objects.filter(
        id_number_index__in=indexes, withdrawn_on__isnull=True
    ).exists():
        found["relative"] = {}
    if last and abs(amount - last.amount_fen) * share[1] > last.amount_fen * share[0]:
        found["change"] = {}
    if case.amount_fen > cap * max(len(members), 1):
        found["cap"] = {}
    if not (payee.bank_name and payee.bank_account.isdigit() and _luhn(payee.bank_account)):
        found["account"] = {}
    line = Line.objects.create(
        payroll=payroll,
        program="dibao",
        period=payroll.period,
        beneficiary=payee,
        case=case,
        household=case.household,
        region_id=case.region_id,
        monthly_fen=case.amount_fen,
        months=months,
        first_month=start,
        regular_fen=case.amount_fen,
        back_pay_fen=(months - 1) * case.amount_fen,
        adjustment_fen=adjustment,
        care_fen=0,
        amount_fen=amount,
        bank_name=payee.bank_name,
        bank_account=payee.bank_account,
    )
    for code, detail in found.items():
        Flag.objects.create(line=line, code=code, detail=detail)


def _next(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


def _luhn(number: str) -> bool:
    total = 0
    for position, char in enumerate(reversed(number)):
        digit = int(char)
        if position % 2:
            digit = digit * 2 - 9 if digit * 2 > 9 else digit * 2
        total += digit
    return total % 10 == 0


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--households", type=int, default=1_000_000)
    parser.add_argument("--peer-sample", type=int, default=10_000)
    parser.add_argument("--database-url")
    parser.add_argument("--workdir")
    parser.add_argument("--phase", choices=["fill", "run", "peer"])
    parser.add_argument(
        "--filled",
        type=Path,
        help="a directory where `--phase fill` left minzheng.sqlite3 and its output fill.json: "
        "copied instead of filling again (SQLite)",
    )
    args = parser.parse_args()
    if args.phase:
        sys.path.insert(0, str(HERE))
        _django(args.workdir, args.database_url)
        result = {
            "fill": lambda: fill(args.households),
            "run": run,
            "peer": lambda: peer(args.peer_sample),
        }[args.phase]()
        print(json.dumps(result, ensure_ascii=False))
        return 0
    load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(dir=args.workdir) as workdir:
        base = [
            sys.executable,
            __file__,
            "--workdir",
            workdir,
            "--households",
            str(args.households),
        ]
        base += ["--peer-sample", str(args.peer_sample)]
        if args.database_url:
            base += ["--database-url", args.database_url]
        outputs, phases = {}, ("fill", "run", "peer")
        if args.filled:
            shutil.copy(args.filled / "minzheng.sqlite3", Path(workdir) / "minzheng.sqlite3")
            outputs["fill"] = json.loads((args.filled / "fill.json").read_text())
            phases = ("run", "peer")
        for phase in phases:
            done = subprocess.run([*base, "--phase", phase], capture_output=True, text=True)
            sys.stderr.write(done.stderr)
            done.check_returncode()
            outputs[phase] = json.loads(done.stdout.strip().splitlines()[-1])
            shown = json.dumps(outputs[phase], ensure_ascii=False)
            print(f"{phase}: {shown}", file=sys.stderr, flush=True)
    result = json.dumps(_result(outputs, load, args.database_url), indent=2, ensure_ascii=False)
    print(result)
    RESULTS.write_text(result + "\n")
    return 0


def _result(outputs: dict, load: float, database_url: str | None) -> dict:
    run, peer = outputs["run"], outputs["peer"]
    steady = run["next_month"]
    ours = steady["lines"] / steady["seconds"]
    theirs = peer["beneficiaries"] / peer["seconds"]
    return {
        "machine": f"{os.cpu_count()} cores",
        "database": "postgresql" if database_url else "sqlite",
        "load_average_at_start": round(load, 2),
        "target": TARGET,
        "beneficiaries": steady["lines"],
        "seconds": steady["seconds"],
        "peak_rss_mib": run["peak_rss_mib"],
        "beneficiaries_per_second": round(ours),
        "first_month": run["first_month"],
        "release_seconds": run["release_seconds"],
        "between_months": run["between_months"],
        "next_month": steady,
        "peer": {**peer, "beneficiaries_per_second": round(theirs)},
        "ratio": round(ours / theirs, 1),
        "setup": outputs["fill"],
    }


if __name__ == "__main__":
    sys.path.insert(0, str(HERE.parent.parent / "src"))
    sys.exit(main())
