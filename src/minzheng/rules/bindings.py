"""Binding parameters to households: resolve each needed parameter once per distinct
(region, urban/rural) pair, as columns to spread and as an explanation table.

A parameter with national entries only has at most one value per area, whatever the regions:
it is bound per area (two values), not per region key (thousands with village codes), so
county-level standards cost no more than the one parameter that has them.

The kind of a value follows from its unit, so programs name parameters and nothing else:
money (元…) becomes integer fen, a multiple or share (倍, 比例) an exact integer ratio
(numerator, denominator: compared without dividing), anything else (月, 岁, 套, 开关…) an integer.
Column names are the parameter names with dots as underscores ("dibao.standard" →
"dibao_standard"; ratios get "_num" and "_den").
"""

import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable
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
    by_area: dict[str, dict[str, int]]  # the columns whose value differs by area only
    constants: dict[str, int]  # the columns with one value for every key
    columns: list[str]  # all of them, in the parameters' order
    # Per parameter bound, its resolutions by (region prefix, area) and the keys used of them
    used: list[tuple[Parameter, dict[tuple, tuple[list[int], Resolved]], Iterable[tuple]]]

    @cached_property
    def resolutions(self) -> list[tuple]:
        """The distinct resolutions used, as rows of EXPLANATION_SCHEMA: built when read (a
        batch with county standards has thousands, a screen reads one household's)."""
        rows: dict[tuple, tuple] = {}
        for parameter, resolved, keys in self.used:
            for key in keys:
                found = resolved[key][1]
                rows.setdefault((parameter.name, found.region, key[1]), (parameter, key[1], found))
        return [_explained(*row) for row in rows.values()]

    def constant_columns(self, names: list[str] | None = None) -> list[pl.Expr]:
        """Constants as literal columns: broadcast, not joined row by row."""
        return [
            pl.lit(value, pl.Int64).alias(name)
            for name, value in self.constants.items()
            if names is None or name in names
        ]

    def explained(self) -> pl.DataFrame:
        return pl.DataFrame(self.resolutions, schema=EXPLANATION_SCHEMA, orient="row")


_KEPT: OrderedDict = OrderedDict()
_KEPT_LOCK = threading.Lock()  # bindings are made in request threads and in the background


def bound_for(plan, fingerprint: tuple, keys: Callable[[], list], tree: dict[str, Parameter]):
    """The plan's binding of the keys `fingerprint` stands for, kept per plan and tree for the
    last 256 asked: screening the same household or region again (a case screen, a clerk's
    what-ifs, a county's daily run, a publication's preview) resolves and binds nothing. Trees
    are never changed in place: a publication makes a new one (rules/publication.py)."""
    cache_key = (plan, fingerprint, id(tree))
    with _KEPT_LOCK:
        kept = _KEPT.get(cache_key)
    if kept is not None and kept[0] is tree:
        return kept[1]
    bound = bind(keys(), list(plan.parameters), plan.as_of, tree)
    with _KEPT_LOCK:
        _KEPT[cache_key] = (tree, bound)  # holding the tree keeps its id from being reused
        if len(_KEPT) > 256:
            _KEPT.popitem(last=False)
    return bound


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
    by_area: dict[str, dict[str, int]] = {}
    constants: dict[str, int] = {}
    used: list = []
    first: dict[str, str] = {}  # each area's first region, which an error message names
    for region, area in keys:
        first.setdefault(area, region)
    for name in names:
        parameter, kind = tree[name], kind_of(tree[name])
        columns = _columns(name, kind)
        if parameter.prefix_lengths == (0,):  # national entries only: a value per area
            per_area = _per_area(parameter, kind, first, as_of, used)
            for index, column_name in enumerate(columns):
                values = {area: found[index] for area, found in per_area.items()}
                if len(set(values.values())) == 1:
                    constants[column_name] = next(iter(values.values()))
                else:
                    by_area[column_name] = values
            continue
        per_key = _per_key(parameter, kind, keys, as_of, used)
        for index, column_name in enumerate(columns):
            values = [found[index] for found in per_key]
            if len(set(values)) == 1:
                constants[column_name] = values[0]
            else:
                varying[column_name] = values
    return Bound(keys, varying, by_area, constants, columns_of(names, tree), used)


def _per_area(parameter: Parameter, kind: str, first: dict, as_of: date, used: list) -> dict:
    """A national parameter's values for each area, resolved at the area's first region (an
    odd area is refused, naming it); one entry, under the first area, when it is not split
    urban/rural."""
    found = {}  # by ("", area), as _per_key's; the area is None when not split
    for area, region in first.items() if parameter.by_area else list(first.items())[:1]:
        resolved = resolve(parameter, as_of, region, area)
        key = ("", area if parameter.by_area else None)
        found[key] = (_values(resolved.value, kind, parameter.name), resolved)
    used.append((parameter, found, found))
    return {area: values for (_, area), (values, _) in found.items()}


def _per_key(parameter: Parameter, kind: str, keys, as_of: date, used: list) -> list[list[int]]:
    """The parameter's values for each key. A value depends only on the code's longest
    significant prefix (with village codes as keys and county-level entries, thousands of keys
    share a few hundred) and on the area. Resolutions are kept with the parameter per day: the
    next evaluation resolves nothing."""
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
    used.append((parameter, kept, distinct))  # kept only grows: read when explained
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
