from django.apps import AppConfig


class FictionConfig(AppConfig):
    name = "tests.procedures.fiction"
    label = "fiction"

    def ready(self) -> None:
        from tests.procedures.fiction import steps  # noqa: F401  registers the procedure
