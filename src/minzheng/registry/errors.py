"""The registry's errors: code, HTTP status and Chinese message (tests assert the codes)."""

from minzheng.kit.errors import ErrorCode


class Error(ErrorCode):
    # households
    VILLAGE_CODE = "not_a_village", 422, "{code} 不是村（居）级区划代码。"
    VILLAGE_OUT_OF_SCOPE = (
        "village_out_of_scope",
        403,
        "不能在您管辖范围以外的村（居）登记家庭。",
    )
    HOUSEHOLD_ADDRESS_MISSING = "household_address_missing", 422, "家庭地址不能为空。"
    HOUSEHOLD_STALE_EDIT = (
        "household_stale_edit",
        409,
        "该户信息已被他人修改，请刷新页面后重新编辑。",
    )
    HOUSEHOLD_NUMBER_CONFLICT = "household_number_conflict", 409, "户编号分配冲突，请重试。"
    HOUSEHOLD_CLOSED = "household_closed", 422, "该户已注销，不能添加成员。"
    HOUSEHOLD_HAS_HEAD = (
        "household_has_head",
        422,
        "该户已有户主；如需变更户主，请先修改原户主的关系。",
    )
    # persons
    DUPLICATE_ID_NUMBER = (
        "duplicate_id_number",
        409,
        "该身份证号码已登记在户 {number}（{name}），同一人只能属于一个家庭；如需迁户请使用“迁户”。",
    )
    DUPLICATE_ID_NUMBER_ELSEWHERE = (
        "duplicate_id_number_elsewhere",
        409,
        "该身份证号码已在其他地区登记，请联系上级民政部门核实。",
    )
    STALE_EDIT = "stale_edit", 409, "该信息已被他人修改，请刷新页面后重新编辑。"
    NOT_EDITABLE = "person_fields_not_editable", 422, "不能修改这些字段：{fields}"
    NAME_MISSING = "person_name_missing", 422, "姓名不能为空。"
    NAME_TOO_LONG = "person_name_too_long", 422, "姓名不能超过50个字。"
    BAD_CHOICE = "person_bad_choice", 422, "取值无效：{value}"
    BAD_DISABILITY_GRADE = "disability_grade", 422, "残疾等级应为1至4级。"
    NOT_A_MEMBER = "not_household_member", 422, "所选人员不是本户成员。"
    REVEAL_NOT_PERMITTED = "reveal_not_permitted", 403, "您的角色不能查看完整的身份证号码。"
    # transfers
    TRANSFER_SAME_HOUSEHOLD = "transfer_same_household", 422, "迁入家庭与当前家庭相同。"
    TRANSFER_TARGET_CLOSED = "transfer_target_closed", 422, "迁入家庭已注销。"
    TRANSFER_REASON_MISSING = "transfer_reason_missing", 422, "请填写迁户原因。"
    TRANSFER_REASON_TOO_LONG = "transfer_reason_too_long", 422, "迁户原因不能超过200字。"
    TRANSFER_HEAD_FIRST = (
        "transfer_head_first",
        422,
        "户主迁出前，请先为原家庭指定新的户主。",
    )
    TRANSFER_TARGET_HAS_HEAD = "transfer_target_has_head", 422, "迁入家庭已有户主。"
    # export and import
    EXPORT_NOT_PERMITTED = "export_not_permitted", 403, "您的角色不能导出家庭数据。"
    EXPORT_FORMAT = "export_format", 422, "只能导出为 .xlsx 或 .csv 文件。"
    EXPORT_REGION_FILTER = "export_region_filter", 422, "{problem}"
    IMPORT_NEEDS_REGION = "import_needs_region", 403, "命令行导入须指定导入的区划。"
    IMPORT_NOT_PERMITTED = "import_not_permitted", 403, "您的角色不能导入家庭数据。"
    IMPORT_WITHOUT_REGION = "import_without_region", 403, "您的账号没有所属区划，不能导入。"
    IMPORT_REJECTED = "import_rejected", 422, "导入文件有 {count} 处错误，未导入任何数据。"
    IMPORT_CONFLICT = (
        "import_conflict",
        409,
        "导入时发现身份证号码或户编号刚被他人登记，未导入任何数据；请重新预览后再导入。",
    )
    IMPORT_UPLOAD_GONE = "import_upload_gone", 404, "导入文件不存在或已过期，请重新上传。"
