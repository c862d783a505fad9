"""Gap-free numbers per kind, county and year (案件编号, 决定书文号): the counter row is locked
for the rest of the transaction, so two decisions at once never share a number."""

from django.db import IntegrityError, transaction

from minzheng.cases.models import Counter


def next_number(kind: str, county: str, year: int, *, prefix: str) -> str:
    with transaction.atomic():
        counter = _locked(kind, county, year)
        counter.last += 1
        counter.save(update_fields=["last"])
    return f"{prefix}〔{year}〕{county[:6]}-{counter.last:05d}号"


def _locked(kind: str, county: str, year: int) -> Counter:
    rows = Counter.objects.select_for_update()
    try:
        return rows.get(kind=kind, county=county, year=year)
    except Counter.DoesNotExist:
        try:
            with transaction.atomic():
                Counter.objects.create(kind=kind, county=county, year=year)
        except IntegrityError:
            pass  # created by a concurrent transaction: lock that one
        return rows.get(kind=kind, county=county, year=year)
