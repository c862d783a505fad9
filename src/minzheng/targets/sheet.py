"""The targets sheet: its Chinese columns, the blank template, and reading an upload (.xlsx or
.csv, through kit.sheets.read_upload) into checked rows or row-level Chinese errors."""

import io
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

import polars as pl
from openpyxl import Workbook
from openpyxl.styles import Font

from minzheng.accounts.models import User
from minzheng.kit.sheets import ROW
from minzheng.targets import metrics

NUMBER, ITEM, UNIT, VALUE, OWNER, DEADLINE, METRIC, REPORTER = (
    "序号",
    "工作事项",
    "计量单位",
    "目标值",
    "责任单位",
    "完成时限",
    "计算指标",
    "填报人",
)
HEADERS = [NUMBER, ITEM, UNIT, VALUE, OWNER, DEADLINE, METRIC, REPORTER]
REQUIRED = [NUMBER, ITEM, UNIT, VALUE, OWNER, DEADLINE]
LIMITS = {NUMBER: 10, ITEM: 300, UNIT: 20, OWNER: 100}
EXAMPLE = ["1", "新增养老床位", "张", "256", "养老服务科", "2024-12-31", "", ""]


@dataclass(frozen=True)
class Row:
    line: int
    number: str
    item: str
    unit: str
    target_value: Decimal
    owner: str
    deadline: date
    metric: str
    reporter: User | None


def template() -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "工作目标"
    sheet.append(HEADERS)
    sheet.append(EXAMPLE)
    for cell in sheet[1]:
        cell.font = Font(bold=True, color="C00000" if cell.value in REQUIRED else "000000")
    for letter, width in zip("ABCDEFGH", (8, 40, 10, 12, 16, 14, 30, 14), strict=True):
        sheet.column_dimensions[letter].width = width
    choices = book.create_sheet("计算指标")
    choices.append(["代码", "名称", "单位"])
    for metric in metrics.METRICS.values():
        choices.append([metric.code, metric.label, metric.unit])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def check(frame: pl.DataFrame, year: int, taken: set[str], reporters: dict[str, User]):
    """(rows, errors): every row checked; `taken` holds the numbers the year already has,
    `reporters` the accounts a 填报人 may name."""
    missing = [h for h in REQUIRED if h not in frame.columns]
    if missing:
        return [], [f"缺少列：{'、'.join(missing)}。"]
    rows, errors, seen = [], [], {}
    for record in frame.iter_rows(named=True):
        line = record[ROW]
        found = _row(record, line, year, reporters)
        if isinstance(found, str):
            errors.append(f"第{line}行：{found}")
            continue
        if found.number in seen:
            errors.append(f"第{line}行：序号“{found.number}”与第{seen[found.number]}行重复。")
        elif found.number in taken:
            errors.append(f"第{line}行：{year}年已有序号为“{found.number}”的工作目标。")
        seen.setdefault(found.number, line)
        rows.append(found)
    if not rows and not errors:
        errors.append("表格中没有工作目标。")
    return rows, errors


def _row(record: dict, line: int, year: int, reporters: dict) -> Row | str:
    text = {h: (record.get(h) or "").strip() for h in HEADERS}
    for header in REQUIRED:
        if not text[header]:
            return f"缺少{header}。"
    for header, limit in LIMITS.items():
        if len(text[header]) > limit:
            return f"{header}不能超过{limit}个字。"
    value = _decimal(text[VALUE])
    if value is None:
        return f"目标值“{text[VALUE]}”不是数字。"
    if value <= 0:
        return "目标值应大于零。"
    deadline = _date(text[DEADLINE])
    if deadline is None:
        return f"完成时限“{text[DEADLINE]}”不是有效日期（如 {year}-12-31）。"
    if deadline.year != year:
        return f"完成时限应在{year}年内。"
    metric = metrics.metric_named(text[METRIC]) if text[METRIC] else None
    if text[METRIC] and metric is None:
        return f"未知的计算指标“{text[METRIC]}”（见模板的“计算指标”表）。"
    reporter = reporters.get(text[REPORTER]) if text[REPORTER] else None
    if text[REPORTER] and reporter is None:
        return f"填报人“{text[REPORTER]}”不是本区域的工作目标责任人账号。"
    return Row(
        line,
        text[NUMBER],
        text[ITEM],
        text[UNIT],
        value,
        text[OWNER],
        deadline,
        metric.code if metric else "",
        reporter,
    )


def _decimal(text: str) -> Decimal | None:
    cleaned = text.replace(",", "").replace("，", "").removesuffix("%").strip()
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        return None
    if not value.is_finite() or value != value.quantize(Decimal("0.01")):
        return None
    return value


_DATE = re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$")


def _date(text: str) -> date | None:
    found = _DATE.match(text.split("T")[0].strip())
    if not found:
        return None
    try:
        return date(*(int(part) for part in found.groups()))
    except ValueError:
        return None
