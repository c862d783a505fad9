"""The shape of every API refusal, declared in the OpenAPI schema of each operation.

minzheng/api.py answers every refusal as {"code", "message", "field"} (plus pydantic's `errors`
for malformed input, each with a Chinese `message` built here by `chinese_message`); the routes
declare which statuses they may answer so, so that the schema describes every answer a client
can get. Kept apart from minzheng/api.py, which imports the routers: the routers of the lower
layers (registry, rules) import this module instead.
"""

from ninja import Field, Schema


class ErrorOut(Schema):
    """Every refusal: a stable code, a Chinese message and the field it concerns, if any."""

    code: str
    message: str
    field: str | None = None
    errors: list[dict] | None = Field(None, description="pydantic's details, for malformed input")


def errors(*statuses: int) -> dict[int, type[ErrorOut]]:
    """The refusals an operation may answer: 400 a body that cannot be parsed, 401 not signed
    in, 403 no permission or a failed CSRF check, 404 not found or outside the user's region,
    409 a conflict, 422 malformed input or a refusal of the service."""
    return dict.fromkeys(statuses, ErrorOut)


READ_ERRORS = errors(401, 403, 404, 422)
WRITE_ERRORS = errors(400, 401, 403, 404, 409, 422)


# Chinese labels of the input fields of the API (registry writes, what-if screening, snapshots,
# query and path parameters); a field not listed is named by its path.
LABELS = {
    # registry
    "village_code": "村（社区）代码",
    "address": "住址",
    "area_type": "城乡类别",
    "hukou_address": "户籍地址",
    "head": "户主",
    "name": "姓名",
    "id_number": "身份证号码",
    "phone": "电话",
    "co_resident": "是否共同生活",
    "exclusion": "不计入家庭成员的情形",
    "exclusion_since": "不计入起始日期",
    "disability_category": "残疾类别",
    "disability_grade": "残疾等级",
    "disability_certificate": "残疾证号",
    "labour_capacity": "劳动能力",
    "serious_illness": "是否患重病",
    "employed": "是否就业",
    "student_status": "在学情况",
    "bank_name": "开户银行",
    "bank_account": "银行账号",
    "father_situation": "父亲情况",
    "mother_situation": "母亲情况",
    "relation": "与户主关系",
    "version": "版本号",
    "to_household_id": "迁入户",
    "reason": "原因",
    # what-if screening
    "region_code": "区划代码",
    "members": "家庭成员",
    "assets": "财产",
    "supporters": "赡养（抚养、扶养）义务人",
    "dibao_recipient": "是否低保对象",
    "medical_expense_fen": "医疗支出（分）",
    "rigid_expense_fen": "刚性支出（分）",
    "emergency_type": "临时救助类型",
    "emergency_cost_fen": "急难支出（分）",
    "as_of": "评估日期",
    "birth_date": "出生日期",
    "self_care_unable": "不能自理项数",
    "support_mode": "供养方式",
    "long_term_care": "是否需长期照料",
    "work_injury_care": "是否享受工伤护理",
    "incomes": "收入",
    "period": "收入周期",
    "amount_fen": "金额（分）",
    "excluded": "是否不计入收入",
    "kind": "财产类别",
    "value_fen": "价值（分）",
    "member": "成员序号",
    "condition": "义务人状况",
    # snapshots, pages, path parameters
    "purpose": "用途",
    "reference": "文号",
    "q": "查询条件",
    "page": "页码",
    "page_size": "每页条数",
    "household_id": "户 ID",
    "person_id": "人员 ID",
    "snapshot_id": "快照 ID",
}
# An item of a list, by the list's name: members.0 → 第1位家庭成员.
ITEMS = {
    "members": "第{n}位家庭成员",
    "assets": "第{n}项财产",
    "supporters": "第{n}位赡养（抚养、扶养）义务人",
    "incomes": "第{n}项收入",
}
BAD_FORMAT = {
    "json_invalid",
    "string_pattern_mismatch",
    "model_type",
    "model_attributes_type",
    "int_from_float",
    "date_from_datetime_inexact",
}
BAD_CHOICE = {"enum", "literal_error", "bool_parsing"}


def field_path(loc) -> list:
    """("body", "payload", "head", "name") → ["head", "name"]; ("query", "page") → ["page"].
    Union branch tags such as "literal['']" and "str-enum[…]" are dropped."""
    path = loc[2:] if loc and loc[0] == "body" else loc[1:]
    return [part for part in path if "[" not in str(part)]


def field_label(path: list) -> str:
    """["members", 0, "birth_date"] → "第1位家庭成员的出生日期"; unknown names are kept."""
    words: list[str] = []
    for i, part in enumerate(path):
        if isinstance(part, int) or str(part).isdigit():
            parent = str(path[i - 1]) if i else ""
            if parent in ITEMS and words:
                words[-1] = ITEMS[parent].format(n=int(part) + 1)
            else:
                words.append(f"第{int(part) + 1}项")
        else:
            words.append(LABELS.get(str(part), str(part)))
    return "的".join(words) or "输入"


def chinese_message(error: dict) -> str:
    """One pydantic error (as ninja reports it: type, loc, msg, ctx) in Chinese."""
    kind, ctx = error.get("type", ""), error.get("ctx") or {}
    label = field_label(field_path(error.get("loc") or ()))
    limits = {
        "greater_than_equal": ("不能小于", "ge"),
        "greater_than": ("必须大于", "gt"),
        "less_than_equal": ("不能大于", "le"),
        "less_than": ("必须小于", "lt"),
    }
    if kind == "missing":
        return f"请填写{label}"
    if kind in limits:
        words, key = limits[kind]
        return f"{label}{words} {ctx.get(key)}"
    if kind == "string_too_short":
        if ctx.get("min_length") == 1:
            return f"请填写{label}"
        return f"{label}不能少于 {ctx.get('min_length')} 个字符"
    if kind == "string_too_long":
        return f"{label}不能超过 {ctx.get('max_length')} 个字符"
    if kind == "too_short":
        return f"{label}至少要有 {ctx.get('min_length')} 项"
    if kind == "too_long":
        return f"{label}最多 {ctx.get('max_length')} 项"
    if kind in BAD_CHOICE:
        return f"{label}的取值无效"
    if kind == "extra_forbidden":
        return f"不接受的字段：{label}"
    if kind in BAD_FORMAT or kind.endswith(("_parsing", "_type", "_parsing_size")):
        return f"{label}格式不正确"
    message = str(error.get("msg", "")).removeprefix("Value error, ")
    if any("\u4e00" <= char <= "\u9fff" for char in message):  # a validator's own message
        return message
    return f"{label}有误"
