"""The regions' errors: code, HTTP status and Chinese message."""

from minzheng.kit.errors import ErrorCode


class Error(ErrorCode):
    REGION_NOT_FOUND = "region_not_found", 404, "区划代码 {code} 不存在。"
