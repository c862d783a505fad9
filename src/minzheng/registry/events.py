"""The registry's audit actions, with the Chinese labels the audit screen shows."""

from minzheng.audit.actions import Action


class Event(Action):
    HOUSEHOLD_REGISTERED = "household.registered", "登记家庭"
    HOUSEHOLD_CHANGED = "household.changed", "修改家庭信息"
    HOUSEHOLD_CLOSED = "household.closed", "注销家庭（成员全部迁出）"
    PERSON_REGISTERED = "person.registered", "登记家庭成员"
    PERSON_CHANGED = "person.changed", "修改成员信息"
    PERSON_TRANSFERRED = "person.transferred", "成员迁户"
    PERSON_REVEALED = "person.revealed", "查看完整身份证号码"
    PERSON_DIED = "person.died", "登记死亡"
    PERSON_MOVED_OUT = "person.moved_out", "登记户籍迁出"
    # a household's circumstances (circumstances.KINDS): "<kind>.added" / "<kind>.removed"
    INCOME_ADDED = "income.added", "添加收入项"
    INCOME_REMOVED = "income.removed", "删除收入项"
    ASSET_ADDED = "asset.added", "添加财产"
    ASSET_REMOVED = "asset.removed", "删除财产"
    SUPPORTER_ADDED = "supporter.added", "添加法定赡养（抚养、扶养）义务人"
    SUPPORTER_REMOVED = "supporter.removed", "删除法定赡养（抚养、扶养）义务人"
    SELFCARE_ADDED = "selfcare.added", "添加生活自理能力评估"
    SELFCARE_REMOVED = "selfcare.removed", "删除生活自理能力评估"
    EXPORTED = "registry.exported", "导出家庭数据"
    IMPORTED = "registry.imported", "导入家庭数据"
    BULK_LOADED = "registry.bulk_loaded", "批量载入家庭数据"
