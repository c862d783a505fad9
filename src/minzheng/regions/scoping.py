"""Region scoping: every query of personal data goes through `scope_queryset`.

A user sees objects whose region lies within the user's home region (the region itself and
its descendants). A user without a home region sees nothing: scoping fails closed. A screen
that shows a region (a dashboard, a plan) takes it through `region_for`.
"""

from django.db.models import Model, QuerySet

from minzheng.kit.errors import NotFound
from minzheng.regions import codes
from minzheng.regions.models import Region


def user_region_prefix(user) -> str | None:
    if not getattr(user, "is_authenticated", False) or not getattr(user, "region_id", None):
        return None
    return codes.prefix_of(user.region_id)


def scope_queryset(queryset: QuerySet, user, *, region_field: str = "region") -> QuerySet:
    """Restrict `queryset` to the user's region subtree.

    `region_field` is the path to a Region foreign key (e.g. "household__region"); its code is
    the key, so the filter runs on the local column without a join. An empty `region_field`
    scopes a queryset of regions themselves.
    """
    prefix = user_region_prefix(user)
    if prefix is None:
        return queryset.none()
    lookup = f"{region_field}__code__startswith" if region_field else "code__startswith"
    return queryset.filter(**{lookup: prefix})


def user_may_access_region(user, region_code: str) -> bool:
    prefix = user_region_prefix(user)
    return prefix is not None and region_code.startswith(prefix)


def get_scoped(queryset: QuerySet, user, *, region_field: str = "region", **lookup) -> Model:
    """One object within the user's region, or NotFound — the same answer whether the object
    does not exist or lies in another region, so scoping leaks nothing about its existence."""
    try:
        return scope_queryset(queryset, user, region_field=region_field).get(**lookup)
    except queryset.model.DoesNotExist:
        raise NotFound() from None


def region_for(user, code: str | None = None) -> Region:
    """The region a screen shows: the user's own by default, else one inside it (NotFound
    outside, the same answer as for a code that does not exist)."""
    if not getattr(user, "region_id", None):
        raise NotFound()
    if not code:
        return user.region
    try:
        code = codes.normalize_code(code)
    except ValueError:
        raise NotFound() from None
    region = Region.objects.filter(code=code).first()
    if region is None or not user_may_access_region(user, code):
        raise NotFound()
    return region
