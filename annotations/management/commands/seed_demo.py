import secrets
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from annotations.services.demo import demo_seed


class Command(BaseCommand):
    help = "Create the demo team, users (reviewer, editor, admin) and demo article, if missing."

    def handle(self, *args: Any, **options: Any) -> None:
        password = settings.DEMO_PASSWORD or _stored_password()
        seed = demo_seed(password=password, reset_passwords=bool(settings.DEMO_PASSWORD))
        self.stdout.write(f"Demo team '{seed.team.slug}', demo article /articles/{seed.article.pk}/.")
        self.stdout.write(f"Sign in as reviewer, editor or admin with the demo password: {password}")


def _stored_password() -> str:
    """A random password generated once per installation and kept under var/ (never committed)."""
    path = settings.VAR_DIR / "demo-password"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(12))
        path.chmod(0o600)
    return path.read_text().strip()
