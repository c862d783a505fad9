"""Input variables: what the registry records. Income items and asset rows are summed per
person and per household before they enter OpenFisca (it has no entity for an item)."""

from datetime import date

from openfisca_core.model_api import ETERNITY, MONTH, YEAR, Enum, Variable
from openfisca_minzheng.entities import Household, Person
from openfisca_minzheng.enums import AreaType, DisabilityCategory, ParentSituation


class region_code(Variable):
    value_type = str
    max_length = 12
    entity = Household
    definition_period = ETERNITY
    label = "统计用区划代码（12位）"


class area_type(Variable):
    value_type = Enum
    possible_values = AreaType
    default_value = AreaType.rural
    entity = Household
    definition_period = ETERNITY
    label = "城乡类别"


class deposits_fen(Variable):
    value_type = int
    entity = Household
    definition_period = MONTH
    label = "存款及有价证券合计（分）"


class vehicles(Variable):
    value_type = int
    entity = Household
    definition_period = MONTH
    label = "机动车数量"


class dwellings(Variable):
    value_type = int
    entity = Household
    definition_period = MONTH
    label = "住房数量"


class businesses(Variable):
    value_type = int
    entity = Household
    definition_period = MONTH
    label = "登记的经营主体数量"


class birth_date(Variable):
    value_type = date
    default_value = date(1970, 1, 1)
    entity = Person
    definition_period = ETERNITY
    label = "出生日期"


class co_resident(Variable):
    value_type = bool
    default_value = True
    entity = Person
    definition_period = MONTH
    label = "共同生活"


class exclusion(Variable):
    value_type = str
    entity = Person
    definition_period = MONTH
    label = "不计入共同生活家庭成员的情形（空 = 无）"


class disability_category(Variable):
    value_type = Enum
    possible_values = DisabilityCategory
    default_value = DisabilityCategory.none
    entity = Person
    definition_period = MONTH
    label = "残疾类别"


class disability_grade(Variable):
    value_type = int
    entity = Person
    definition_period = MONTH
    label = "残疾等级（1–4；0 = 无残疾人证）"


class father_situation(Variable):
    value_type = Enum
    possible_values = ParentSituation
    default_value = ParentSituation.normal
    entity = Person
    definition_period = MONTH
    label = "父亲情况"


class mother_situation(Variable):
    value_type = Enum
    possible_values = ParentSituation
    default_value = ParentSituation.normal
    entity = Person
    definition_period = MONTH
    label = "母亲情况"


class monthly_income_fen(Variable):
    value_type = int
    entity = Person
    definition_period = MONTH
    label = "按月收入合计（分；不含不计入收入的项目）"


class annual_income_fen(Variable):
    value_type = int
    entity = Person
    definition_period = YEAR
    label = "按年收入合计（分；不含不计入收入的项目）"
