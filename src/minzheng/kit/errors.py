"""Typed domain errors with a stable code, an HTTP status and a Chinese message.

Each app declares its errors in its own `errors.py` as an `ErrorCode` enum: the code, the HTTP
status and the Chinese message (with {placeholders}) in one line, so a code has one meaning and
tests assert codes, not message text. A service raises `Error.X.error(value=…, field=…)`; every
entry point (view, API, CLI) turns the raised error into a response the same way, so an
expected conflict is a 409 with a message, never a 500.
"""

from enum import Enum

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render


class DomainError(Exception):
    code = "domain_error"
    status = 400
    default_message = "操作无法完成。"

    def __init__(self, message: str | None = None, *, field: str | None = None) -> None:
        self.message = message or self.default_message
        self.field = field
        super().__init__(self.message)

    def as_dict(self) -> dict[str, str | None]:
        return {"code": self.code, "message": self.message, "field": self.field}

    @property
    def error_code(self) -> "ErrorCode | None":
        return getattr(self, "_error_code", None)

    @classmethod
    def of(cls, declared: "ErrorCode", /, *, field: str | None = None, **values) -> "DomainError":
        """This exception class carrying a declared code (for callers that catch the class)."""
        exc = cls(declared.text(**values), field=field)
        exc.code, exc.status, exc._error_code = declared.value, declared.status, declared
        return exc


class ValidationFailed(DomainError):
    code = "validation_failed"
    status = 422
    default_message = "输入有误。"


class NotFound(DomainError):
    code = "not_found"
    status = 404
    default_message = "对象不存在或不在您的管辖范围内。"


class Forbidden(DomainError):
    code = "forbidden"
    status = 403
    default_message = "您没有执行此操作的权限。"


class Conflict(DomainError):
    code = "conflict"
    status = 409
    default_message = "数据已被他人修改，请刷新后重试。"


class ErrorCode(Enum):
    """An app's errors: NAME = "code", HTTP status, "中文说明（可含 {占位}）".

    `error(**values)` builds the exception to raise: a ValidationFailed, Conflict, NotFound or
    Forbidden by its status (callers may catch those), carrying the code and the message with
    the values filled in."""

    def __new__(cls, code: str, status: int, message: str):
        member = object.__new__(cls)
        member._value_ = code
        member.status = status
        member.message = message
        return member

    @property
    def code(self) -> str:
        return self.value

    def text(self, **values) -> str:
        return self.message.format(**values) if values else self.message

    def error(self, *, field: str | None = None, **values) -> DomainError:
        return _KIND_BY_STATUS.get(self.status, DomainError).of(self, field=field, **values)


_KIND_BY_STATUS = {422: ValidationFailed, 409: Conflict, 404: NotFound, 403: Forbidden}


class Error(ErrorCode):
    """The kit's own refusals (amounts, holiday calendar, uploaded documents)."""

    BAD_AMOUNT = "bad_amount", 422, "金额格式不正确：{value}"
    NO_HOLIDAY_CALENDAR = (
        "no_holiday_calendar",
        422,
        "尚无 {year} 年的法定节假日安排，无法计算工作日；请升级 chinesecalendar。",
    )
    DOCUMENT_TYPE = "document_type", 422, "附件只能是 PDF、PNG 或 JPG 文件。"
    DOCUMENT_TOO_LARGE = "document_too_large", 422, "附件不能超过 10 MB。"
    DOCUMENT_CONTENT = "document_content", 422, "附件内容与文件类型不符。"
    UPLOAD_TYPE = "upload_type", 422, "只能导入 .xlsx 或 .csv 文件。"
    EMPTY_FILE = "empty_file", 422, "文件是空的。"
    TOO_MANY_ROWS = "too_many_rows", 422, "文件超过 {limit} 行，请拆分后分批导入。"
    TOO_MANY_COLUMNS = "too_many_columns", 422, "表格超过 {limit} 列，请只保留模板中的列。"
    REPEATED_COLUMNS = "repeated_columns", 422, "第1行有重复的列：{columns}。"
    CSV_ENCODING = "csv_encoding", 422, "无法识别 CSV 文件的编码，请另存为 UTF-8 或 GBK 编码。"
    CSV_UNREADABLE = "csv_unreadable", 422, "无法读取该 CSV 文件，请确认是逗号分隔的文本文件。"
    PARQUET_UNREADABLE = "parquet_unreadable", 422, "无法读取该 Parquet 文件。"
    WORKBOOK_UNREADABLE = (
        "workbook_unreadable",
        422,
        "无法读取该 Excel 文件，请确认是未加密的 .xlsx 文件。",
    )
    WORKBOOK_BOMB = (
        "workbook_bomb",
        422,
        "该 Excel 文件解压后过大或压缩比异常，已拒绝读取；请另存为普通 .xlsx 后重试。",
    )
    WORKBOOK_TOO_SLOW = "workbook_too_slow", 422, "读取该 Excel 文件超时，请拆分后分批导入。"
    NUMBER_OUT_OF_RANGE = "number_out_of_range", 400, "输入的数字超出范围。"
    BAD_MULTIPART = "bad_multipart", 400, "上传的表单格式有误（缺少分隔符），请重新提交。"
    ID_MISSING = "id_missing", 422, "请填写身份证号码。"
    ID_EXCEL_MANGLED = (
        "id_excel_mangled",
        422,
        "身份证号码已被 Excel 改成科学计数法（如 1.10105E+17），末尾数字已丢失；"
        "请将该列设为文本格式后重新录入。",
    )
    ID_LENGTH = "id_length", 422, "身份证号码应为18位（或旧版15位），实际为{length}位。"
    ID_CHARACTERS = "id_characters", 422, "身份证号码只能包含数字，最后一位可以是 X。"
    ID_CHECKSUM = "id_checksum", 422, "身份证号码校验位不正确，请核对是否录入有误。"
    ID_BIRTH_DATE = "id_birth_date", 422, "身份证号码中的出生日期无效。"
    ID_BIRTH_FUTURE = "id_birth_future", 422, "身份证号码中的出生日期晚于今天。"
    ID_REGION = "id_region", 422, "身份证号码前2位不是有效的省级行政区划代码。"


def declared_error_codes() -> list[type[ErrorCode]]:
    """Every app's ErrorCode enums (their errors.py imported), for the checks and the docs."""
    from importlib import import_module
    from importlib.util import find_spec

    from django.apps import apps

    for config in apps.get_app_configs():
        if config.name.startswith("minzheng.") and find_spec(f"{config.name}.errors"):
            import_module(f"{config.name}.errors")
    return _kinds(ErrorCode)


def _kinds(base: type) -> list[type]:
    found = []
    for kind in base.__subclasses__():
        found += [kind, *_kinds(kind)]
    return found


def as_domain_error(exc: Exception) -> DomainError | None:
    """The refusal an exception means for the user, or None for a real fault (a 500). A number
    too large for the database (a 20-digit id, page 10^30) is the user's input, not our fault:
    SQLite raises OverflowError, PostgreSQL a DataError."""
    from django.db import DataError

    if isinstance(exc, DomainError):
        return exc
    if isinstance(exc, OverflowError | DataError):
        return Error.NUMBER_OUT_OF_RANGE.error()
    return None


class DomainErrorMiddleware:
    """Renders a DomainError escaping a view: JSON for API calls, a Chinese page otherwise."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exc: Exception) -> HttpResponse | None:
        exc = as_domain_error(exc)
        if exc is None:
            return None
        if request.path.startswith("/api/") or "application/json" in request.headers.get(
            "Accept", ""
        ):
            return JsonResponse(exc.as_dict(), status=exc.status)
        return render(request, "web/error.html", {"error": exc}, status=exc.status)
