"""The rules' errors: code, HTTP status and Chinese message (tests assert the codes)."""

from minzheng.kit.errors import ErrorCode


class Error(ErrorCode):
    UNKNOWN_ENGINE = "unknown_engine", 422, "未知的计算引擎：{engine}（可选 {known}）。"
    # a parameter without a value in force (rules.parameters.ParameterNotFound says which)
    PARAMETER_NOT_IN_FORCE = "parameter_not_in_force", 422, "{problem}"
    SUPPORTER_MEMBER_MISSING = (
        "supporter_member_missing",
        422,
        "义务人指向的家庭成员序号不存在。",
    )
    # publishing parameter values
    PUBLISH_NOT_PERMITTED = "publish_not_permitted", 403, "您的角色不能发布政策参数。"
    UNKNOWN_PARAMETER = "unknown_parameter", 422, "未知参数：{name}"
    PUBLISH_REGION_LEVEL = "publish_region_level", 422, "参数只能按省、市、县级区划发布。"
    PUBLISH_OUT_OF_SCOPE = "publish_out_of_scope", 403, "不能为管辖范围以外的区划发布参数。"
    PARAMETER_AREA_MISSING = "parameter_area_missing", 422, "该参数分城乡，请选择城镇或农村。"
    PARAMETER_NOT_BY_AREA = "parameter_not_by_area", 422, "该参数不分城乡。"
    PARAMETER_NEGATIVE = "parameter_negative", 422, "数值不能为负数。"
    DOCUMENT_NUMBER_MISSING = "document_number_missing", 422, "请填写文号。"
    ALREADY_PUBLISHED = (
        "parameter_already_published",
        409,
        "该区划在同一生效日期已发布过此参数；如需更正，请以新的生效日期发布。",
    )
    # decision snapshots
    SNAPSHOT_NOT_PERMITTED = "snapshot_not_permitted", 403, "您的角色不能保存评估结果。"
    SNAPSHOT_NOT_FOUND = "snapshot_not_found", 404, "评估快照不存在或不在您的管辖范围内。"
