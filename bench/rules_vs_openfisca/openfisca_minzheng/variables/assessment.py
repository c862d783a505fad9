"""What every program reads: age, who is counted, incomes, the 低保 standard, the assets test."""

import numpy
from openfisca_core.model_api import MONTH, Variable
from openfisca_minzheng.entities import Household, Person


def monthly(monthly_fen, annual_fen):
    """Monthly plus annual ÷ 12, rounded half up to the fen (annual summed first)."""
    return monthly_fen + (annual_fen * 2 + 12) // 24


class age(Variable):
    value_type = int
    entity = Person
    definition_period = MONTH
    label = "周岁年龄（期初）"

    def formula(person, period):
        born = person("birth_date", period)
        start = period.start
        year = born.astype("datetime64[Y]").astype(int) + 1970
        month = born.astype("datetime64[M]").astype(int) % 12 + 1
        day = (born - born.astype("datetime64[M]")).astype(int) + 1
        reached = month * 100 + day <= start.month * 100 + start.day
        return start.year - year - numpy.where(reached, 0, 1)


class counted(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    label = "计入的共同生活家庭成员"

    def formula(person, period):
        return person("co_resident", period) & (person("exclusion", period) == "")


class own_income_fen(Variable):
    value_type = int
    entity = Person
    definition_period = MONTH
    label = "本人月收入（分）"

    def formula(person, period):
        return monthly(
            person("monthly_income_fen", period),
            person("annual_income_fen", period.this_year),
        )


class counted_members(Variable):
    value_type = int
    entity = Household
    definition_period = MONTH
    label = "计入的家庭成员人数"

    def formula(household, period):
        return household.sum(household.members("counted", period))


class household_income_fen(Variable):
    value_type = int
    entity = Household
    definition_period = MONTH
    label = "家庭月收入（分；计入成员的收入合计）"

    def formula(household, period):
        counted = household.members("counted", period)
        monthly_fen = household.members("monthly_income_fen", period) * counted
        annual_fen = household.members("annual_income_fen", period.this_year) * counted
        return monthly(household.sum(monthly_fen), household.sum(annual_fen))


class dibao_standard_fen(Variable):
    value_type = int
    entity = Household
    definition_period = MONTH
    label = "低保标准（分/人·月），按县级区划和城乡类别"

    def formula(household, period, parameters):
        county = household("region_code", period).astype("U6")  # the 6-digit county prefix
        yuan = parameters(period).dibao.standard[county][household("area_type", period)]
        return numpy.round(yuan * 100)


class assets_ok(Variable):
    value_type = bool
    entity = Household
    definition_period = MONTH
    label = "家庭财产符合规定"

    def formula(household, period, parameters):
        rules = parameters(period).dibao.assets
        line = household("dibao_standard_fen", period).astype(numpy.int64)
        ceiling = rules.deposit_months * line * household("counted_members", period)
        return (
            (household("deposits_fen", period) <= ceiling)
            & (household("vehicles", period) <= rules.vehicles_allowed)
            & (household("dwellings", period) <= rules.dwellings_allowed)
            & (household("businesses", period) <= rules.businesses_allowed)
        )
