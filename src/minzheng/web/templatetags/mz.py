from django import template

from minzheng.kit import masking
from minzheng.kit.money import format_fen

register = template.Library()

register.filter("mask_id", masking.mask_id_number)
register.filter("mask_phone", masking.mask_phone)
register.filter("mask_name", masking.mask_name)
register.filter("mask_account", masking.mask_bank_account)


@register.filter
def fen_to_yuan(fen) -> str:
    """Integer fen from the rules engine, shown as yuan with two places."""
    return "" if fen is None else format_fen(int(fen))


@register.filter
def yesno_zh(value) -> str:
    """A criterion's value: 是/否 for booleans, the value itself otherwise."""
    if isinstance(value, bool):
        return "是" if value else "否"
    return "" if value is None else str(value)
