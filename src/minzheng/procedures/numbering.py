"""Gap-free numbers per kind, region and year (案件编号, 决定书文号, 回执号 …): the counter row
is locked for the rest of the caller's transaction, so two numbers taken at once never repeat
and a number given up with a rolled-back transaction is given again."""

from django.db import IntegrityError, transaction

from minzheng.procedures.models import Counter


def next_number(kind: str, region: str, year: int, *, prefix: str) -> str:
    """E.g. next_number("case", "330122000000", 2024, prefix="SA") → SA〔2024〕330122-00001号."""
    with transaction.atomic():
        counter = _locked(kind, region, year)
        counter.last += 1
        counter.save(update_fields=["last"])
    return f"{prefix}〔{year}〕{region[:6]}-{counter.last:05d}号"


def _locked(kind: str, region: str, year: int) -> Counter:
    rows = Counter.objects.select_for_update()
    try:
        return rows.get(kind=kind, region=region, year=year)
    except Counter.DoesNotExist:
        try:
            with transaction.atomic():
                Counter.objects.create(kind=kind, region=region, year=year)
        except IntegrityError:
            pass  # created by a concurrent transaction: lock that one
        return rows.get(kind=kind, region=region, year=year)
