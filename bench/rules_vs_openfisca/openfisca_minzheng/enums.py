"""Enumerations shared by the variables (inputs are encoded by name)."""

from openfisca_core.indexed_enums import Enum


class AreaType(Enum):
    urban = "城镇"
    rural = "农村"


class DisabilityCategory(Enum):
    none = "无残疾人证"
    visual = "视力"
    hearing = "听力"
    speech = "言语"
    physical = "肢体"
    intellectual = "智力"
    mental = "精神"
    multiple = "多重"


class ParentSituation(Enum):
    normal = "正常"
    dead = "死亡"
    missing = "宣告失踪或查找不到"
