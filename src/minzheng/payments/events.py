"""The payments' audit actions, with the Chinese labels the audit screen shows."""

from minzheng.audit.actions import Action


class Event(Action):
    PAYROLL_GENERATED = "payroll.generated", "生成发放名册"
    FLAG_RESOLVED = "payroll.flag_resolved", "处理发放前核查疑点"
    PAYROLL_SUBMITTED = "payroll.submitted", "提交发放名册"
    PAYROLL_REJECTED = "payroll.rejected", "退回发放名册"
    PAYROLL_RELEASED = "payroll.released", "审批发放名册并发放"
    BANK_BATCH_CREATED = "payroll.bank_batch_created", "生成银行代发批次"
    BANK_FILE_DOWNLOADED = "payroll.bank_file_downloaded", "下载银行代发文件"
    OTHER_PAYMENT_RECORDED = "payroll.paid_other_channel", "登记现金或其他渠道发放"
    RETURNS_IMPORTED = "payroll.returns_imported", "导入银行回盘文件"
    REISSUE_REQUESTED = "payroll.reissue_requested", "退回款项重新发放"
    RECOVERY_REGISTERED = "recovery.registered", "登记追回"
    RECOVERY_REPAID = "recovery.repaid", "登记追回款"
    RECOVERY_WAIVED = "recovery.waived", "核销追回款"
    RELATIVE_DECLARED = "relative.declared", "近亲属备案"
    RELATIVE_WITHDRAWN = "relative.withdrawn", "撤回近亲属备案"
