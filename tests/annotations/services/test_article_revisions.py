import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotations.errors import InvalidInput, NotAllowed
from annotations.models import ArticleRevision, AuditEvent, Claim
from annotations.services.articles import article_create, article_revise
from annotations.services.claims import claim_create

pytestmark = pytest.mark.django_db

# Letters, spaces and the characters that break UTF-16 counting: astral emoji, a ZWJ, a
# combining mark, CJK, Arabic, Hebrew, NBSP, zero-width space and soft hyphen.
ALPHABET = st.sampled_from(
    [*"abcdeflmnorst  ", "😀", "\u200d", "\u0301", "中", "文", "ع", "ש", "\u00a0", "\u200b", "\u00ad"]
)
WORDS = st.text(ALPHABET, min_size=1, max_size=12)
PROPERTY_SETTINGS = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)


def plain_article(team, text):
    article = article_create(team=team, user=None, title="T", source=text, source_format="text")
    assert article.text == text
    return article


@st.composite
def text_claim_and_outside_edit(draw):
    before = draw(st.text(ALPHABET, min_size=0, max_size=60))
    quote = "«" + draw(WORDS) + "»"  # guillemets keep the quote from touching its neighbours
    after = draw(st.text(ALPHABET, min_size=0, max_size=60))
    text = "x" + before + quote + after + "x"
    start = 1 + len(before)
    end = start + len(quote)
    replacement = draw(st.text(ALPHABET, max_size=20))
    if draw(st.booleans()):
        a = draw(st.integers(0, start))
        b = draw(st.integers(a, start))
    else:
        a = draw(st.integers(end, len(text)))
        b = draw(st.integers(a, len(text)))
    new_text = text[:a] + replacement + text[b:]
    return text, start, end, new_text


@PROPERTY_SETTINGS
@given(case=text_claim_and_outside_edit())
def test_edits_outside_a_claim_keep_it_anchored_on_its_quote(team, case):
    text, start, end, new_text = case
    if not new_text.strip():
        return
    article = plain_article(team, text)
    claim = claim_create(article=article, user=None, start=start, end=end)
    article_revise(article=article, user=None, source=new_text, source_format="text")
    claim.refresh_from_db()
    assert claim.anchor_outcome in ("exact", "moved")
    assert claim.anchor_score == 1.0
    assert new_text[claim.start : claim.end] == claim.exact == text[start:end]
    assert claim.anchored_revision == 2
    # The edit was outside the claim, so the claim keeps its place relative to the text around it.
    delta = len(new_text) - len(text)
    assert claim.start in (start, start + delta)
    assert claim.prefix == new_text[max(0, claim.start - 32) : claim.start]
    assert claim.suffix == new_text[claim.end : claim.end + 32]


@st.composite
def text_claims_and_any_edit(draw):
    text = "x" + draw(st.text(ALPHABET, min_size=8, max_size=120)) + "x"
    spans = []
    for _ in range(draw(st.integers(1, 4))):
        start = draw(st.integers(0, len(text) - 1))
        end = draw(st.integers(start + 1, min(len(text), start + 20)))
        spans.append((start, end))
    a = draw(st.integers(0, len(text)))
    b = draw(st.integers(a, min(len(text), a + 40)))
    new_text = text[:a] + draw(st.text(ALPHABET, max_size=30)) + text[b:]
    return text, spans, new_text


@PROPERTY_SETTINGS
@given(case=text_claims_and_any_edit())
def test_no_edit_moves_a_claim_onto_different_text_without_recording_fuzzy(team, case):
    text, spans, new_text = case
    if not new_text.strip():
        return
    article = plain_article(team, text)
    claims = [claim_create(article=article, user=None, start=s, end=e) for s, e in spans]
    quotes = {c.pk: c.exact for c in claims}
    article_revise(article=article, user=None, source=new_text, source_format="text")
    for claim in Claim.objects.filter(article=article):
        assert claim.exact == quotes[claim.pk]  # the marked quote is never rewritten
        if claim.anchor_outcome == "orphan":
            assert claim.start is None and claim.end is None and claim.anchor_score == 0
            continue
        covered = new_text[claim.start : claim.end]
        if covered != claim.exact:
            assert claim.anchor_outcome == "fuzzy"
        if claim.anchor_outcome == "fuzzy":
            assert 0.6 <= claim.anchor_score <= 1
        else:
            assert covered == claim.exact and claim.anchor_score == 1.0


def test_revision_keeps_the_old_text_and_lists_orphans_apart(team, reviewer, editor):
    article = plain_article(team, "The mayor said rents rose 14 % in a year. Buses are free on Sundays.")
    kept = claim_create(article=article, user=reviewer, exact="Buses are free on Sundays")
    lost = claim_create(article=article, user=reviewer, exact="rents rose 14 % in a year")
    with pytest.raises(NotAllowed):
        article_revise(article=article, user=reviewer, source="Rewritten by a reviewer.", source_format="text")
    revised = article_revise(
        article=article,
        user=editor,
        source="Intro paragraph added. The mayor spoke. Buses are free on Sundays.",
        source_format="text",
    )
    assert revised.revision == 2
    old = ArticleRevision.objects.get(article=article)
    assert old.number == 1 and old.text.startswith("The mayor said rents rose")
    kept.refresh_from_db()
    lost.refresh_from_db()
    assert kept.anchor_outcome == "moved" and revised.text[kept.start : kept.end] == "Buses are free on Sundays"
    assert lost.anchor_outcome == "orphan" and lost.start is None and lost.exact == "rents rose 14 % in a year"
    assert lost.version == 2 and lost.anchored_revision == 2
    event = AuditEvent.objects.get(action="article.revise", target_id=article.pk)
    assert event.after["anchors"] == {"moved": 1, "orphan": 1}
    orphans = list(Claim.objects.filter(article=article, anchor_outcome="orphan"))
    assert orphans == [lost]


def test_a_small_typo_fix_inside_a_claim_is_recorded_as_fuzzy(team):
    article = plain_article(team, "Officials said the port will double its capacity by 2030, a big step.")
    claim = claim_create(article=article, user=None, exact="the port will double its capacity by 2030")
    article_revise(
        article=article,
        user=None,
        source="Officials said the port will triple its capacity by 2030, a big step.",
        source_format="text",
    )
    claim.refresh_from_db()
    assert claim.anchor_outcome == "fuzzy" and 0.6 <= claim.anchor_score < 1
    assert claim.exact == "the port will double its capacity by 2030"
    assert "triple" in article.__class__.objects.get(pk=article.pk).text[claim.start : claim.end]


def test_an_orphan_comes_back_when_its_quote_returns(team):
    article = plain_article(team, "Alpha beta gamma delta.")
    claim = claim_create(article=article, user=None, exact="gamma")
    article_revise(article=article, user=None, source="Completely different words here.", source_format="text")
    claim.refresh_from_db()
    assert claim.anchor_outcome == "orphan"
    article_revise(article=article, user=None, source="Now gamma is back.", source_format="text")
    claim.refresh_from_db()
    assert claim.anchor_outcome == "moved" and (claim.start, claim.end) == (4, 9)
    assert ArticleRevision.objects.filter(article=article).count() == 2


def test_markdown_revision_re_anchors_on_reader_text(team):
    article = article_create(
        team=team, user=None, title="T", source="The *budget* rose by **4%**.", source_format="markdown"
    )
    claim = claim_create(article=article, user=None, exact="budget rose by 4%")
    article_revise(
        article=article, user=None, source="# News\n\nThe *budget* rose by **4%**.", source_format="markdown"
    )
    claim.refresh_from_db()
    article.refresh_from_db()
    assert claim.anchor_outcome == "moved"
    assert article.text[claim.start : claim.end] == "budget rose by 4%"


def test_empty_or_unknown_revisions_are_refused(team):
    article = plain_article(team, "Some text.")
    with pytest.raises(InvalidInput):
        article_revise(article=article, user=None, source="   ", source_format="text")
    with pytest.raises(InvalidInput):
        article_revise(article=article, user=None, source="x", source_format="docx")
    article.refresh_from_db()
    assert article.revision == 1 and not ArticleRevision.objects.filter(article=article).exists()


def test_a_stale_claim_edit_after_a_revision_names_the_revision(team, editor, reviewer):
    from annotations.services.workflow import ClaimConflict, claim_update

    article = plain_article(team, "The mayor said rents rose 14 % in a year.")
    claim = claim_create(article=article, user=reviewer, exact="rents rose 14 %")
    article_revise(
        article=article,
        user=editor,
        source="Note. The mayor said rents rose 14 % in a year.",
        source_format="text",
        revision=1,
    )
    with pytest.raises(ClaimConflict) as info:
        claim_update(claim=claim, user=reviewer, version=1, claimant="The mayor")
    change = info.value.last_change
    assert change is not None and change["action"] == "article.revise"
    assert change["by"]["username"] == editor.username and change["after"]["revision"] == 2
