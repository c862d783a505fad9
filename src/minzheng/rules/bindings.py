"""Binding parameters to households: resolve each needed parameter once per distinct
(region, urban/rural) pair, as columns to join and as an explanation table.

The kind of a value follows from its unit, so programs name parameters and nothing else:
money (元…) becomes integer fen, a multiple or share (倍, 比例) an exact integer ratio
(numerator, denominator: compared without dividing), anything else (月, 岁, 套, 开关…) an integer.
Column names are the parameter names with dots as underscores ("dibao.standard" →
"dibao_standard"; ratios get "_num" and "_den").
"""

from datetime import date
from decimal import Decimal

import polars as pl

from minzheng.rules.parameters import Parameter, Resolved, resolve

RATIO_UNITS = frozenset({"倍", "比例"})

EXPLANATION_SCHEMA = {
    "region_code": pl.Utf8,
    "area_type": pl.Utf8,
    "parameter": pl.Utf8,
    "label": pl.Utf8,
    "value": pl.Utf8,
    "unit": pl.Utf8,
    "source_region": pl.Utf8,
    "effective_from": pl.Date,
    "reference": pl.Utf8,
}


def column(name: str) -> str:
    return name.replace(".", "_")


def kind_of(parameter: Parameter) -> str:
    if "元" in parameter.unit:
        return "fen"
    return "ratio" if parameter.unit in RATIO_UNITS else "int"


def bind(
    keys: list[tuple[str, str]], names: list[str], as_of: date, tree: dict[str, Parameter]
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(wide table keyed by region_code and area_type, long explanation table)."""
    schema = {"region_code": pl.Utf8, "area_type": pl.Utf8}
    for name in names:
        schema |= _columns(name, kind_of(tree[name]))
    wide, long = [], []
    for region, area in keys:
        row: list = [region, area]
        for name in names:
            resolved = resolve(tree[name], as_of, region, area if tree[name].by_area else None)
            row += _values(resolved.value, kind_of(tree[name]), name)
            long.append(_explained(region, area, tree[name], resolved))
        wide.append(tuple(row))
    return (
        pl.DataFrame(wide, schema=schema, orient="row"),
        pl.DataFrame(long, schema=EXPLANATION_SCHEMA, orient="row"),
    )


def _columns(name: str, kind: str) -> dict:
    if kind == "ratio":
        return {f"{column(name)}_num": pl.Int64, f"{column(name)}_den": pl.Int64}
    return {column(name): pl.Int64}


def _values(value: Decimal, kind: str, name: str) -> list[int]:
    if kind == "fen":
        return [int((value * 100).to_integral_value())]
    if kind == "ratio":
        return list(value.as_integer_ratio())
    if value != value.to_integral_value():
        raise ValueError(f"参数 {name} 应为整数，实际为 {value}")
    return [int(value)]


def _explained(region: str, area: str, parameter: Parameter, resolved: Resolved) -> tuple:
    return (
        region,
        area,
        parameter.name,
        parameter.label,
        str(resolved.value),
        parameter.unit,
        resolved.region,
        resolved.start,
        resolved.reference,
    )
