"""The payments' errors: code, HTTP status and Chinese message (tests assert the codes)."""

from minzheng.kit.errors import ErrorCode


class Error(ErrorCode):
    # generating a payroll
    PAYROLL_NOT_PERMITTED = "payroll_not_permitted", 403, "您的角色不能{verb}发放名册。"
    PAYROLL_PROGRAM_NOT_PAID = "payroll_program_not_paid", 422, "该项目不按月发放：{program}"
    PAYROLL_BAD_COUNTY_CODE = "payroll_bad_county_code", 422, "{problem}"
    PAYROLL_NOT_A_COUNTY = "payroll_not_a_county", 422, "发放名册按区县编制，请选择区县。"
    PAYROLL_OUTSIDE_REGION = "payroll_outside_region", 403, "只能编制本辖区的发放名册。"
    PAYROLL_UNKNOWN_COUNTY = "payroll_unknown_county", 404, "区划代码不存在：{code}"
    PAYROLL_NOT_REGENERABLE = (
        "payroll_not_regenerable",
        409,
        "{month} 的发放名册已{status}，不能重新生成。",
    )
    # findings, submission and approval
    PAYROLL_LOCKED = "payroll_locked", 409, "发放名册已提交或已发放，不能再修改。"
    FLAG_NOT_PERMITTED = "payroll_flag_not_permitted", 403, "您的角色不能处理发放前核查疑点。"
    FLAG_BAD_RESOLUTION = "payroll_flag_bad_resolution", 422, "该疑点不能这样处理。"
    FLAG_NO_BANK_ACCOUNT = (
        "payroll_flag_no_bank_account",
        422,
        "收款人没有可用的银行账户，不能照常报送银行发放：请暂缓发放，"
        "或改用现金（凭收据）等其他渠道发放。",
    )
    FLAG_NOTE_REQUIRED = "payroll_flag_note_required", 422, "请填写核实情况。"
    FLAG_TAKEN = "payroll_flag_taken", 409, "该疑点已被他人处理，请刷新后重试。"
    PAYROLL_WRONG_STATUS = (
        "payroll_wrong_status",
        409,
        "发放名册当前为“{status}”，不能{verb}。",
    )
    PAYROLL_OPEN_FLAGS = "payroll_open_flags", 409, "还有 {count} 条发放前核查疑点未处理。"
    PAYROLL_UNBANKABLE = (
        "payroll_unbankable_lines",
        409,
        "有 {count} 条发放记录的收款人没有银行账号或开户行，不能报送银行："
        "请重新生成名册，将其暂缓发放或改用现金等其他渠道发放。",
    )
    PAYROLL_EMPTY = "payroll_empty", 422, "发放名册没有发放对象。"
    PAYROLL_REJECT_REASON = "payroll_reject_reason_required", 422, "请填写退回理由。"
    OWN_PAYROLL = "own_payroll", 403, "发放名册须由编制人以外的人员审批。"
    PAYROLL_TAKEN = "payroll_taken", 409, "发放名册已被他人处理，请刷新后重试。"
    # the bank: batches, files, returns, re-issues
    BANK_FILE_NOT_PERMITTED = (
        "bank_file_not_permitted",
        403,
        "您的角色不能{verb}银行代发文件。",
    )
    BANK_FILE_BEFORE_RELEASE = (
        "bank_file_before_release",
        409,
        "发放名册审批发放后才能生成银行代发文件。",
    )
    BANK_NOTHING_TO_SEND = "bank_nothing_to_send", 409, "没有待发送银行的款项。"
    BANK_BATCH_NOT_FOUND = "bank_batch_not_found", 404, "该批次不存在。"
    BANK_FILE_FORMAT = "bank_file_format", 422, "文件格式应为 csv 或 xlsx。"
    RETURNS_NOT_PERMITTED = "bank_returns_not_permitted", 403, "您的角色不能导入银行回盘文件。"
    RETURNS_BEFORE_RELEASE = (
        "bank_returns_before_release",
        409,
        "发放名册尚未发放，没有可对账的款项。",
    )
    BAD_RETURN_FILE = "bad_return_file", 422, "回盘文件缺少以下列：{columns}。"
    REISSUE_NOT_PERMITTED = "reissue_not_permitted", 403, "您的角色不能重新发放。"
    REISSUE_NOT_RETURNED = "reissue_not_returned", 409, "只有被银行退回的款项才能重新发放。"
    REISSUE_ACCOUNT_UNCHANGED = (
        "reissue_account_unchanged",
        422,
        "请先在对象库中更正收款人的银行账户，再重新发放。",
    )
    REISSUE_ACCOUNT_UNUSABLE = (
        "reissue_account_unusable",
        422,
        "收款人的银行账户仍不可用：{reason}。",
    )
    OTHER_PAYMENT_NOT_PERMITTED = (
        "other_payment_not_permitted",
        403,
        "您的角色不能登记现金或其他渠道发放。",
    )
    OTHER_PAYMENT_NOT_DUE = (
        "other_payment_not_due",
        409,
        "只有已审批发放、确定以现金或其他渠道发放且尚未发放的款项才能登记。",
    )
    OTHER_PAYMENT_RECEIPT = "other_payment_receipt_required", 422, "请填写收据号或凭证号。"
    OTHER_PAYMENT_DATE = (
        "other_payment_bad_date",
        422,
        "发放日期应在名册审批之后，且不晚于今天。",
    )
    PAYMENT_TAKEN = "payroll_line_taken", 409, "该款项已被他人处理，请刷新后重试。"
    # reads scoped to the user's region
    PAYROLL_NOT_FOUND = "payroll_not_found", 404, "发放名册不存在或不在您的管辖范围内。"
    LINE_NOT_FOUND = "payroll_line_not_found", 404, "发放记录不存在或不在您的管辖范围内。"
    FLAG_NOT_FOUND = "payroll_flag_not_found", 404, "疑点不存在或不在您的管辖范围内。"
    RETURN_FILE_NOT_FOUND = "return_file_not_found", 404, "回盘文件不存在或不在您的管辖范围内。"
    # the payroll summary
    SUMMARY_NOT_PERMITTED = (
        "payroll_summary_not_permitted",
        403,
        "您的角色不能出具资金发放汇总表。",
    )
    SUMMARY_BY_COUNTY = "payroll_summary_by_county", 403, "资金发放汇总表由区县出具。"
    SUMMARY_BEFORE_RELEASE = (
        "payroll_summary_before_release",
        409,
        "发放名册审批发放后才能出具汇总表。",
    )
    # recoveries (追回)
    RECOVERY_NOT_PERMITTED = "recovery_not_permitted", 403, "您的角色不能{action}。"
    RECOVERY_NOT_FOUND = "recovery_not_found", 404, "追回记录不存在或不在您的管辖范围内。"
    RECOVERY_BAD_KIND = "recovery_bad_kind", 422, "追回类型无效。"
    RECOVERY_CASE_ELSEWHERE = "recovery_case_elsewhere", 422, "该案件不属于此人或其家庭。"
    RECOVERY_BAD_AMOUNT = "recovery_bad_amount", 422, "追回金额应大于零。"
    RECOVERY_REASON = "recovery_reason_required", 422, "请填写追回原因。"
    RECOVERY_CLOSED = "recovery_closed", 409, "该追回记录已结清或已核销。"
    REPAYMENT_BAD_METHOD = "repayment_bad_method", 422, "收款方式无效。"
    REPAYMENT_BAD_AMOUNT = (
        "repayment_bad_amount",
        422,
        "收回金额应大于零且不超过尚未追回的 {outstanding} 元。",
    )
    RECOVERY_TAKEN = "recovery_taken", 409, "追回记录已被他人修改，请刷新后重试。"
    WAIVER_REASON = "waiver_reason_required", 422, "请填写核销理由。"
    WAIVER_TAKEN = "waiver_taken", 409, "追回记录已被他人修改或已结清，请刷新后重试。"
    # close relatives' declarations (近亲属备案)
    RELATIVE_NOT_PERMITTED = "relative_not_permitted", 403, "您的角色不需要近亲属备案。"
    RELATIVE_STAFF_WITHOUT_REGION = (
        "relative_staff_without_region",
        422,
        "您的账号没有所属区划，不能备案。",
    )
    RELATIVE_NAME_REQUIRED = "relative_name_required", 422, "请填写近亲属姓名。"
    RELATIVE_RELATION_REQUIRED = "relative_relation_required", 422, "请选择亲属关系。"
    RELATIVE_DECLARED_TWICE = "relative_declared_twice", 409, "您已备案过这位近亲属。"
    RELATIVE_NOT_FOUND = "relative_declaration_not_found", 404, "没有这条有效的备案。"
