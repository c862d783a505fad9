from django.apps import AppConfig


class KitConfig(AppConfig):
    name = "minzheng.kit"
    label = "kit"
    verbose_name = "Kit"
