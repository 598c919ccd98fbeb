"""`create_api_token USERNAME [--name NAME] [--team SLUG --read-only]`: prints a new token once."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from annotations.errors import ServiceError
from annotations.models import Team
from annotations.services.api_keys import api_token_create, team_api_key_create


class Command(BaseCommand):
    help = (
        "Create an API token and print it (it is shown only once). Without --team: a personal token acting "
        "as USERNAME. With --team SLUG --read-only: a read-only key for that team (USERNAME must be its admin)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--name", default="", help="A label to recognise the token by.")
        parser.add_argument("--team", default="", help="Create a team key for this team (slug).")
        parser.add_argument("--read-only", action="store_true", help="Team keys are read-only; required with --team.")

    def handle(self, *args: Any, **options: Any) -> None:
        user = get_user_model().objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"No user named {options['username']!r}.")
        try:
            if options["team"]:
                if not options["read_only"]:
                    raise CommandError("Team API keys are read-only: add --read-only.")
                team = Team.objects.filter(slug=options["team"]).first()
                if team is None:
                    raise CommandError(f"No team with slug {options['team']!r}.")
                issued = team_api_key_create(team=team, user=user, name=options["name"] or f"{team.slug} key")
            else:
                if options["read_only"]:
                    raise CommandError("--read-only needs --team: personal tokens act as their user.")
                issued = api_token_create(user=user, name=options["name"] or "command line")
        except ServiceError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(issued.plaintext)
