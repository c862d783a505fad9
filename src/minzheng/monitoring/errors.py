"""Monitoring's errors: code, HTTP status and Chinese message (tests assert the codes)."""

from minzheng.kit.errors import ErrorCode


class Error(ErrorCode):
    # department files and the monthly run
    INGEST_NOT_PERMITTED = "feed_ingest_not_permitted", 403, "您的角色不能导入部门数据。"
    INGEST_WITHOUT_REGION = (
        "feed_ingest_without_region",
        403,
        "您的账号没有所属区划，不能导入部门数据。",
    )
    BAD_PERIOD = "monitoring_bad_period", 422, "数据期别应为 YYYY-MM 格式，例如 2024-09。"
    RUN_NOT_PERMITTED = "monitor_run_not_permitted", 403, "您的角色不能计算预警。"
    RUN_OUTSIDE_REGION = "monitor_run_outside_region", 403, "只能计算本辖区的预警。"
    # a file refused whole (reading.FeedRefused)
    FEED_FILE_TYPE = "feed_file_type", 422, "只能导入 .csv、.xlsx 或 .parquet 文件。"
    FEED_UNREADABLE = "feed_unreadable", 422, "{reason}"
    FEED_COLUMN_TWICE = "feed_column_twice", 422, "“{label}”（{column}）列出现了两次。"
    FEED_EMPTY = "feed_empty", 422, "文件中没有数据行。"
    FEED_COLUMNS = (
        "feed_columns",
        422,
        "{problems}。请确认上传的是{department}的“{feed}”数据。",
    )
    # the review queue
    REVIEW_NOT_PERMITTED = "match_review_not_permitted", 403, "您的角色不能复核匹配结果。"
    ALREADY_REVIEWED = "match_already_reviewed", 409, "该条记录已被复核。"
    # warnings
    ASSIGN_NOT_PERMITTED = "warning_assign_not_permitted", 403, "您的角色不能分派预警。"
    ASSIGN_BAD_REGION = "warning_assign_bad_region", 422, "区划代码格式不正确。"
    ASSIGN_OUTSIDE = (
        "warning_assign_outside",
        422,
        "只能分派给预警对象所在的乡镇（街道）或村（社区）。",
    )
    VERIFY_NOT_PERMITTED = "warning_verify_not_permitted", 403, "您的角色不能核实预警。"
    VISIT_IN_FUTURE = "warning_visit_in_future", 422, "核实日期不能晚于今天。"
    VISIT_NOTE_MISSING = "warning_visit_note_missing", 422, "请填写入户核实情况。"
    CLOSE_NOT_PERMITTED = "warning_close_not_permitted", 403, "您的角色不能处置预警。"
    BAD_OUTCOME = (
        "warning_bad_outcome",
        422,
        "请选择处置结果（纳入救助、帮扶、排除或误报）。",
    )
    REASON_MISSING = "warning_reason_missing", 422, "请填写处置理由。"
    DEATH_NEEDS_COUNTY = (
        "warning_death_needs_county",
        403,
        "确认死亡并终止救助需由县级审批人员处置。",
    )
    MOVE_NEEDS_COUNTY = (
        "warning_move_needs_county",
        403,
        "确认户籍迁出并终止救助需由县级审批人员处置。",
    )
    WARNING_WRONG_STATUS = (
        "warning_wrong_status",
        409,
        "预警当前状态为“{status}”，不能执行此操作。",
    )
    # 政策找人
    OUTREACH_NOT_PERMITTED = "outreach_not_permitted", 403, "您的角色不能处理政策找人任务。"
    OUTREACH_BAD_OUTCOME = (
        "outreach_bad_outcome",
        422,
        "请选择走访结果（已申请、拒绝申请或核实不符合）。",
    )
    OUTREACH_NOTE_MISSING = "outreach_note_missing", 422, "请填写走访情况。"
    OUTREACH_FINISHED = "outreach_already_finished", 409, "该任务已处理。"
    # 核对
    CHECK_NOT_PERMITTED = "check_not_permitted", 403, "您的角色不能发起家庭经济状况核对。"
    CONSENT_MISSING = (
        "consent_missing",
        403,
        "该家庭没有已签署核对授权的在办申请，不能发起核对。",
    )
