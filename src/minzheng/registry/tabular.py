"""The household spreadsheet: its columns, the blank template, the export.

One row per person; the household columns repeat on every member row. Headers are Chinese,
because bureaus fill these sheets by hand. Uploads are read by `kit.sheets.read_upload`, every
cell as text (an ID number typed into Excel as a number has already lost digits; we let the ID
check say so). Exports mask ID numbers, phones, bank accounts and certificates, and neutralise
cells that a spreadsheet would run as a formula.
"""

import datetime as dt
import io
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Sum
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font
from openpyxl.worksheet.datavalidation import DataValidation

from minzheng.audit.services import record
from minzheng.kit.exports import csv_bytes, xlsx_bytes
from minzheng.kit.masking import mask_bank_account, mask_id_number, mask_phone
from minzheng.kit.money import round_money
from minzheng.kit.sheets import MAX_ROWS
from minzheng.regions import codes
from minzheng.regions.models import Region
from minzheng.regions.scoping import scope_queryset, user_region_prefix
from minzheng.registry import selectors
from minzheng.registry.errors import Error
from minzheng.registry.events import Event
from minzheng.registry.models import IncomeItem, Person

EXAMPLE_MARK = "示例"  # a 户编号 starting with this marks the template's example row

YES_NO = {"是": True, "否": False}


@dataclass(frozen=True)
class Column:
    header: str
    field: str  # the registry's column name in the bulk frames
    level: str  # "household", "person" or "income"
    kind: str = "text"  # text, code (spaces and full-width digits removed), choice, grade, money
    required: bool = False
    choices: dict = field(default_factory=dict)  # label → stored value
    default: str | None = None  # label assumed when the cell is blank
    max_length: int | None = None
    example: str = ""

    @property
    def note(self) -> str:
        parts = ["必填" if self.required else "选填"]
        if self.choices:
            parts.append("可选：" + "、".join(self.choices))
        if self.default:
            parts.append(f"空白视为“{self.default}”")
        return "；".join(parts)


def _choice(header, name, choices, **kw) -> Column:
    return Column(header, name, "person", "choice", choices=choices, **kw)


def _money(header: str, category: str, example: str = "") -> Column:
    return Column(header, category, "income", "money", example=example)


EXCLUSIONS = {
    "服刑": "imprisoned",
    "强制隔离戒毒": "drug_rehab",
    "宣告失踪": "declared_missing",
    "宗教教职人员": "clergy_apart",
    "义务兵": "conscript",
}
PARENT_SITUATIONS = {
    "正常": "normal",
    "死亡": "dead",
    "宣告失踪": "missing",
    "重度残疾": "severe_disability",
    "重病": "serious_illness",
    "服刑在押": "in_prison",
    "失联": "lost_contact",
    "被撤销监护资格": "guardianship_revoked",
    "被遣送出境": "deported",
}
RELATIONS = {
    "户主": "head",
    "配偶": "spouse",
    "子女": "child",
    "父母": "parent",
    "孙子女": "grandchild",
    "兄弟姐妹": "sibling",
    "其他": "other",
}
COLUMNS: tuple[Column, ...] = (
    Column("户编号", "household_no", "household", "code", True, max_length=20,
           example=EXAMPLE_MARK + "（导入时忽略此行）"),
    Column("村居区划代码", "village_code", "household", "code", True, example="330122002001"),
    Column("家庭地址", "address", "household", required=True, max_length=200,
           example="幸福路1号"),
    Column("城乡", "area_type", "household", "choice", True,
           choices={"城镇": "urban", "农村": "rural"}, example="农村"),
    Column("户籍区划代码", "hukou_region_id", "household", "code"),
    Column("户籍地址", "hukou_address", "household", max_length=200),
    _choice("与户主关系", "relation", RELATIONS, required=True, example="户主"),
    Column("姓名", "name", "person", required=True, max_length=50, example="张三"),
    Column("身份证号码", "id_number", "person", "code", True, example="11010519491231002X"),
    Column("手机号码", "phone", "person", "code", example="13800000000"),
    _choice("是否共同生活", "co_resident", YES_NO, default="是"),
    _choice("不计入家庭成员情形", "exclusion", EXCLUSIONS),
    _choice("残疾类别", "disability_category", {
        "视力": "visual", "听力": "hearing", "言语": "speech", "肢体": "physical",
        "智力": "intellectual", "精神": "mental", "多重": "multiple",
    }),
    Column("残疾等级", "disability_grade", "person", "grade"),
    Column("残疾证号", "disability_certificate", "person", "code", max_length=30),
    _choice("劳动能力", "labour_capacity", {"完全": "full", "部分": "partial", "无": "none"},
            default="完全", example="部分"),
    _choice("是否重病", "serious_illness", YES_NO, default="否", example="否"),
    _choice("是否就业", "employed", YES_NO, default="否", example="否"),
    _choice("在学情况", "student_status", {
        "学前": "preschool", "小学": "primary", "初中": "junior", "高中": "senior",
        "中职": "vocational", "大学": "college",
    }),
    _choice("父亲情况", "father_situation", PARENT_SITUATIONS),
    _choice("母亲情况", "mother_situation", PARENT_SITUATIONS),
    Column("开户银行", "bank_name", "person", max_length=100, example="农村信用社"),
    Column("银行账号", "bank_account", "person", "code", example="6217000000000000000"),
    _money("月工资性收入", "wage", "1500.00"),
    _money("月经营净收入", "business"),
    _money("月财产净收入", "property"),
    _money("月转移净收入", "transfer", "200.00"),
    _money("月其他收入", "other"),
)  # fmt: skip
HEADERS = [c.header for c in COLUMNS]
BY_HEADER = {c.header: c for c in COLUMNS}
BY_FIELD = {c.field: c for c in COLUMNS}


# ---- writing -----------------------------------------------------------------------------------


def _with_headers(rows):
    yield HEADERS
    yield from rows


def to_csv(rows) -> bytes:
    return csv_bytes(_with_headers(rows))


def to_xlsx(rows, *, title: str = "家庭成员") -> bytes:
    return xlsx_bytes([(title, _with_headers(rows))])


def _save(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def template_for(user) -> bytes:
    """The template with the villages of the user's region on its second sheet."""
    prefix = user_region_prefix(user)
    villages = (
        Region.objects.none()
        if prefix is None
        else Region.objects.filter(code__startswith=prefix, level=codes.VILLAGE)
    )
    rows = villages.order_by("code").values_list("code", "name", "parent__name")
    return template_xlsx(list(rows))


def template_xlsx(villages: list[tuple[str, str, str]]) -> bytes:
    """The blank import template: headers with notes and drop-downs, one example row (ignored
    on import), text format for codes, and a second sheet listing (code, name, township)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "家庭成员"
    sheet.append(HEADERS)
    sheet.append([c.example or None for c in COLUMNS])
    sheet.freeze_panes = "A2"
    for index, column in enumerate(COLUMNS, start=1):
        cell = sheet.cell(row=1, column=index)
        cell.font = Font(bold=True, color="C00000" if column.required else "000000")
        cell.comment = Comment(column.note, "民政")
        letter = cell.column_letter
        sheet.column_dimensions[letter].width = max(10, 2 * len(column.header) + 2)
        if column.kind == "code":  # Excel would turn long digit strings into rounded numbers
            sheet.column_dimensions[letter].number_format = "@"
        if column.choices:
            listing = DataValidation(type="list", formula1='"' + ",".join(column.choices) + '"')
            listing.add(f"{letter}2:{letter}{MAX_ROWS + 1}")
            sheet.add_data_validation(listing)
    codes = workbook.create_sheet("村居区划代码")
    codes.append(["村居区划代码", "村（居）名称", "所属乡镇（街道）"])
    for row in villages:
        codes.append(list(row))
    codes.column_dimensions["A"].width = 16
    codes.column_dimensions["B"].width = 24
    codes.column_dimensions["C"].width = 20
    return _save(workbook)


# ---- export ------------------------------------------------------------------------------------

CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}
_MASKS = {
    "id_number": mask_id_number,
    "phone": mask_phone,
    "bank_account": mask_bank_account,
    "disability_certificate": mask_id_number,
}
_LABELS = {c.field: {v: k for k, v in c.choices.items()} for c in COLUMNS if c.choices}
_HOUSEHOLD_ATTRIBUTES = {"household_no": "number", "village_code": "region_id"}


@dataclass(frozen=True)
class ExportFile:
    content: bytes
    file_name: str
    content_type: str
    households: int
    persons: int


def export_households(user, fmt: str, *, search: str = "", region_code: str = "") -> ExportFile:
    """The households and members in the user's region (optionally filtered like the list),
    masked, as .xlsx or .csv; records "registry.exported" in the caller's transaction."""
    if not user.has_perm("registry.export_household"):
        raise Error.EXPORT_NOT_PERMITTED.error()
    if fmt not in CONTENT_TYPES:
        raise Error.EXPORT_FORMAT.error()
    prefix = _region_prefix(region_code)
    households = selectors.households_for(user, search=search, region_code=prefix)
    persons = scope_queryset(
        Person.objects.filter(household__in=households.order_by().values("pk")), user
    ).select_related("household")
    incomes = _monthly_incomes(persons)
    ordered = persons.order_by("household__number", "id").iterator(chunk_size=2000)
    rows = [export_row(person, incomes.get(person.pk, {})) for person in ordered]
    content = to_xlsx(rows) if fmt == "xlsx" else to_csv(rows)
    counts = {"households": len({row[0] for row in rows}), "persons": len(rows)}
    record(
        Event.EXPORTED,
        actor=user,
        object_type="household",
        region_code=user.region_id,
        after={"format": fmt, "region_filter": prefix, "searched": bool(search), **counts},
    )
    name = f"households-{dt.date.today():%Y%m%d}.{fmt}"
    return ExportFile(content, name, CONTENT_TYPES[fmt], **counts)


def _region_prefix(region_code: str) -> str:
    if not region_code.strip():
        return ""
    try:
        return codes.prefix_of(codes.normalize_code(region_code))
    except ValueError as exc:
        raise Error.EXPORT_REGION_FILTER.error(field="region_code", problem=str(exc)) from None


def export_row(person: Person, incomes: dict[str, Decimal]) -> list:
    row = []
    for column in COLUMNS:
        if column.level == "income":
            row.append(incomes.get(column.field, ""))
            continue
        source = person.household if column.level == "household" else person
        value = getattr(source, _HOUSEHOLD_ATTRIBUTES.get(column.field, column.field))
        if column.field in _LABELS:
            value = _LABELS[column.field].get(value, "")
        elif column.field in _MASKS:
            value = _MASKS[column.field](value)
        row.append("" if value is None else value)
    return row


def _monthly_incomes(persons) -> dict[int, dict[str, Decimal]]:
    """Counted income per person and category, annual items as a twelfth, rounded once."""
    totals: dict[int, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    items = (
        IncomeItem.objects.filter(person__in=persons.order_by().values("pk"), excluded=False)
        .values("person_id", "category", "period")
        .annotate(total=Sum("amount"))
    )
    for item in items:
        monthly = item["total"] if item["period"] == "monthly" else item["total"] / 12
        totals[item["person_id"]][item["category"]] += monthly
    return {
        pk: {category: round_money(amount) for category, amount in by_category.items()}
        for pk, by_category in totals.items()
    }
