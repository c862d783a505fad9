"""The length of a period set by a parameter, for a record: the value in force for the record's
region on the day, with the unit the parameter names (日, 工作日, 月). A procedure whose records
have an urban/rural split gives its own resolver (cases: the household's area)."""

from datetime import date

from minzheng.rules.parameters import resolve
from minzheng.rules.publication import effective_tree


def region_parameter(name: str, day: date, record) -> tuple:
    resolved = resolve(effective_tree()[name], day, record.region_id)
    return resolved.value, resolved.unit
