"""Running an evaluation plan on Polars frames: a region, a province, a Spark partition.

Each table is a lazy frame the steps extend; a table is collected when another step reads it
(persons before the households sum them, households before their context goes to the members),
so the whole evaluation is four linear plans (a shared sub-plan would be run twice).
Parameters are bound once per distinct (region prefix, area), or once per area when they have
national entries only, and gathered per household (no join); values that are the same
everywhere are broadcast as literals.
"""

import threading
from concurrent.futures import Future

import numpy as np
import polars as pl

from minzheng.rules.assessment import ASSET_SCHEMA, SUPPORTER_SCHEMA, Frames, with_defaults
from minzheng.rules.bindings import Bound, bound_for, columns_of
from minzheng.rules.parameters import Parameter
from minzheng.rules.plan import Plan
from minzheng.rules.row_code import output_name
from minzheng.rules.steps import (
    HOUSEHOLDS,
    PERSONS,
    Bind,
    Context,
    Defaults,
    Derive,
    Drop,
    Summarise,
)

# The query optimiser saves a little on a region (≈8% on a million persons) and costs more than
# all the work on a few households: it runs only from this many households.
_SMALL = 1_000
AREAS = ("rural", "urban")  # the binding key's last bit


def run(plan: Plan, frames: Frames, tree: dict[str, Parameter]):
    """(households, persons, bound) for the frames' households."""
    depth = max(tree[name].prefix_lengths[0] for name in plan.parameters)

    def binding() -> tuple[_Regions, Bound]:
        regions = _Regions(frames.households, depth)
        return regions, bound_for(plan, regions.fingerprint, regions.keys, tree)

    # On a region, finding each household's key (≈ 10 ms of processor time on a million persons
    # with county standards) and binding the keys overlaps the members' sums, which need
    # neither; a few households are bound at once (a thread costs more).
    pending = _in_background(binding) if frames.households.height >= _SMALL else _done(binding)
    tables = _Tables(frames, pending, columns_of(plan.person_parameters, tree))
    for step in plan.steps:
        tables.apply(step)
    return tables.frame(HOUSEHOLDS), tables.frame(PERSONS), tables.bound


def _in_background(work) -> Future:
    """`work()` in a thread of its own (not a pool: a forked process would inherit a pool whose
    threads are gone); its error is raised where the result is read."""
    future: Future = Future()

    def body():
        try:
            future.set_result(work())
        except BaseException as error:  # raised again by future.result(), in the caller
            future.set_exception(error)

    threading.Thread(target=body, name="minzheng-binding", daemon=True).start()
    return future


def _done(work) -> Future:
    future: Future = Future()
    future.set_result(work())
    return future


class _Regions:
    """The distinct (region prefix, area) pairs the households' values depend on, and which
    pair each household has. A value depends on no more of the code than the longest prefix
    any used parameter has entries for (a county's villages share one)."""

    def __init__(self, households: pl.DataFrame, depth: int):
        self.depth, self.odd = depth, []
        if households.height == 1:  # one household: its own code, which an error message names
            code, area = households["region_code"][0], households["area_type"][0]
            self.numbers, self.odd = np.empty(0, np.int64), [(code, area)]
            self.row_keys = pl.Series([0], dtype=pl.UInt32)
            self.areas = pl.Series([AREAS.index(area) if area in AREAS else None], dtype=pl.UInt32)
            return
        # Per household, its area's position in AREAS, and the pair as one integer (codes are
        # digits): several times faster than on the two strings. Rows whose code or area does
        # not make one keep their strings.
        self.areas = households.select(_area_bit()).to_series()
        key = self.areas.cast(pl.Int64)
        if depth:
            key = _prefix_numbers(households["region_code"], depth) * 2 + key
        self.numbers, self.row_keys = _positions(key)
        if key.null_count():
            odd = households.filter(key.is_null())
            prefix = pl.col("region_code").str.slice(0, depth)
            self.odd = odd.select(prefix, "area_type").unique().sort(pl.all()).rows()

    @property
    def fingerprint(self) -> tuple:
        """What the keys are made of, to find their binding again (kept per plan and tree)."""
        if self.numbers.size == 0 and len(self.odd) == 1:
            return self.odd[0]  # the (code, area) evaluate_one binds too
        return self.depth, self.numbers.tobytes(), tuple(self.odd)

    def keys(self) -> list[tuple[str, str]]:
        """The pairs, in the order of the households' positions; then the odd ones."""
        areas = [AREAS[bit] for bit in (self.numbers & 1).tolist()]
        return [*zip(_prefixes(self.numbers >> 1, self.depth), areas, strict=True), *self.odd]

    def spread(self, name: str, values: list[int]) -> pl.Series:
        """A key's values as a column, a row per household in order: a gather, no join."""
        return pl.Series(name, values, pl.Int64).gather(self.row_keys)

    def spread_by_area(self, name: str, values: dict[str, int]) -> pl.Series:
        return pl.Series(name, [values.get(area) for area in AREAS], pl.Int64).gather(self.areas)


# Keys spanning up to this many values are numbered through a table (county codes with the
# area bit span about a million); wider ones, by sorting the distinct keys (3× slower).
_TABLE_SPAN = 1 << 22


def _positions(key: pl.Series) -> tuple[np.ndarray, pl.Series]:
    """The distinct keys in order, and each row's key's position among them (null where the
    key is null: those rows stay unbound)."""
    present = key.drop_nulls()
    if present.is_empty():
        return np.empty(0, np.int64), pl.Series([None] * key.len(), dtype=pl.UInt32)
    low, high = present.min(), present.max()
    if high - low >= _TABLE_SPAN:
        distinct = present.unique().sort()
        numbers = pl.int_range(distinct.len(), dtype=pl.UInt32, eager=True)
        return distinct.to_numpy(), key.replace_strict(distinct, numbers, default=None)
    # A null row is counted at `low`, which a real row has; its position is nulled below.
    offsets = (key.fill_null(low) if key.null_count() else key).to_numpy() - low
    seen = np.zeros(high - low + 1, dtype=np.bool_)
    seen[offsets] = True
    distinct = np.flatnonzero(seen)
    number = np.zeros(seen.size, dtype=np.uint32)  # per offset, its position among the seen
    number[distinct] = np.arange(distinct.size, dtype=np.uint32)
    positions = pl.Series(number[offsets])
    if key.null_count():
        positions = pl.select(pl.when(key.is_not_null()).then(positions)).to_series()
    return distinct + low, positions


def _prefixes(numbers: np.ndarray, depth: int) -> list[str]:
    """The numbers as region prefixes, zero-filled to `depth` digits."""
    if depth == 0:
        return [""] * numbers.size
    return pl.Series(numbers).cast(pl.Utf8).str.zfill(depth).to_list()


class _Tables:
    def __init__(self, frames: Frames, pending: Future, person_parameters: list):
        self.tables: dict[str, pl.DataFrame | pl.LazyFrame] = {
            HOUSEHOLDS: _flag_sorted(frames.households, "household_id"),
            PERSONS: _flag_sorted(frames.persons, "household_id", "person_id"),
            "incomes": _flag_sorted(frames.incomes, "person_id"),
            "assets": _flag_sorted(frames.assets, "household_id")
            if frames.assets is not None
            else _empty(ASSET_SCHEMA),
            "supporters": (
                frames.supporters if frames.supporters is not None else _empty(SUPPORTER_SCHEMA)
            ),
        }
        self.pending, self.person_parameters = pending, person_parameters
        self.big = frames.households.height >= _SMALL

    def apply(self, step) -> None:
        if isinstance(step, Defaults):
            self.tables[step.table] = with_defaults(self.frame(step.table), step.columns)
        elif isinstance(step, Derive):
            self.tables[step.table] = self.lazy(step.table).with_columns(step.columns)
        elif isinstance(step, Summarise):
            self.tables[step.target] = self._summarise(step)
        elif isinstance(step, Bind):
            self.tables[HOUSEHOLDS] = self._bind()
        elif isinstance(step, Context):
            self.tables[PERSONS] = self._context(step)
        elif isinstance(step, Drop):
            self.tables[step.table] = self.lazy(step.table).drop(step.columns)
        else:
            raise TypeError(f"unknown step {step!r}")

    @property
    def regions(self) -> _Regions:
        return self.pending.result()[0]

    @property
    def bound(self) -> Bound:
        return self.pending.result()[1]

    def lazy(self, name: str) -> pl.LazyFrame:
        return self.tables[name].lazy()

    def frame(self, name: str) -> pl.DataFrame:
        table = self.tables[name]
        if isinstance(table, pl.LazyFrame):
            flags = pl.QueryOptFlags() if self.big else pl.QueryOptFlags.none()
            table = self.tables[name] = table.collect(engine="in-memory", optimizations=flags)
        return table

    def _summarise(self, step: Summarise) -> pl.LazyFrame:
        target, source = self.lazy(step.target), self.frame(step.source)
        names = [output_name(e) for e in step.sums]
        if source.height == 0:  # nothing to join: every target gets 0
            return target.with_columns(pl.lit(0, pl.Int64).alias(n) for n in names)
        sums = _sums_by_key(source, step)
        if step.into:
            sums = sums.rename({step.key: step.into})
        joined = target.join(sums, on=step.target_key, how="left", maintain_order="left")
        return joined.with_columns(pl.col(names).fill_null(0))

    def _bind(self) -> pl.LazyFrame:
        # The steps before keep the households' rows in order (joins keep the left order).
        regions, bound = self.regions, self.bound
        columns = {e.meta.output_name(): e for e in bound.constant_columns()}
        columns |= {n: regions.spread(n, v) for n, v in bound.varying.items()}
        columns |= {n: regions.spread_by_area(n, v) for n, v in bound.by_area.items()}
        return self.lazy(HOUSEHOLDS).with_columns(columns[name] for name in bound.columns)

    def _context(self, step: Context) -> pl.LazyFrame:
        wanted = self.person_parameters
        varying = [c for c in wanted if c not in self.bound.constants]
        context = self.frame(HOUSEHOLDS).lazy().select("household_id", *step.columns, *varying)
        return (
            self.lazy(PERSONS)
            .join(context, on="household_id", how="left", maintain_order="left")
            .with_columns(self.bound.constant_columns(wanted))
        )


def _area_bit() -> pl.Expr:
    """The area's position in AREAS; null for any other value."""
    area_type = pl.col("area_type")
    bit = pl.when(area_type == AREAS[0]).then(0).when(area_type == AREAS[1]).then(1)
    return bit.cast(pl.UInt32).alias("_area")


def _prefix_numbers(codes: pl.Series, depth: int) -> pl.Series:
    """The codes' first `depth` digits as a number; null where they are not all digits."""
    lengths = codes.str.len_bytes()
    length = lengths.min()
    if length is not None and length == lengths.max() and depth <= length <= 18:
        # Codes of one length (the registry's): a whole code is read as one number, twice
        # as fast as slicing. A code parsed to fewer digits than its length had a sign.
        numbers = codes.cast(pl.Int64, strict=False)
        smallest = numbers.min()
        if numbers.null_count() == 0 and smallest is not None and smallest >= 10 ** (length - 1):
            return numbers // 10 ** (length - depth)
    prefix = codes.str.slice(0, depth)
    digits = prefix.str.contains(f"^[0-9]{{{depth}}}$")
    return pl.select(pl.when(digits).then(prefix.cast(pl.Int64, strict=False))).to_series()


def _sums_by_key(source: pl.DataFrame, step: Summarise) -> pl.LazyFrame:
    """Per key, the sum of each expression over the rows where `where` holds. On a key in
    order (the registry's usual case), running totals read at each key's last row: five times
    faster than Polars' group_by, whose cost per group and per sum dominates with households
    of three. Out of order, group_by."""
    names = [output_name(e) for e in step.sums]
    rows = source.lazy().filter(pl.col(step.key).is_not_null())
    if step.where is not None:
        rows = rows.filter(step.where)
    key = pl.col(step.key)
    values = rows.select(key, *step.values)
    if not source[step.key].is_sorted():
        return values.group_by(step.key).agg(pl.col(names).sum())
    last = key.ne_missing(key.shift(-1))  # the last row of each key's run
    totals = values.with_columns(pl.col(names).cum_sum()).filter(last)
    return totals.with_columns(pl.col(n) - pl.col(n).shift(1, fill_value=0) for n in names)


def _flag_sorted(frame: pl.DataFrame, *keys: str) -> pl.DataFrame:
    """Tell Polars which keys are already in order (the snapshot reads by id; a Parquet file
    forgets it): grouping and joining on a sorted key skip hashing — a quarter of the work of
    a region's evaluation. Checking costs one pass over the column."""
    flagged = [pl.col(k).set_sorted() for k in keys if frame.height > 1 and frame[k].is_sorted()]
    return frame.with_columns(flagged) if flagged else frame


def _empty(schema: dict) -> pl.DataFrame:
    return pl.DataFrame(schema=schema)
