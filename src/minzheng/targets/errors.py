"""The work-plan targets' errors: code, HTTP status and Chinese message (tests assert the
codes)."""

from minzheng.kit.errors import ErrorCode


class Error(ErrorCode):
    NOT_A_PLAN_REGION = "target_not_a_plan_region", 422, "工作目标属于区县及以上民政部门。"
    CREATE_NOT_PERMITTED = "target_create_not_permitted", 403, "您的角色不能录入工作目标。"
    NUMBER_TAKEN = "target_number_taken", 409, "{year}年已有序号为“{number}”的工作目标。"
    IMPORT_NOT_PERMITTED = "target_import_not_permitted", 403, "您的角色不能导入工作目标。"
    SHEET_REFUSED = (
        "target_sheet_refused",
        422,
        "表格有 {count} 处错误，未导入任何工作目标。",
    )
    NUMBER_TAKEN_DURING_IMPORT = (
        "target_number_taken_during_import",
        409,
        "导入期间有人录入了相同序号的工作目标，请刷新后重试。",
    )
    REPORT_NOT_PERMITTED = "target_report_not_permitted", 403, "您的角色不能填报工作目标进度。"
    NOT_THE_REPORTER = "target_not_the_reporter", 403, "该工作目标由{reporter}填报。"
    MAY_NOT_REPORT = "target_may_not_report", 403, "您不能填报该工作目标的进度。"
    COMPUTED_TAKES_NO_REPORT = (
        "target_computed_takes_no_report",
        422,
        "该工作目标的进度由系统指标自动计算，无需填报。",
    )
    NEGATIVE_PROGRESS = "target_negative_progress", 422, "进度不能为负数。"
    REPORT_DATE = "target_report_date", 422, "填报日期应在{year}年内且不晚于今天。"
    PROGRESS_CHANGED = (
        "target_progress_changed",
        409,
        "该工作目标的进度已被他人更新，请刷新后重试。",
    )
    REFRESH_NOT_PERMITTED = "target_refresh_not_permitted", 403, "您的角色不能刷新工作目标。"
