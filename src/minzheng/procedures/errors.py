"""The procedure layer's errors: code, HTTP status and Chinese message. A domain's own step
validations raise its own codes; these are the skeleton's refusals, the same for every domain."""

from minzheng.kit.errors import ErrorCode


class Error(ErrorCode):
    STEP_NOT_PERMITTED = "step_not_permitted", 403, "您的角色不能执行“{step}”。"
    WRONG_STATUS = "wrong_status", 409, "{noun}当前状态为“{status}”，不能执行“{step}”。"
    TAKEN_BY_OTHER = "taken_by_other", 409, "{noun}已被他人处理，请刷新后重试。"
    MAY_NOT_ATTACH = "may_not_attach", 403, "您的角色不能上传材料。"
    BAD_ATTACHMENT_KIND = "bad_attachment_kind", 422, "材料类型无效。"
    ATTACHMENT_NOT_FOUND = "attachment_not_found", 404, "材料不存在。"
    PERIOD_NOT_PAUSED = "period_not_paused", 422, "{period}没有中止，无需恢复计算。"
    NO_PERIOD_TO_EXTEND = "no_period_to_extend", 422, "没有正在计算的期限可以延长。"
    PERIOD_EXTENDED_ONCE = "period_extended_once", 422, "{period}已延长过一次。"
