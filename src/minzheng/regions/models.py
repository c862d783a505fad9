from django.db import models
from django.utils.translation import gettext_lazy as _

from minzheng.regions import codes


class Region(models.Model):
    """One 行政区划 unit with its 12-digit 统计用区划代码 (the primary key)."""

    class Level(models.IntegerChoices):
        PROVINCE = codes.PROVINCE, _("Province")
        CITY = codes.CITY, _("Prefecture city")
        COUNTY = codes.COUNTY, _("County")
        TOWNSHIP = codes.TOWNSHIP, _("Township")
        VILLAGE = codes.VILLAGE, _("Village / community")

    code = models.CharField(_("region code"), max_length=12, primary_key=True)
    name = models.CharField(_("name"), max_length=100, db_index=True)
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices, db_index=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent region"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    urban_rural = models.CharField(
        _("urban-rural classification code"),
        max_length=3,
        blank=True,
        help_text=_("111/112/121/122/123 urban, 210/220 rural (villages only)"),
    )
    area_type = models.CharField(
        _("urban/rural"),
        max_length=5,
        blank=True,
        db_index=True,
        help_text=_("villages only: from the classification code, else from the unit type"),
    )

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    @property
    def prefix(self) -> str:
        return codes.prefix_of(self.code)
