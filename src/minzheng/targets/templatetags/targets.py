from decimal import Decimal

from django import template

register = template.Library()


@register.filter
def plain(value) -> str:
    """A target's figure without trailing zeros: 256, 1,800, 33.3 (never 2.56E+2)."""
    if value is None:
        return ""
    value = Decimal(value)
    if value == value.to_integral_value():
        return f"{int(value):,}"
    return f"{value:,f}".rstrip("0")
