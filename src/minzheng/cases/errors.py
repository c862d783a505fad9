"""The cases' errors: code, HTTP status and Chinese message (tests assert the codes). The
skeleton's refusals of a step (permission, status, a stale version) are the procedure layer's
(procedures/errors.py); these are the cases' own."""

from minzheng.kit.errors import ErrorCode


class Error(ErrorCode):
    # who may do what beyond the steps themselves
    APPLY_NOT_PERMITTED = "case_apply_not_permitted", 403, "您的角色不能登记申请。"
    CONSENT_NOT_PERMITTED = "case_consent_not_permitted", 403, "您的角色不能登记授权。"
    CONSENT_FORM_NOT_PERMITTED = (
        "case_consent_form_not_permitted",
        403,
        "您的角色不能出具核对授权书。",
    )
    PUBLICITY_NOT_PERMITTED = "case_publicity_not_permitted", 403, "您的角色不能发布公示。"
    END_FOR_DEATH_NOT_PERMITTED = (
        "case_end_for_death_not_permitted",
        403,
        "您的角色不能因死亡终止案件。",
    )
    END_FOR_MOVE_NOT_PERMITTED = (
        "case_end_for_move_not_permitted",
        403,
        "您的角色不能因迁出终止案件。",
    )
    ONLINE_RESIDENTS_ONLY = "case_online_residents_only", 403, "只有居民账号可以网上申请。"
    SCREEN_NOT_PERMITTED = (
        "case_screen_not_permitted",
        403,
        "只有区县审批人员可以运行免申即享筛查。",
    )
    CONFIRM_NOT_PERMITTED = (
        "case_confirm_not_permitted",
        403,
        "只有区县审批人员可以确认免申即享名单。",
    )

    # applying, and the 核对 authorisations
    UNKNOWN_PROGRAM = "case_unknown_program", 422, "未知的救助项目：{program}"
    APPLICANT_REQUIRED = "case_applicant_required", 422, "请选择申请人（该家庭的成员）。"
    DUPLICATE_APPLICATION = (
        "case_duplicate_application",
        409,
        "该家庭已有同一项目的案件 {number}，不能重复申请。",
    )
    CONSENT_WHO = (
        "case_consent_who",
        422,
        "请选择一名家庭成员或一名赡养（抚养、扶养）义务人。",
    )
    CONSENT_NOT_A_MEMBER = "case_consent_not_a_member", 422, "该人员不是本户成员。"
    CONSENT_NOT_A_SUPPORTER = "case_consent_not_a_supporter", 422, "该义务人不属于本户。"
    CONSENTS_MISSING = "case_consents_missing", 422, "以下人员尚未签署核对授权：{names}。"

    # the steps' own checks (cases/handlers.py)
    FIELD_REQUIRED = "case_field_required", 422, "请填写{label}。"
    NO_PENDING_OBJECTION = "case_no_pending_objection", 422, "没有这条待处理的异议。"
    PUBLICITY_NOT_OVER = (
        "case_publicity_not_over",
        422,
        "公示期至 {ends_on} 止，期满后才能报县级审批。",
    )
    OBJECTIONS_UNRESOLVED = "case_objections_unresolved", 422, "公示期间的异议尚未处理完毕。"
    REVIEW_OPINION_REQUIRED = (
        "case_review_opinion_required",
        422,
        "请选择审核意见：同意或不同意。",
    )
    REVIEW_REASONS_REQUIRED = (
        "case_review_reasons_required",
        422,
        "审核意见为不同意的，请填写理由。",
    )
    INELIGIBLE_AGREE_REASONS = (
        "case_ineligible_agree_reasons",
        422,
        "评估结果为不符合条件，同意的须填写理由。",
    )
    NO_AMOUNT_TO_PUBLICISE = (
        "case_no_amount_to_publicise",
        422,
        "评估结果没有拟核定的救助金额（不符合条件），不能公示。",
    )
    AMOUNT_REQUIRED = "case_amount_required", 422, "请填写核定的月救助金额。"
    AMOUNT_REASON_REQUIRED = (
        "case_amount_reason_required",
        422,
        "核定金额 {approved}与评估结果（{evaluated}）不同，请填写理由。",
    )
    BAD_SUPPORT_MODE = "case_bad_support_mode", 422, "供养方式应为集中供养或分散供养。"
    ABOVE_SMALL_CEILING = (
        "case_above_small_ceiling",
        422,
        "超过小额临时救助上限 {ceiling} 元，应报县级审批。",
    )
    NO_LONGER_ELIGIBLE = "case_no_longer_eligible", 422, "按今天的评估，该人员已不符合条件。"
    NO_PAPERWORK_DUE = "case_no_paperwork_due", 422, "该案件没有待补办的手续。"
    BAD_RECHECK_OUTCOME = "case_bad_recheck_outcome", 422, "复核结论无效。"
    NEW_AMOUNT_REQUIRED = (
        "case_new_amount_required",
        422,
        "增发或减发须填写新的月救助金额。",
    )
    STOP_BY_COUNTY = "case_stop_by_county", 422, "停发须由县级民政部门作出终止决定。"
    TAPER_NOT_APPLICABLE = (
        "case_taper_not_applicable",
        422,
        "渐退只适用于尚未进入渐退期的低保案件。",
    )

    # residents online
    RESIDENT_UNLINKED = (
        "case_resident_unlinked",
        404,
        "您的账号尚未关联户籍信息，请到村（社区）或乡镇（街道）办理。",
    )
    RESIDENT_CASE_NOT_FOUND = "case_resident_case_not_found", 404, "案件不存在。"

    # printouts
    NOTHING_UNDER_PUBLICITY = (
        "case_nothing_under_publicity",
        422,
        "{village}今天没有正在公示的申请。",
    )

    # 免申即享
    AUTOMATIC_BY_COUNTY = (
        "case_automatic_by_county",
        422,
        "免申即享按区县筛查，请选择区县。",
    )
    NO_PROPOSALS_CHOSEN = "case_no_proposals_chosen", 422, "请选择待确认的人员。"
    DECLINE_REASON_REQUIRED = "case_decline_reason_required", 422, "请填写不予纳入的理由。"
    PROPOSAL_TAKEN = "case_proposal_taken", 409, "该人员已被他人处理，请刷新后重试。"
