import secrets

from django.core.management.base import BaseCommand

from minzheng.kit.crypto import new_key


class Command(BaseCommand):
    help = "Print fresh production secrets as environment variable lines."

    def handle(self, *args, **options):
        self.stdout.write(f"SECRET_KEY={secrets.token_urlsafe(50)}")
        self.stdout.write(f"FIELD_ENCRYPTION_KEY={new_key()}")
        self.stdout.write(f"BLIND_INDEX_KEY={secrets.token_urlsafe(32)}")
        self.stdout.write(f"AUDIT_HMAC_KEY={secrets.token_urlsafe(32)}")
