"""Reads of the registry, always scoped to the user's region."""

from datetime import date

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Substr

from minzheng.audit.models import AuditEvent
from minzheng.kit.crypto import blind_index
from minzheng.kit.ids import is_valid_id_number, normalize_id_number
from minzheng.regions import codes
from minzheng.regions.models import Region
from minzheng.regions.scoping import get_scoped, scope_queryset
from minzheng.registry.models import Household, HouseholdMove, IncomeItem, Person


def households_for(user, *, search: str = "", region_code: str = "") -> QuerySet[Household]:
    """Households in the user's region matching `search`: an ID number (found through the
    blind index), a household number, a name, or its pinyin or initials ("zhangsan", "zs")."""
    queryset = scope_queryset(Household.objects.select_related("region"), user)
    if region_code:
        try:
            prefix = codes.prefix_of(codes.normalize_code(region_code))
        except ValueError:
            return queryset.none()
        queryset = queryset.filter(region__code__startswith=prefix)
    search = search.strip()
    if search:
        matching = Person.objects.filter(_person_match(search)).values("household_id")
        queryset = queryset.filter(Q(number__startswith=search) | Q(pk__in=matching))
    return queryset.annotate(size=Count("members")).order_by("number")


def _person_match(search: str) -> Q:
    normalized = normalize_id_number(search)
    if is_valid_id_number(normalized):
        return Q(id_number_index=blind_index(normalized, "id_number"))
    if search.isascii() and search.isalpha():
        lowered = search.lower()
        return Q(name_pinyin__startswith=lowered) | Q(name_initials__startswith=lowered)
    return Q(name__startswith=search)


def household_for(user, pk: int) -> Household:
    return get_scoped(Household.objects.select_related("region"), user, pk=pk)


def members_of(household: Household) -> list[Person]:
    return list(household.members.order_by("id"))


def living_members(household: Household) -> QuerySet[Person]:
    """The members a household's evaluation counts from: a death or a move out of the county
    ends a member's part in it. Ordered as the rules' one-household facts number them."""
    members = household.members.filter(died_on__isnull=True, moved_out_on__isnull=True)
    return members.order_by("id")


def person_for(user, pk: int) -> Person:
    return get_scoped(Person.objects.select_related("household"), user, pk=pk)


def _years_ago(today: date, years: int) -> date:
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


def registry_counts(user, today: date) -> dict[str, int]:
    """The home page figures for the user's region: one query per table."""
    households = scope_queryset(Household.objects.filter(status="active"), user)
    persons = scope_queryset(Person.objects.filter(household__status="active"), user)
    figures = persons.aggregate(
        persons=Count("id"),
        elderly=Count("id", filter=Q(birth_date__lte=_years_ago(today, 60))),
        minors=Count("id", filter=Q(birth_date__gt=_years_ago(today, 18))),
        disabled=Count("id", filter=Q(disability_grade__isnull=False)),
    )
    figures["households"] = households.count()
    return figures


def persons_by_subregion(user) -> list[tuple[str, int]]:
    """(sub-region name, persons) one level below the user's home region, for the home chart;
    empty for village users, who have no sub-regions."""
    region = getattr(user, "region", None)
    if region is None or region.level >= codes.VILLAGE:
        return []
    child_prefix_length = codes.PREFIX_LENGTH[region.level + 1]
    rows = (
        scope_queryset(Person.objects.filter(household__status="active"), user)
        .annotate(part=Substr("region_id", 1, child_prefix_length))
        .values("part")
        .annotate(n=Count("id"))
        .order_by("part")
    )
    counts = {row["part"].ljust(codes.CODE_LENGTH, "0"): row["n"] for row in rows}
    names = dict(Region.objects.filter(code__in=counts).values_list("code", "name"))
    return [(names.get(code, code), count) for code, count in counts.items()]


def villages_for(user) -> list[tuple[str, str]]:
    """(code, full local name) of the villages in the user's region, for choosing one."""
    villages = scope_queryset(Region.objects.filter(level=codes.VILLAGE), user, region_field="")
    townships = dict(
        scope_queryset(
            Region.objects.filter(level=codes.TOWNSHIP), user, region_field=""
        ).values_list("code", "name")
    )
    if user.region_id and codes.level_of(user.region_id) == codes.TOWNSHIP:
        townships[user.region_id] = user.region.name
    return [
        (code, f"{townships.get(code[:9] + '000', '')}{name}")
        for code, name in villages.order_by("code").values_list("code", "name")
    ]


def household_by_number(user, number: str) -> Household:
    return get_scoped(Household.objects.all(), user, number=number.strip())


def household_timeline(user, household: Household) -> QuerySet:
    """The household's 一户一条救助链: its own events and those of everyone who has been in it."""
    person_ids = set(household.members.values_list("pk", flat=True))
    person_ids |= set(
        HouseholdMove.objects.filter(
            Q(from_household=household) | Q(to_household=household)
        ).values_list("person_id", flat=True)
    )
    case_ids = [str(pk) for pk in household.cases.values_list("pk", flat=True)]
    return AuditEvent.objects.filter(
        Q(object_type="household", object_id=str(household.pk))
        | Q(object_type="person", object_id__in=[str(pk) for pk in person_ids])
        | Q(object_type="case", object_id__in=case_ids)
    ).order_by("-seq")


def incomes_of(household: Household) -> list:
    return list(
        IncomeItem.objects.filter(person__household=household)
        .select_related("person")
        .order_by("person_id", "category")
    )
