"""残疾人两项补贴 and 高龄津贴, in fen per month."""

import numpy
from openfisca_core.model_api import MONTH, Variable
from openfisca_minzheng.entities import Person
from openfisca_minzheng.enums import DisabilityCategory


def fen(yuan):
    return numpy.round(numpy.asarray(yuan) * 100)


class dibao_single_eligible(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    label = "低保单人户：低保边缘家庭中成年无业的重度残疾人，本人收入低于低保标准"
    reference = "最低生活保障审核确认办法（民发〔2021〕57号）第十条；民发〔2022〕83号"

    def formula(person, period, parameters):
        # The population records no employment or serious illness: every adult is without work
        # and none is seriously ill, as Minzheng reads the missing columns.
        grade = person("disability_grade", period)
        category = person("disability_category", period)
        mental = (category == DisabilityCategory.intellectual) | (
            category == DisabilityCategory.mental
        )
        severe = ((grade >= 1) & (grade <= 2)) | ((grade == 3) & mental)
        return (
            person.household("dibao_edge_eligible", period)
            & person("counted", period)
            & (person("age", period) >= 18)
            & severe
            & (person("own_income_fen", period) < person.household("dibao_standard_fen", period))
        )


class disability_living_amount_fen(Variable):
    value_type = int
    entity = Person
    definition_period = MONTH
    label = "困难残疾人生活补贴（分/月）：低保家庭（或单人户）的持证残疾人，特困人员和孤儿除外"
    reference = "国发〔2015〕52号"

    def formula(person, period, parameters):
        rules = parameters(period).disability
        grade = person("disability_grade", period)
        eligible = (
            (grade >= 1)
            & (grade <= 4)
            & (person.household("dibao_eligible", period) | person("dibao_single_eligible", period))
            & ~person("tekun_eligible", period)
            & ~person("orphan_eligible", period)
        )
        amount = numpy.where(grade <= 2, fen(rules.living_severe), fen(rules.living_other))
        return numpy.where(eligible, amount, 0)


class disability_nursing_amount_fen(Variable):
    value_type = int
    entity = Person
    definition_period = MONTH
    label = "重度残疾人护理补贴（分/月）：一、二级残疾人，特困人员除外"
    reference = "国发〔2015〕52号"

    def formula(person, period, parameters):
        rules = parameters(period).disability
        grade = person("disability_grade", period)
        eligible = (grade >= 1) & (grade <= 2) & ~person("tekun_eligible", period)
        amount = numpy.where(grade == 1, fen(rules.nursing_grade1), fen(rules.nursing_grade2))
        return numpy.where(eligible, amount, 0)


class elderly_amount_fen(Variable):
    value_type = int
    entity = Person
    definition_period = MONTH
    label = "高龄津贴（分/月），按年龄分档"
    reference = "老年人权益保障法 第三十三条"

    def formula(person, period, parameters):
        return fen(parameters(period).elderly.amount.calc(person("age", period)))
