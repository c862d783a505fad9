"""最低生活保障 (低保) and 低保边缘家庭."""

import numpy
from openfisca_core.model_api import MONTH, Variable
from openfisca_minzheng.entities import Household


def _line(household, period):
    """Standard × counted members, in fen (64-bit: fen totals outgrow OpenFisca's int32)."""
    standard = household("dibao_standard_fen", period).astype(numpy.int64)
    return standard * household("counted_members", period)


class dibao_eligible(Variable):
    value_type = bool
    entity = Household
    definition_period = MONTH
    label = "符合低保"
    reference = "社会救助暂行办法（国务院令第649号）第九条"

    def formula(household, period):
        return (
            (household("counted_members", period) > 0)
            & household("assets_ok", period)
            & (household("household_income_fen", period) < _line(household, period))
        )


class dibao_amount_fen(Variable):
    value_type = int
    entity = Household
    definition_period = MONTH
    label = "低保金（分/月）：标准 × 人数 − 家庭月收入"

    def formula(household, period):
        gap = _line(household, period) - household("household_income_fen", period)
        return numpy.where(household("dibao_eligible", period), gap, 0)


class dibao_edge_eligible(Variable):
    value_type = bool
    entity = Household
    definition_period = MONTH
    label = "低保边缘家庭"
    reference = "最低生活保障审核确认办法（民发〔2021〕57号）"

    def formula(household, period, parameters):
        multiplier = parameters(period).dibao.edge_multiplier
        below = household("household_income_fen", period) < _line(household, period) * multiplier
        return (
            (household("counted_members", period) > 0)
            & household("assets_ok", period)
            & ~household("dibao_eligible", period)
            & below
        )
