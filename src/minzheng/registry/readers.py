"""What other apps may read of the registry (对象库), besides the batch snapshot (snapshot.py):
bulk readers returning Polars frames, and SQL fragments another app's query may embed instead
of naming the registry's tables (`head_of`, `persons_of_region`). Only this app writes SQL
over registry_* tables; the others call these."""

from dataclasses import dataclass

import polars as pl
from django.utils import timezone

from minzheng.kit.bulk import read_by_ids
from minzheng.registry.models import Asset, Household, HouseholdMove, Person, Supporter


def head_of(household: str) -> str:
    """SQL: the id of the household's head, else of its first member, for a query whose
    household id is the expression `household` (e.g. "c.household_id")."""
    return HEAD_SQL.replace("{household}", household)


HEAD_SQL = (
    "(SELECT p.id FROM registry_person p WHERE p.household_id = {household} "
    "ORDER BY CASE WHEN p.relation = 'head' THEN 0 ELSE 1 END, p.id LIMIT 1)"
)


def persons_of_region() -> str:
    """SQL: the ids of the persons of a region, its code pattern (e.g. "330122%") one
    parameter."""
    return "(SELECT p.id FROM registry_person p WHERE p.region_id LIKE %s)"


PAYEES_SQL = """
    SELECT p.id, p.household_id, p.region_id, p.name, p.died_on, p.bank_name, p.bank_account
    FROM registry_person p WHERE p.id IN ({ids})"""
PAYEES_SCHEMA = {
    "person_id": pl.Int64,
    "household_id": pl.Int64,
    "region_code": pl.Utf8,
    "name": pl.Utf8,
    "registry_died_on": pl.Date,
    "bank_name": pl.Utf8,
    "account_token": pl.Utf8,  # the encrypted account, never decrypted here
}
PERSON = {
    "person_id": pl.Int64,
    "household_id": pl.Int64,
    "name": pl.Utf8,
    "co_resident": pl.Boolean,
}
LIVING_SQL = """
    SELECT p.id, p.household_id, p.name, p.co_resident FROM registry_person p
    WHERE p.died_on IS NULL AND p.id IN ({ids})"""
BY_INDEX_SQL = """
    SELECT p.id, p.household_id, p.name, p.co_resident, p.id_number_index FROM registry_person p
    WHERE p.died_on IS NULL AND p.region_id LIKE %s AND p.id_number_index IN ({ids})"""
SIZES_SQL = """
    SELECT p.household_id, COUNT(*) FROM registry_person p
    WHERE p.died_on IS NULL AND p.co_resident = %s AND p.household_id IN ({ids})
    GROUP BY p.household_id"""


def has_households(prefix: str) -> bool:
    return Household.objects.filter(region__code__startswith=prefix).exists()


def households_of(prefix: str, limit: int) -> list[int]:
    """The ids of the first active households of a region (demo data picks from them)."""
    households = Household.objects.filter(region__code__startswith=prefix, status="active")
    return list(households.order_by("id").values_list("id", flat=True)[:limit])


def first_head(region_code: str) -> int | None:
    """The id of the first household head registered in a region (the demo's resident)."""
    heads = Person.objects.filter(region_id=region_code, relation="head").order_by("id")
    return heads.values_list("id", flat=True).first()


def identities(prefix: str) -> pl.DataFrame:
    """person_id, id_number_index, name of the region's persons (a feed's rows match them)."""
    rows = Person.objects.filter(region__code__startswith=prefix)
    schema = {"person_id": pl.Int64, "id_number_index": pl.Utf8, "name": pl.Utf8}
    columns = ("id", "id_number_index", "name")
    return pl.DataFrame(list(rows.values_list(*columns)), schema=schema, orient="row")


def supporter_identities(prefix: str) -> pl.DataFrame:
    """supporter_id, id_number_index of the region's households' legal supporters."""
    rows = Supporter.objects.filter(household__region__code__startswith=prefix)
    schema = {"supporter_id": pl.Int64, "id_number_index": pl.Utf8}
    found = rows.values_list("id", "id_number_index")
    return pl.DataFrame(list(found), schema=schema, orient="row")


@dataclass(frozen=True)
class Bank:
    bank_name: str
    bank_account: str  # in clear: for judging it and writing it encrypted again


def bank_of(person_id: int) -> Bank:
    """The person's bank and account now (a re-issue after a corrected account)."""
    person = Person.objects.only("bank_name", "bank_account").get(pk=person_id)
    return Bank(person.bank_name, person.bank_account)


def payees(ids: list[int]) -> pl.DataFrame:
    """These persons with their death and their bank (the account still encrypted)."""
    return read_by_ids(PAYEES_SQL, ids, PAYEES_SCHEMA)


def living(ids: list[int]) -> pl.DataFrame:
    """Those of these persons who are alive: household, name, co-residence."""
    return read_by_ids(LIVING_SQL, ids, PERSON)


def living_with_index(pattern: str, indexes: list[str]) -> pl.DataFrame:
    """The living persons of a region whose ID number has one of these blind indexes."""
    schema = PERSON | {"id_number_index": pl.Utf8}
    return read_by_ids(BY_INDEX_SQL, indexes, schema, params=[pattern])


def household_sizes(household_ids: list[int]) -> pl.DataFrame:
    """Living co-resident members of these households (the persons a household line covers)."""
    schema = {"household_id": pl.Int64, "persons": pl.Int64}
    return read_by_ids(SIZES_SQL, household_ids, schema, params=[True])


def moves_out_of(prefix: str) -> pl.DataFrame:
    """Persons who moved out of a household of the region (a small table: every move)."""
    rows = HouseholdMove.objects.filter(
        from_household__region__code__startswith=prefix
    ).values_list("person_id", "person__name", "from_household_id", "to_household_id", "moved_at")
    schema = {
        "person_id": pl.Int64,
        "name": pl.Utf8,
        "from_household_id": pl.Int64,
        "to_household_id": pl.Int64,
        "moved_on": pl.Date,
    }
    local = [(*row[:4], timezone.localdate(row[4])) for row in rows]
    return pl.DataFrame(local, schema=schema, orient="row")


def living_members(household_ids: list[int]) -> pl.DataFrame:
    """person_id, household_id of the living members of these households."""
    rows = Person.objects.filter(household_id__in=household_ids, died_on__isnull=True)
    schema = {"person_id": pl.Int64, "household_id": pl.Int64}
    return pl.DataFrame(list(rows.values_list("id", "household_id")), schema=schema, orient="row")


def heads(household_ids: list[int], *, with_region: bool = False) -> pl.DataFrame:
    """household_id, head_id (and the head's region_code) of these households' heads."""
    rows = Person.objects.filter(household_id__in=household_ids, relation="head")
    schema = {"household_id": pl.Int64, "head_id": pl.Int64}
    columns = ["household_id", "id"]
    if with_region:
        schema, columns = schema | {"region_code": pl.Utf8}, [*columns, "region_id"]
    return pl.DataFrame(list(rows.values_list(*columns)), schema=schema, orient="row")


def counted_members(prefix: str, household_ids) -> pl.DataFrame:
    """household_id, died_on of the co-resident, not excluded members of these households
    of the region (what a household case's persons count)."""
    rows = Person.objects.filter(
        region__code__startswith=prefix,
        household__in=household_ids,
        co_resident=True,
        exclusion="",
    ).values_list("household_id", "died_on")
    schema = {"household_id": pl.Int64, "died_on": pl.Date}
    return pl.DataFrame(list(rows), schema=schema, orient="row")


def declared_assets(prefix: str, kinds: list[str]) -> list[tuple]:
    """(household_id, kind, registration) of the assets of these kinds the region's households
    declared."""
    rows = Asset.objects.filter(household__region__code__startswith=prefix, kind__in=kinds)
    return list(rows.values_list("household_id", "kind", "registration"))
