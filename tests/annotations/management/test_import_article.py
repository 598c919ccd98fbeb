from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from annotations.models import Article
from tests.conftest import CORPUS_DIR

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("name", ["nato-buildup-2021-12-24.md", "harbour-budget-unicode.md"])
def test_corpus_articles_import_cleanly(team, name):
    out = StringIO()
    call_command(
        "import_article", str(CORPUS_DIR / name), "--team", team.slug, "--url", "https://Example.org/a/", stdout=out
    )
    article = Article.objects.get(pk=int(out.getvalue().strip()))
    assert article.team == team and article.title
    assert article.canonical_url == "https://example.org/a"
    assert "\r" not in article.text and "**" not in article.text and "](" not in article.text
    assert article.source == (CORPUS_DIR / name).read_text(encoding="utf-8-sig")


def test_title_option_and_html_file(team, tmp_path):
    path = tmp_path / "story.html"
    path.write_text("<html><head><title>x</title></head><body><p>Figures: 6,000 troops.</p></body></html>")
    out = StringIO()
    call_command("import_article", str(path), "--team", team.slug, "--title", "Troops", stdout=out)
    article = Article.objects.get(pk=int(out.getvalue()))
    assert article.title == "Troops" and "6,000 troops" in article.text


def test_unknown_team_and_bad_file_are_clear_errors(team, tmp_path):
    path = tmp_path / "a.md"
    path.write_text("Hello")
    with pytest.raises(CommandError, match="No team"):
        call_command("import_article", str(path), "--team", "nope")
    with pytest.raises(CommandError, match=r"expected a \.md"):
        call_command("import_article", str(tmp_path / "a.pdf"), "--team", team.slug)
