"""Binding parameters to households: resolve each needed parameter once per distinct
(region, urban/rural) pair, as columns to join and as an explanation table.

The kind of a value follows from its unit, so programs name parameters and nothing else:
money (元…) becomes integer fen, a multiple or share (倍, 比例) an exact integer ratio
(numerator, denominator: compared without dividing), anything else (月, 岁, 套, 开关…) an integer.
Column names are the parameter names with dots as underscores ("dibao.standard" →
"dibao_standard"; ratios get "_num" and "_den").
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cached_property

import polars as pl

from minzheng.rules.parameters import Parameter, Resolved, resolve

RATIO_UNITS = frozenset({"倍", "比例"})

EXPLANATION_SCHEMA = {
    "parameter": pl.Utf8,
    "area_type": pl.Utf8,  # null when the parameter is not split urban/rural
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


@dataclass(frozen=True)
class Bound:
    keys: list[tuple[str, str]]  # (region_code, area_type) pairs, in order
    varying: dict[str, list[int]]  # the columns whose value differs by key: a value per key
    constants: dict[str, int]  # the columns with one value for every key
    used: dict[tuple, tuple[Parameter, Resolved]]  # (name, source region, area): resolution

    @cached_property
    def resolutions(self) -> list[tuple]:
        """The distinct resolutions used, as rows of EXPLANATION_SCHEMA: built when read (a
        batch with county standards has thousands, a screen reads one household's)."""
        return [_explained(p, area, r) for (_, _, area), (p, r) in self.used.items()]

    def constant_columns(self, names: list[str] | None = None) -> list[pl.Expr]:
        """Constants as literal columns: broadcast, not joined row by row."""
        return [
            pl.lit(value, pl.Int64).alias(name)
            for name, value in self.constants.items()
            if names is None or name in names
        ]

    def explained(self) -> pl.DataFrame:
        return pl.DataFrame(self.resolutions, schema=EXPLANATION_SCHEMA, orient="row")


def columns_of(names, tree: dict[str, Parameter]) -> list[str]:
    """The bound columns of these parameters (a ratio is two: numerator, denominator)."""
    return [c for name in names for c in _columns(name, kind_of(tree[name]))]


def bind(
    keys: list[tuple[str, str]], names: list[str], as_of: date, tree: dict[str, Parameter]
) -> Bound:
    """The parameters' values for each (region_code, area_type) key, with the explanation.

    A value depends only on which of the parameter's regions cover the code, and on the area:
    a parameter with national entries only is resolved once per area however many counties
    there are; a county-level one once per county.
    """
    varying: dict[str, list[int]] = {}
    constants: dict[str, int] = {}
    used: dict[tuple, tuple[Parameter, Resolved]] = {}
    for name in names:
        parameter, kind = tree[name], kind_of(tree[name])
        per_key = _per_key(parameter, kind, keys, as_of, used)
        if per_key and per_key.count(per_key[0]) == len(per_key):  # one value everywhere
            constants.update(zip(_columns(name, kind), per_key[0], strict=True))
            continue
        for index, column_name in enumerate(_columns(name, kind)):
            values = [found[index] for found in per_key]
            if len(set(values)) == 1:
                constants[column_name] = values[0]
            else:
                varying[column_name] = values
    return Bound(keys, varying, constants, used)


def _per_key(parameter: Parameter, kind: str, keys, as_of: date, used: dict) -> list[list[int]]:
    """The parameter's values for each key, resolving once per distinct covering regions."""
    found: dict[tuple, list[int]] = {}

    def values_for(covering: tuple, region: str, area: str | None) -> list[int]:
        if (covering, area) not in found:
            resolved = resolve(parameter, as_of, region, area)
            found[(covering, area)] = _values(resolved.value, kind, parameter.name)
            used[(parameter.name, resolved.region, area)] = (parameter, resolved)
        return found[(covering, area)]

    if parameter.prefix_lengths == (0,):  # national entries only: once per area
        if not parameter.by_area:
            return [values_for(("",), keys[0][0], None)] * len(keys) if keys else []
        first = {area: region for region, area in reversed(keys)}  # an area's first region
        per_area = {area: values_for(("",), region, area) for area, region in first.items()}
        return [per_area[area] for _, area in keys]
    # A value depends only on the code's longest significant prefix (with village codes as
    # keys and county-level entries, thousands of keys share a few hundred) and on the area.
    # Resolutions are kept with the parameter per day: the next evaluation resolves nothing.
    kept = _resolutions(parameter, as_of, kind)
    longest, by_area = parameter.prefix_lengths[0], parameter.by_area
    wanted = [(region[:longest], area if by_area else None) for region, area in keys]
    distinct = dict.fromkeys(wanted)  # in the keys' order, so an error names the first
    if any(key not in kept for key in distinct):
        regions = (region for region, _ in reversed(keys))
        first = dict(zip(reversed(wanted), regions, strict=True))  # a key's first region
        for key in (key for key in distinct if key not in kept):
            resolved = resolve(parameter, as_of, first[key], key[1])
            kept[key] = (_values(resolved.value, kind, parameter.name), resolved)
    for key in distinct:
        used[(parameter.name, kept[key][1].region, key[1])] = (parameter, kept[key][1])
    return [kept[key][0] for key in wanted]


def _resolutions(parameter: Parameter, day: date, kind: str) -> dict:
    """The parameter's resolutions on `day`, by (code prefix, area): kept on the parameter,
    which never changes (a publication makes a new one), for the last few days asked."""
    kept: dict = parameter.__dict__.setdefault("_resolutions", {})
    if (day, kind) not in kept:
        if len(kept) >= 16:
            kept.clear()
        kept[(day, kind)] = {}
    return kept[(day, kind)]


def _columns(name: str, kind: str) -> list[str]:
    return [f"{column(name)}_num", f"{column(name)}_den"] if kind == "ratio" else [column(name)]


def _values(value: Decimal, kind: str, name: str) -> list[int]:
    if kind == "fen":
        return [int((value * 100).to_integral_value())]
    if kind == "ratio":
        return list(value.as_integer_ratio())
    if value != value.to_integral_value():
        raise ValueError(f"参数 {name} 应为整数，实际为 {value}")
    return [int(value)]


def _explained(parameter: Parameter, area: str | None, resolved: Resolved) -> tuple:
    return (
        parameter.name,
        area,
        parameter.label,
        str(resolved.value),
        parameter.unit,
        resolved.region,
        resolved.start,
        resolved.reference,
    )
