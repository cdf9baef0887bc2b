"""Creates the first staff user and account of an embedded installation and says how to log in."""

import secrets

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction

from flowline.identity.models import User
from flowline.identity.services.accounts import account_create


class Command(BaseCommand):
    help = "Create the demo admin (once) and print how to log in."

    def add_arguments(self, parser):
        parser.add_argument("--email", default="admin@flowline.local")
        parser.add_argument("--url", default="http://127.0.0.1:8000")

    @transaction.atomic
    def handle(self, *args, email, url, **options):
        credentials = settings.VAR_DIR / "admin-credentials.txt"
        user = User.objects.filter(email=email).first()
        if user is None:
            password = secrets.token_urlsafe(12)
            user = User.objects.create_superuser(email, password, first_name="Admin")
            account = account_create(owner=user, name="Demo account")
            user.last_account = account
            user.save(update_fields=["last_account"])
            credentials.write_text(f"{email}\n{password}\n")
            credentials.chmod(0o600)
        lines = credentials.read_text().split() if credentials.exists() else [email, "(unknown)"]
        self.stdout.write(
            "\n".join(
                [
                    "",
                    f"Flowline is starting on {url}",
                    f"  Console     {url}/",
                    f"  Log in as   {lines[0]} / {lines[1]}   (saved in {credentials})",
                    f"  API         {url}/api/v1/  (POST auth/login/)",
                    f"  Swagger UI  {url}/api/docs/",
                    f"  Admin       {url}/admin/",
                    "",
                ]
            )
        )
