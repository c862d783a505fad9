"""The statistics' errors: code, HTTP status and Chinese message (tests assert the codes)."""

from minzheng.kit.errors import ErrorCode


class Error(ErrorCode):
    CLOSE_NOT_PERMITTED = "statistics_close_not_permitted", 403, "您的角色不能关账统计月报。"
    MONTH_NOT_ENDED = (
        "statistics_month_not_ended",
        422,
        "{year}年{month}月尚未结束，不能关账。",
    )
    MONTH_CLOSED = "statistics_month_closed", 409, "{county}{year}年{month}月的统计已关账。"
    NOT_A_COUNTY = "statistics_not_a_county", 422, "统计月报按区县关账，请选择区县。"
