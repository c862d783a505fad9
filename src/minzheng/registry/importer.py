"""Spreadsheet import of households: a dry run that reports every problem, then one write.

`preview` checks a template-shaped frame (tabular.COLUMNS, all text) and reports each error and
warning with its spreadsheet row and column and a Chinese message. `run_import` checks again
inside the transaction and writes through `bulk.write_population` only when there is no error:
all rows or none. The checks run on whole columns (Polars); Python touches only distinct values
(region codes, ID numbers that fail the vectorised check, blind indexes for the database).

Who imports: a user holding `registry.import_household`, into villages of his region; or, with
`user=None`, the command-line operator bootstrapping a county (the demo), who must name that
county as `operator_region` and cannot write outside it.
"""

from dataclasses import dataclass

import polars as pl
from django.db import IntegrityError, transaction
from django.utils import timezone

from minzheng.audit.services import record
from minzheng.kit.errors import DomainError
from minzheng.kit.sheets import ROW
from minzheng.regions import codes
from minzheng.registry.bulk import LoadCounts, Progress, write_population
from minzheng.registry.errors import Error
from minzheng.registry.events import Event
from minzheng.registry.import_checks import (
    HH,
    ISSUE_SCHEMA,
    POSITION,
    ImportScope,
    at_header,
    cell_issues,
    header_issues,
    identities,
    issue_rows,
    long_number_issues,
    normalised,
    row_group_issues,
)
from minzheng.registry.import_db import population_of, region_issues, registered_issues
from minzheng.registry.synthetic import Population
from minzheng.registry.tabular import (
    COLUMNS,
    EXAMPLE_MARK,
)

__all__ = [
    "ImportPreview",
    "Issue",
    "frame_from_population",
    "preview",
    "run_import",
]


@dataclass(frozen=True)
class Issue:
    row: int  # spreadsheet row: the header is row 1, the first data row is 2
    column: str  # the column header
    message: str


@dataclass(frozen=True)
class ImportPreview:
    households: int
    persons: int
    incomes: int
    errors: list[Issue]
    warnings: list[Issue]

    @property
    def ok(self) -> bool:
        return not self.errors


def _rejected(errors: list[Issue]) -> DomainError:
    """Error.IMPORT_REJECTED carrying every error found, for the preview page to list."""
    exc = Error.IMPORT_REJECTED.error(count=len(errors))
    exc.errors = errors
    return exc


def import_scope(user, operator_region: str | None = None) -> ImportScope:
    if user is None:
        if not operator_region:
            raise Error.IMPORT_NEEDS_REGION.error()
        return ImportScope(codes.normalize_code(operator_region))
    if operator_region is not None:
        raise ValueError("operator_region is only for the command-line operator (user=None)")
    if not user.has_perm("registry.import_household"):
        raise Error.IMPORT_NOT_PERMITTED.error()
    if not getattr(user, "region_id", None):
        raise Error.IMPORT_WITHOUT_REGION.error()
    return ImportScope(user.region_id)


def preview(rows_frame: pl.DataFrame, user, *, operator_region: str | None = None) -> ImportPreview:
    """The dry run: counts, errors and warnings; nothing is written."""
    return _examine(rows_frame, import_scope(user, operator_region))[0]


def run_import(
    rows_frame: pl.DataFrame,
    user,
    *,
    source_name: str,
    operator_region: str | None = None,
    progress: Progress = lambda stage, done, total: None,
) -> LoadCounts:
    """Check again and write everything, or refuse with IMPORT_REJECTED (carrying every error) and
    write nothing. Records "registry.imported" (no personal data) in the same transaction."""
    scope = import_scope(user, operator_region)
    with transaction.atomic():
        result, population = _examine(rows_frame, scope)
        if result.errors:
            raise _rejected(result.errors)
        try:
            counts = write_population(population, progress=progress, audited_as=None)
        except IntegrityError:  # registered by someone else since the check: the constraint wins
            raise Error.IMPORT_CONFLICT.error() from None
        record(
            Event.IMPORTED,
            actor=user,
            object_type="household",
            region_code=scope.region_code,
            after={
                "file": source_name,
                "households": counts.households,
                "persons": counts.persons,
                "incomes": counts.incomes,
            },
            reason="命令行操作员导入" if user is None else "",
        )
    return counts


# ---- the examination (the checks live in import_checks and import_db) ------------------------


def _examine(frame: pl.DataFrame, scope: ImportScope) -> tuple[ImportPreview, Population | None]:
    errors, warnings = header_issues(frame)
    if errors:
        return _result((0, 0, 0), errors, warnings), None
    errors.append(long_number_issues(frame))
    frame = normalised(frame)
    examples = pl.col(HH).str.starts_with(EXAMPLE_MARK).fill_null(False)
    warnings.append(issue_rows(frame.filter(examples), HH, "模板示例行，已忽略。"))
    frame = frame.filter(~examples)
    if frame.height == 0:
        return _result((0, 0, 0), [at_header("", "文件中没有数据行。")], warnings), None
    frame, id_errors, upgraded = identities(frame, timezone.localdate())
    errors += [*cell_issues(frame), *id_errors, *row_group_issues(frame)]
    errors += [*region_issues(frame, scope), *registered_issues(frame, scope)]
    population = population_of(frame)
    counts = (population.households.height, population.persons.height, population.incomes.height)
    failed = any(issues.height for issues in errors)
    return _result(counts, errors, [*warnings, upgraded]), None if failed else population


def _result(counts: tuple[int, int, int], errors, warnings) -> ImportPreview:
    return ImportPreview(*counts, errors=_as_issues(errors), warnings=_as_issues(warnings))


def _as_issues(frames: list[pl.DataFrame]) -> list[Issue]:
    issues = pl.concat([pl.DataFrame(schema=ISSUE_SCHEMA), *frames], how="vertical")
    ordered = issues.with_columns(
        _at=pl.col("column").replace_strict(POSITION, default=len(POSITION), return_dtype=pl.Int32)
    ).sort(ROW, "_at", "message")
    return [Issue(*row) for row in ordered.select(*ISSUE_SCHEMA).iter_rows()]


# ---- the demo county through the same path ----------------------------------------------------


def frame_from_population(population: Population) -> pl.DataFrame:
    """A synthetic Population as the template's text frame, so the demo loads like an upload.

    The template has one monthly amount per category: monthly equivalents are summed, and items
    excluded by law (which it cannot carry) are left out."""
    homes = population.households.select("household_no", "village_code", "address", "area_type")
    rows = population.persons.join(homes, on="household_no", how="left", maintain_order="left")
    rows = rows.join(_monthly_fen(population.incomes), on="id_number", how="left")
    return rows.select(_template_cell(c, rows.columns) for c in COLUMNS).with_columns(
        pl.int_range(2, rows.height + 2, dtype=pl.Int64).alias(ROW)
    )


def _monthly_fen(incomes: pl.DataFrame) -> pl.DataFrame:
    amount = pl.col("amount_fen")
    monthly = pl.when(pl.col("period") == "annual").then((amount + 6) // 12).otherwise(amount)
    counted = incomes.filter(~pl.col("excluded")).with_columns(monthly.alias("amount_fen"))
    totals = counted.group_by("id_number", "category").agg(pl.col("amount_fen").sum())
    if totals.height == 0:
        return pl.DataFrame(schema={"id_number": pl.Utf8})
    return totals.pivot(on="category", index="id_number", values="amount_fen")


def _template_cell(column, available: list[str]) -> pl.Expr:
    if column.field not in available:
        return pl.lit(None, pl.Utf8).alias(column.header)
    value = pl.col(column.field)
    if column.level == "income":
        text = (value // 100).cast(pl.Utf8) + "." + (value % 100).cast(pl.Utf8).str.zfill(2)
    elif column.choices:
        labels = {stored: label for label, stored in column.choices.items()}
        text = value.replace_strict(labels, default=None, return_dtype=pl.Utf8)
    else:
        text = value.cast(pl.Utf8)
    return text.alias(column.header)
