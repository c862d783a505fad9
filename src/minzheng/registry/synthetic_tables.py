"""Frequency tables for the synthetic population (see synthetic.py).

Surname weights follow the order of China's most common surnames (公安部 name statistics):
a handful of names cover a large share of the population. Shares below are approximate
figures for a county around 2024, chosen so demo screens and rules see realistic mixes.
"""

SURNAMES = tuple(
    "王 李 张 刘 陈 杨 黄 赵 吴 周 徐 孙 马 朱 胡 郭 何 林 高 罗 郑 梁 谢 宋 唐 许 韩 冯 邓 曹 "
    "彭 曾 肖 田 董 潘 袁 蔡 蒋 余 于 杜 叶 程 魏 苏 吕 丁 任 卢 姚 沈 钟 姜 崔 谭 陆 范 汪 廖 "
    "石 金 韦 贾 夏 付 方 邹 熊 白 孟 秦 邱 侯 江 尹 薛 闫 段 雷 龙 黎 史 陶 贺 毛 郝 顾 龚 邵 "
    "万 覃 武 钱 戴 严 欧阳 司马 上官 诸葛 ".split()
)
# Zipf-like weights for the single-character names; the four compound names are rare.
SURNAME_WEIGHTS = tuple([1.0 / (rank + 8) for rank in range(len(SURNAMES) - 4)] + [0.002] * 4)

GIVEN_NAME_CHARS = tuple(
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国玉兰志红文斌波辉鹏宇浩然欣怡子涵梓轩"
    "雨萱思远博文梦琪晨阳俊杰嘉怡佳琪宇航紫涵一诺梓萱欣妍家豪婷雪梅海燕春花秋菊冬梅金凤银花翠"
    "兰淑珍秀英凤英德明永红振华卫东建华小龙小红晓明晓燕立新学军成林丹丹莉莉宁安康福寿荣昌盛"
    "瑞祥和泰清源林森泽宏伟业鑫磊晶晶蕾蕾彤彤悦琳颖慧倩茜蓉蓓雯琳璐瑶婧婉娴淑惠贤良忠孝仁义礼"
)

# type: (share of households, head age range, spouse?, children range, parents range,
#        grandchildren?) — children/parents counts are inclusive ranges.
HOUSEHOLD_TYPES = {
    "elderly_alone": (0.08, (60, 95), False, (0, 0), (0, 0), False),
    "elderly_couple": (0.16, (60, 90), True, (0, 0), (0, 0), False),
    "single_adult": (0.09, (22, 59), False, (0, 0), (0, 0), False),
    "couple": (0.12, (22, 59), True, (0, 0), (0, 0), False),
    "family": (0.33, (25, 55), True, (1, 2), (0, 0), False),
    "family_with_parents": (0.09, (28, 50), True, (1, 2), (1, 2), False),
    "three_generations": (0.13, (50, 75), True, (1, 1), (0, 0), True),
}

DISABILITY_CATEGORIES = (
    ("physical", 0.45),
    ("visual", 0.12),
    ("hearing", 0.16),
    ("speech", 0.02),
    ("intellectual", 0.08),
    ("mental", 0.10),
    ("multiple", 0.07),
)
DISABILITY_GRADE_SHARES = (0.15, 0.25, 0.30, 0.30)  # grades 1–4; 1–2 are severe (40 %)

# Per parent of a minor; the rest are "normal". Orphans (both dead) are drawn separately.
PARENT_SITUATIONS = (
    ("dead", 0.004),
    ("missing", 0.0005),
    ("severe_disability", 0.003),
    ("serious_illness", 0.002),
    ("in_prison", 0.001),
    ("lost_contact", 0.001),
    ("guardianship_revoked", 0.0002),
    ("deported", 0.0001),
)
ORPHAN_SHARE = 0.0008
