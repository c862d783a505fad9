from minzheng.kit.errors import Conflict, Forbidden, ValidationFailed


class UnknownRole(ValidationFailed):
    code = "unknown_role"


class SeparationOfDuties(Forbidden):
    code = "separation_of_duties"
    default_message = "三员分立：系统管理员、安全管理员、审计管理员的职责不能由同一账号兼任。"


class SelfGrant(Forbidden):
    code = "self_grant"
    default_message = "不能给自己授予或撤销角色。"


class RegionLevelMismatch(ValidationFailed):
    code = "region_level_mismatch"


class UsernameTaken(Conflict):
    code = "username_taken"
