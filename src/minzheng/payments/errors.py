"""The payments' typed errors: a stable code, an HTTP status and a Chinese message."""

from minzheng.kit.errors import Conflict, Forbidden, ValidationFailed


class PayrollLocked(Conflict):
    """The payroll is submitted or released: its lines no longer change."""

    code = "payroll_locked"
    default_message = "发放名册已提交或已发放，不能再修改。"


class OpenFlags(Conflict):
    code = "open_flags"
    default_message = "发放前核查仍有未处理的疑点，请先逐条处理。"


class OwnPayroll(Forbidden):
    """Maker-checker: whoever prepared or submitted a payroll may not approve it."""

    code = "own_payroll"
    default_message = "发放名册须由编制人以外的人员审批。"


class BadReturnFile(ValidationFailed):
    code = "bad_return_file"
