from django.apps import AppConfig


class BatchConfig(AppConfig):
    name = "minzheng.batch"
    label = "batch"
    verbose_name = "Batch runners"

    def ready(self) -> None:
        from minzheng.batch.runners import ENGINES
        from minzheng.rules import engines

        for name, runner in ENGINES.items():
            engines.register(name, runner)
