from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from annotations.errors import ServiceError
from annotations.models import Team
from annotations.services.articles import article_create

FORMATS = {".md": "markdown", ".markdown": "markdown", ".txt": "text", ".html": "html", ".htm": "html"}


class Command(BaseCommand):
    help = "Import an article from a .md, .txt or .html file and print the new article's id."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)
        parser.add_argument("--team", required=True, help="The team's slug.")
        parser.add_argument("--title", default="", help="Defaults to the file's first line.")
        parser.add_argument("--url", default="", help="The article's canonical URL.")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["path"]
        source_format = FORMATS.get(path.suffix.lower())
        if source_format is None:
            raise CommandError(f"{path.name}: expected a .md, .txt or .html file.")
        try:
            source = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"Cannot read {path}: {exc}") from exc
        team = Team.objects.filter(slug=options["team"]).first()
        if team is None:
            raise CommandError(f"No team with slug {options['team']!r}.")
        title = options["title"] or _first_line(source) or path.stem
        try:
            article = article_create(
                team=team,
                user=None,
                title=title,
                source=source,
                source_format=source_format,
                canonical_url=options["url"],
            )
        except (ServiceError, ValueError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(str(article.pk))


def _first_line(source: str) -> str:
    for line in source.splitlines():
        stripped = line.strip().lstrip("#").strip().strip("*_").strip()
        if stripped:
            return stripped[:500]
    return ""
