"""The column-wide checks of a household import (see importer.py): identities, cells, rows that
belong together. Each returns frames of (row, column, message) issues; nothing here writes."""

import datetime as dt
from dataclasses import dataclass

import polars as pl

from minzheng.kit.errors import Error as KitError
from minzheng.kit.ids import (
    PROVINCES,
    InvalidIdNumber,
    as_excel_shows,
    parse_id_number,
    upgrade_15_to_18,
)
from minzheng.kit.sheets import LONG_NUMBERS, ROW, blank_to_null
from minzheng.regions import codes
from minzheng.registry.tabular import (
    BY_FIELD,
    BY_HEADER,
    COLUMNS,
)


@dataclass(frozen=True)
class ImportScope:
    """Where an import may write: the user's region, or the county the operator names."""

    region_code: str

    def contains(self, code: str) -> bool:
        return codes.is_within(code, self.region_code)


HH = "户编号"
ID = "_id"  # the normalised 18-digit ID number
_RELATION = "与户主关系"
_FULLWIDTH = (list("０１２３４５６７８９ｘＸ．－，"), list("0123456789XX.-,"))
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ISSUE_SCHEMA = {ROW: pl.Int64, "column": pl.Utf8, "message": pl.Utf8}
POSITION = {header: index for index, header in enumerate(BY_HEADER)}
_LONG_NUMBER = (
    "该单元格是数字格式，Excel 只保留15位有效数字，末尾数字已丢失；请将该列设为文本格式后重新录入。"
)


def issue_rows(frame: pl.DataFrame, column: str, message: str | pl.Expr) -> pl.DataFrame:
    text = pl.lit(message) if isinstance(message, str) else message
    return frame.select(
        pl.col(ROW).cast(pl.Int64), pl.lit(column).alias("column"), text.alias("message")
    )


def at_header(column: str, message: str) -> pl.DataFrame:
    return pl.DataFrame({ROW: [1], "column": [column], "message": [message]}, schema=ISSUE_SCHEMA)


def header_issues(frame: pl.DataFrame) -> tuple[list, list]:
    missing = [c.header for c in COLUMNS if c.required and c.header not in frame.columns]
    unknown = [h for h in frame.columns if h not in BY_HEADER and h not in (ROW, LONG_NUMBERS)]
    return (
        [at_header(h, "缺少必需的列。") for h in missing],
        [at_header(h, "未识别的列，已忽略。") for h in unknown],
    )


def normalised(frame: pl.DataFrame) -> pl.DataFrame:
    """Template columns as trimmed text (blank = null); codes and numbers without spaces,
    full-width digits or thousands separators. Absent optional columns are blank."""
    if ROW not in frame.columns:
        frame = frame.with_columns(pl.int_range(2, frame.height + 2, dtype=pl.Int64).alias(ROW))
    frame = _long_ids_as_excel_shows(frame)
    cells = []
    for column in COLUMNS:
        cell = pl.col(column.header) if column.header in frame.columns else pl.lit(None)
        cell = cell.cast(pl.Utf8).str.strip_chars()
        if column.kind in ("code", "grade", "money"):
            cell = cell.str.replace_all(r"\s", "").str.replace_many(*_FULLWIDTH).str.to_uppercase()
        if column.kind == "money":
            cell = cell.str.replace_all(",", "", literal=True)
        cells.append(blank_to_null(cell).alias(column.header))
    return frame.select(pl.col(ROW).cast(pl.Int64), *cells)


def _long_ids_as_excel_shows(frame: pl.DataFrame) -> pl.DataFrame:
    """An ID number typed into Excel as a number: its cell as Excel shows it (3.30122E+17), so
    the ID check reports ID_EXCEL_MANGLED, as for a CSV saved from such a sheet."""
    header = BY_FIELD["id_number"].header
    if LONG_NUMBERS not in frame.columns or header not in frame.columns:
        return frame
    flagged = pl.col(LONG_NUMBERS).list.contains(header)
    cell = pl.col(header).cast(pl.Utf8)
    return frame.with_columns(
        pl.when(flagged).then(as_excel_shows(cell)).otherwise(cell).alias(header)
    )


def long_number_issues(frame: pl.DataFrame) -> pl.DataFrame:
    """Code cells typed as long numbers, but the ID number: identities reports that one as
    ID_EXCEL_MANGLED (the same advice, in the ID check's words)."""
    if LONG_NUMBERS not in frame.columns:
        return pl.DataFrame(schema=ISSUE_SCHEMA)
    id_header = BY_FIELD["id_number"].header
    code_headers = [c.header for c in COLUMNS if c.kind == "code" and c.header != id_header]
    cells = frame.select(ROW, pl.col(LONG_NUMBERS).alias("column")).explode("column")
    cells = cells.filter(pl.col("column").is_in(code_headers))
    return issue_rows(cells, "", _LONG_NUMBER).with_columns(cells["column"])


def first_of_household() -> pl.Expr:
    return pl.col(HH).is_null() | (pl.col(ROW) == pl.col(ROW).min().over(HH))


# ---- identities ------------------------------------------------------------------------------


def identities(frame: pl.DataFrame, today) -> tuple[pl.DataFrame, list, pl.DataFrame]:
    """Adds ID (18 digits), _sex and _birth_date; returns the ID errors and the 15→18 warnings.
    Whole columns are checked at once; parse_id_number words the message for the failures."""
    raw = pl.col(BY_FIELD["id_number"].header)
    old = raw.str.contains(r"^\d{15}$").fill_null(False)
    upgrades = {n: upgrade_15_to_18(n) for n in frame.filter(old)[raw.meta.output_name()]}
    frame = frame.with_columns(pl.when(old).then(raw.replace(upgrades)).otherwise(raw).alias(ID))
    frame = frame.with_columns(_vectorised_valid(pl.col(ID), today).fill_null(False).alias("_ok"))
    failing = frame.filter(pl.col(ID).is_not_null() & ~pl.col("_ok"))[ID].unique()
    messages = {}
    for number in failing:
        try:
            parse_id_number(number, today=today)
        except InvalidIdNumber as exc:
            messages[number] = exc.message
    valid = pl.col(ID).is_not_null() & ~pl.col(ID).is_in(list(messages))
    frame = frame.with_columns(pl.when(valid).then(pl.col(ID)).alias(ID)).with_columns(
        pl.when(pl.col(ID).str.slice(16, 1).cast(pl.Int8) % 2 == 1)
        .then(pl.lit("M"))
        .otherwise(pl.lit("F"))
        .alias("_sex"),
        pl.col(ID).str.slice(6, 8).str.to_date("%Y%m%d", strict=False).alias("_birth_date"),
    )
    header = raw.meta.output_name()
    failed = frame.filter(raw.is_not_null() & pl.col(ID).is_null())
    reworded = raw.replace_strict(
        {**messages, **{n: messages[u] for n, u in upgrades.items() if u in messages}},
        default="身份证号码无效。",
    )
    errors = [issue_rows(failed, header, reworded)]
    notice = pl.lit("15位旧身份证号码已升级为18位：") + _masked(pl.col(ID)) + pl.lit("。")
    warned = frame.filter(old & pl.col(ID).is_not_null())
    return frame, errors, issue_rows(warned, header, notice)


def _vectorised_valid(number: pl.Expr, today) -> pl.Expr:
    shaped = number.str.contains(r"^\d{17}[\dX]$")
    total = pl.sum_horizontal(
        number.str.slice(i, 1).cast(pl.Int64, strict=False) * weight
        for i, weight in enumerate(_ID_WEIGHTS)
    )
    check = pl.lit("10X98765432").str.slice(total % 11, 1)
    birth = number.str.slice(6, 8).str.to_date("%Y%m%d", strict=False)
    born = birth.is_between(dt.date(1800, 1, 1), today)
    # A known province only, as kit.ids: never the county code's history at the birth date.
    province = number.str.slice(0, 2).is_in(sorted(PROVINCES))
    return shaped & (number.str.slice(17, 1) == check) & born & province


def _masked(number: pl.Expr) -> pl.Expr:
    return number.str.slice(0, 6) + pl.lit("*" * 8) + number.str.slice(14, 4)


# ---- cells -----------------------------------------------------------------------------------

MONEY = r"^\d{1,10}(\.\d{1,2})?$"
_MONEY_PROBLEMS = (
    (r"^-\d*\.?\d+$", "金额不能为负数。"),
    (r"^\d+\.\d{3,}$", "金额最多保留两位小数。"),
    (r"^\d{11,}(\.\d+)?$", "金额过大。"),
)
FORMATS = {  # field: (pattern, message)
    "village_code": (r"^\d{12}$", "村居区划代码应为12位数字。"),
    "hukou_region_id": (r"^(\d{6}|\d{9}|\d{12})$", "户籍区划代码应为6、9或12位数字。"),
    "phone": (r"^1\d{10}$", "手机号码应为以1开头的11位数字。"),
    "bank_account": (r"^\d{6,32}$", "银行账号应为6至32位数字。"),
    "disability_grade": (r"^[1-4]$", "残疾等级应为1至4的整数。"),
}
_PAIRS = (  # (given, then required, message)
    ("disability_category", "disability_grade", "填写残疾类别时须同时填写残疾等级。"),
    ("disability_grade", "disability_category", "填写残疾等级时须同时填写残疾类别。"),
    ("bank_account", "bank_name", "填写银行账号时须同时填写开户银行。"),
)


def cell_issues(frame: pl.DataFrame) -> list[pl.DataFrame]:
    """One cell at a time; household columns only on each household's first row (the other
    rows must repeat them, which row_group_issues checks)."""
    firsts = frame.filter(first_of_household())
    found = []
    for column in COLUMNS:
        rows = firsts if column.level == "household" else frame
        found += _column_issues(rows, column)
    for given, needed, message in _PAIRS:
        given_cell, needed_cell = pl.col(BY_FIELD[given].header), pl.col(BY_FIELD[needed].header)
        lacking = frame.filter(given_cell.is_not_null() & needed_cell.is_null())
        found.append(issue_rows(lacking, BY_FIELD[needed].header, message))
    return found


def _column_issues(frame: pl.DataFrame, column) -> list[pl.DataFrame]:
    cell, header = pl.col(column.header), column.header
    found = []
    if column.required:
        # A blank ID number in kit.ids' words (ID_MISSING), as every ID check says it.
        blank = KitError.ID_MISSING.text() if column.field == "id_number" else "必填项未填写。"
        found.append(issue_rows(frame.filter(cell.is_null()), header, blank))
    if column.choices:
        allowed = "、".join(column.choices)
        wrong = frame.filter(cell.is_not_null() & ~cell.is_in(list(column.choices)))
        found.append(issue_rows(wrong, header, "“" + cell + f"”不是有效值，应为：{allowed}。"))
    if column.max_length:
        too_long = frame.filter(cell.str.len_chars() > column.max_length)
        found.append(issue_rows(too_long, header, f"内容过长，最多{column.max_length}个字符。"))
    if column.field in FORMATS:
        pattern, message = FORMATS[column.field]
        found.append(issue_rows(frame.filter(~cell.str.contains(pattern)), header, message))
    if column.kind == "money":
        found.append(
            issue_rows(frame.filter(~cell.str.contains(MONEY)), header, _money_problem(cell))
        )
    if column.field == "household_no":
        found.append(_household_number_issues(frame))
    return found


def _money_problem(cell: pl.Expr) -> pl.Expr:
    message = pl.lit("“") + cell + pl.lit("”不是有效的金额。")
    for pattern, problem in reversed(_MONEY_PROBLEMS):
        message = pl.when(cell.str.contains(pattern)).then(pl.lit(problem)).otherwise(message)
    return message


def _household_number_issues(firsts: pl.DataFrame) -> pl.DataFrame:
    number, village = pl.col(HH), pl.col(BY_FIELD["village_code"].header)
    malformed = ~number.str.contains(r"^\d{13,20}$") | (
        village.is_not_null() & ~number.str.starts_with(village)
    )
    message = "户编号应为本户村居区划代码（12位）后接1至8位数字。"
    return issue_rows(firsts.filter(malformed), HH, message)


# ---- rows that belong together ------------------------------------------------------------------


def row_group_issues(frame: pl.DataFrame) -> list[pl.DataFrame]:
    in_household = frame.filter(pl.col(HH).is_not_null()).with_columns(
        _first=pl.col(ROW).first().over(HH).cast(pl.Utf8)
    )
    found = [_duplicate_ids(frame), *_head_issues(in_household)]
    message = "与同户第" + pl.col("_first") + "行不一致，同一户的家庭信息应相同。"
    for column in COLUMNS:
        if column.level == "household" and column.header != HH:
            cell = pl.col(column.header)
            differs = in_household.filter(cell.ne_missing(cell.first().over(HH)))
            found.append(issue_rows(differs, column.header, message))
    return found


def _rows_text(rows: pl.Expr) -> pl.Expr:
    return rows.list.eval(pl.element().cast(pl.Utf8)).list.join("、")


def _duplicate_ids(frame: pl.DataFrame) -> pl.DataFrame:
    known = frame.filter(pl.col(ID).is_not_null())
    repeated = known.filter(pl.len().over(ID) > 1).with_columns(
        _rows=pl.col(ROW).implode().over(ID)
    )
    message = "身份证号码在文件中重复出现（第" + _rows_text(pl.col("_rows")) + "行）。"
    return issue_rows(repeated, BY_FIELD["id_number"].header, message)


def _head_issues(frame: pl.DataFrame) -> list[pl.DataFrame]:
    is_head = pl.col(_RELATION) == "户主"
    counted = frame.with_columns(
        _heads=is_head.sum().over(HH), _head_rows=pl.col(ROW).filter(is_head).implode().over(HH)
    )
    none = counted.filter((pl.col("_heads") == 0) & first_of_household())
    many = counted.filter((pl.col("_heads") > 1) & is_head)
    rows = _rows_text(pl.col("_head_rows"))
    return [
        issue_rows(none, _RELATION, "户 " + pl.col(HH) + " 没有户主，每户应有且只有一名户主。"),
        issue_rows(
            many,
            _RELATION,
            "户 " + pl.col(HH) + " 有多名户主（第" + rows + "行），每户只能有一名户主。",
        ),
    ]
