"""The audit log's errors (its screen, its checkpoints): code, HTTP status and Chinese message."""

from minzheng.kit.errors import ErrorCode


class Error(ErrorCode):
    AUDITORS_ONLY = "auditors_only", 403, "只有审计管理员可以查看审计日志。"
    EXPORT_TOO_LARGE = (
        "export_too_large",
        422,
        "导出条数 {count} 超过上限 {limit}，请缩小筛选范围。",
    )
    ANCHOR_UNWRITABLE = "anchor_unwritable", 409, "无法写入审计检查点文件 {path}：{reason}"
