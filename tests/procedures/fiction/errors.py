"""The fictional filing's own refusals (the skeleton's are the procedure layer's)."""

from minzheng.kit.errors import ErrorCode


class Error(ErrorCode):
    FILING_REASON_REQUIRED = "filing_reason_required", 422, "请填写不予备案的理由。"
