from minzheng.kit.errors import Conflict, ValidationFailed


class DuplicateIdNumber(Conflict):
    code = "duplicate_id_number"


class StaleEdit(Conflict):
    code = "stale_edit"
    default_message = "该信息已被他人修改，请刷新页面后重新编辑。"


class InvalidMembership(ValidationFailed):
    code = "invalid_membership"
