from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import DEFAULT_DB_ALIAS


class Command(BaseCommand):
    help = "Serve Minzheng: Django's development server in debug mode, waitress otherwise."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--threads", type=int, default=8)

    def get_check_kwargs(self, options):
        """The checks of the database too: the key canary refuses keys its data was not
        written under, before any page gives a 500."""
        return {"databases": [DEFAULT_DB_ALIAS]}

    def handle(self, *args, host: str, port: int, threads: int, **options):
        if settings.DEBUG:
            call_command("runserver", f"{host}:{port}", use_reloader=False)
            return
        from waitress import serve

        from minzheng.wsgi import application

        call_command("collectstatic", interactive=False, verbosity=0)

        self.stdout.write(f"Minzheng 正在 http://{host}:{port}/ 上运行（生产模式，waitress）。")
        serve(application, host=host, port=port, threads=threads)
