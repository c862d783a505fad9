"""特困人员救助供养 (basic living part) and 孤儿, which excludes it."""

import numpy
from openfisca_core.model_api import MONTH, Variable
from openfisca_minzheng.entities import Household, Person
from openfisca_minzheng.enums import DisabilityCategory, ParentSituation


class disability_on_list(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    label = "残疾类别和等级列入无劳动能力情形"
    reference = "特困人员认定办法（民发〔2021〕43号）"

    def formula(person, period, parameters):
        listed = parameters(period).tekun.no_labour_capacity.disability_list
        category = person("disability_category", period)
        grade = person("disability_grade", period)
        on_list = numpy.zeros(person.count, dtype=bool)
        for name in listed:  # one vectorised test per listed category
            worst = listed[name]
            on_list |= (category == DisabilityCategory[name]) & (grade >= 1) & (grade <= worst)
        return on_list


class no_labour_capacity(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    label = "无劳动能力"

    def formula(person, period, parameters):
        rules = parameters(period).tekun.no_labour_capacity
        age = person("age", period)
        return (
            (age >= rules.from_age) | (age < rules.under_age) | person("disability_on_list", period)
        )


class able_adult(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    label = "有履行能力的成年家庭成员（劳动年龄且残疾未列入）"

    def formula(person, period, parameters):
        tekun = parameters(period).tekun
        age = person("age", period)
        return (
            person("counted", period)
            & (age >= tekun.supporter_min_age)
            & (age < tekun.no_labour_capacity.from_age)
            & ~person("disability_on_list", period)
        )


class able_adults(Variable):
    value_type = int
    entity = Household
    definition_period = MONTH
    label = "有履行能力的成年家庭成员人数"

    def formula(household, period):
        return household.sum(household.members("able_adult", period))


class no_able_supporter(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    label = "无有履行能力的义务人（户内其他成员）"

    def formula(person, period):
        others = person.household("able_adults", period) - person("able_adult", period)
        return others == 0


class orphan_eligible(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    label = "孤儿：未成年且父母双方均死亡或宣告失踪"
    reference = "国务院办公厅关于加强孤儿保障工作的意见（国办发〔2010〕54号）"

    def formula(person, period, parameters):
        def gone(situation):
            return (situation == ParentSituation.dead) | (situation == ParentSituation.missing)

        minor = person("age", period) < parameters(period).orphan.adult_age
        return (
            minor
            & gone(person("father_situation", period))
            & gone(person("mother_situation", period))
        )


class tekun_eligible(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    label = "特困人员"
    reference = "社会救助暂行办法（国务院令第649号）第十四条"

    def formula(person, period):
        standard = person.household("dibao_standard_fen", period)
        return (
            (person("exclusion", period) == "")
            & person("no_labour_capacity", period)
            & (person("own_income_fen", period) < standard)
            & person.household("assets_ok", period)
            & person("no_able_supporter", period)
            & ~person("orphan_eligible", period)
        )


class tekun_basic_fen(Variable):
    value_type = int
    entity = Person
    definition_period = MONTH
    label = "特困人员基本生活标准（分/月）：低保标准 × 倍数，四舍五入到分"

    def formula(person, period, parameters):
        multiplier = parameters(period).tekun.basic_multiplier
        standard = person.household("dibao_standard_fen", period)
        basic = numpy.floor(standard * multiplier + 0.5)
        return numpy.where(person("tekun_eligible", period), basic, 0)
