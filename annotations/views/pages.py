from __future__ import annotations

from collections import Counter
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.models import User
from django.core.validators import URLValidator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from annotations import policy
from annotations.access import teams_for_user
from annotations.errors import ServiceError
from annotations.models import ArticleOrigin, ClaimStatus, Priority, Rating, SourceFormat, Stance
from annotations.selectors.activity import team_activity
from annotations.selectors.articles import article_page, article_title_from_source
from annotations.selectors.claims import claims_for_article
from annotations.selectors.queues import dashboard_work
from annotations.selectors.reading import reading_html
from annotations.services.article_import import article_import_url
from annotations.services.articles import ArticleConflict, article_create, article_revise

UPLOAD_FORMATS = {
    ".md": SourceFormat.MARKDOWN,
    ".markdown": SourceFormat.MARKDOWN,
    ".txt": SourceFormat.TEXT,
    ".html": SourceFormat.HTML,
    ".htm": SourceFormat.HTML,
}
MAX_UPLOAD_BYTES = 5 * 1024 * 1024


@policy.performs(GET="home.read")
def home(request: HttpRequest) -> HttpResponse:
    team = teams_for_user(user=request.user).first()
    if team is None:
        return render(request, "annotations/no_team.html", status=200)
    return redirect("dashboard", team_slug=team.slug)


class ArticleSearchForm(forms.Form):
    """The dashboard's article list: a search over title, address and publisher, and the page number."""

    q = forms.CharField(label="Search articles", required=False, max_length=200, strip=True)
    page = forms.IntegerField(required=False, min_value=1, max_value=10**6, widget=forms.HiddenInput)


@policy.performs(GET="team.read")
def dashboard(request: HttpRequest, team_slug: str) -> HttpResponse:
    """The team's start page: my open work, what is due soon or overdue, the team's recent
    activity, and the articles (searchable, a page at a time). A fixed number of queries."""
    membership = policy.membership_for(request, team_slug=team_slug)
    team = membership.team
    search = ArticleSearchForm(request.GET)
    valid = search.is_valid()
    query = search.cleaned_data.get("q", "") if valid else ""
    number = (search.cleaned_data.get("page") or 1) if valid else 1
    page = article_page(team=team, query=query, number=number)
    statuses = list(ClaimStatus)
    articles = [
        (article, [getattr(article, f"claims_{status.value}") for status in statuses]) for article in page.object_list
    ]

    def page_url(number: int) -> str:
        return "?" + urlencode({k: v for k, v in (("q", query), ("page", number)) if v and v != 1})

    return render(
        request,
        "annotations/dashboard.html",
        {
            "team": team,
            "membership": membership,
            "teams": teams_for_user(user=request.user),
            "search": search,
            "query": query,
            "articles": articles,
            "article_page": page,
            "previous_url": page_url(page.previous_page_number()) if page.has_previous() else None,
            "next_url": page_url(page.next_page_number()) if page.has_next() else None,
            "statuses": statuses,
            "work": dashboard_work(team=team, user=request.user),
            "activity": team_activity(team=team),
            "now": timezone.now(),
        },
        status=200 if valid else 400,
    )


class ArticleForm(forms.Form):
    """A new article from one of three inputs: a URL to fetch, pasted text, or an uploaded file.

    A URL given with a text or a file is where that text came from; given alone, the page is
    fetched. Without a title, the text's first heading (or the fetched page's title) is taken.
    """

    title = forms.CharField(
        max_length=500,
        required=False,
        help_text="Leave empty to take the first heading of the text, or the title of the fetched page.",
    )
    url = forms.URLField(
        label="Article URL",
        required=False,
        assume_scheme="https",
        max_length=2000,
        validators=[URLValidator(schemes=["http", "https"])],
        help_text="On its own, the page is fetched, preserved as a snapshot, and its main text becomes the article. "
        "With a text or a file below, it records where that text was published.",
    )
    publisher = forms.CharField(max_length=200, required=False)
    source_format = forms.ChoiceField(
        label="Format", choices=SourceFormat.choices, initial=SourceFormat.MARKDOWN, required=False
    )
    source = forms.CharField(label="Text or Markdown", widget=forms.Textarea(attrs={"rows": 14}), required=False)
    upload = forms.FileField(label="…or upload a .md, .txt or .html file", required=False)

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        upload = data.get("upload")
        if upload:
            name = upload.name.lower()
            suffix = name[name.rfind(".") :] if "." in name else ""
            if suffix not in UPLOAD_FORMATS:
                self.add_error("upload", "Upload a .md, .txt or .html file.")
                return data
            if upload.size > MAX_UPLOAD_BYTES:
                self.add_error("upload", "The file is larger than 5 MB.")
                return data
            if (data.get("source") or "").strip():
                self.add_error("upload", "Paste a text or upload a file, not both.")
                return data
            try:
                data["source"] = upload.read().decode("utf-8-sig")
            except UnicodeDecodeError:
                self.add_error("upload", "The file is not UTF-8 text.")
                return data
            if "\x00" in data["source"]:
                self.add_error("upload", "The file contains NUL characters; it is not a text file.")
                return data
            data["source_format"] = UPLOAD_FORMATS[suffix]
        data["source_format"] = data.get("source_format") or SourceFormat.MARKDOWN
        has_text = bool((data.get("source") or "").strip())
        if not has_text:
            if data.get("url"):
                data["mode"] = "fetch"
            elif "url" not in self.errors:
                self.add_error("source", "Paste the article's text, upload a file or give a URL to fetch.")
            return data
        data["mode"] = "upload" if upload else "paste"
        if not (data.get("title") or "").strip():
            data["title"] = article_title_from_source(source=data["source"], source_format=data["source_format"])
        if not data["title"] and upload:
            data["title"] = upload.name.rsplit(".", 1)[0].replace("_", " ").replace("-", " ").strip()[:500]
        if not data["title"]:
            self.add_error("title", "Give the article a title: its text has no heading to take one from.")
        return data


@policy.performs(GET="article.create", POST="article.create")
def article_new(request: HttpRequest, team_slug: str) -> HttpResponse:
    membership = policy.membership_for(request, team_slug=team_slug)
    form = ArticleForm(request.POST, request.FILES) if request.method == "POST" else ArticleForm()
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            assert isinstance(request.user, User)
            data = form.cleaned_data
            try:
                if data["mode"] == "fetch":
                    article = article_import_url(
                        team=membership.team, user=request.user, url=data["url"], title=data.get("title") or ""
                    )
                else:
                    article = article_create(
                        team=membership.team,
                        user=request.user,
                        title=data["title"],
                        source=data["source"],
                        source_format=data["source_format"],
                        canonical_url=data.get("url") or "",
                        publisher=data.get("publisher") or "",
                        origin=ArticleOrigin.UPLOADED if data["mode"] == "upload" else ArticleOrigin.PASTED,
                    )
            except ServiceError as exc:
                form.add_error("url" if exc.field == "url" else None, exc.message)
            except ValueError as exc:
                form.add_error(None, str(exc))
            else:
                return redirect("article", article_id=article.pk)
    return render(request, "annotations/article_new.html", {"team": membership.team, "form": form}, status=status)


@policy.performs(GET="article.read")
def article_detail(request: HttpRequest, article_id: int) -> HttpResponse:
    """The reading view. The article's text is in the page once, as HTML (the script reads the
    reader text back from it; the HTML is rendered once per revision, annotations.selectors.reading);
    its claims come from the highlights API, drawn by the script."""
    article = policy.article_for(request, article_id, defer=policy.ARTICLE_TEXTS)
    reading = reading_html(article=article)
    article.revision = reading.revision  # the revision the HTML shows, should one have been saved since
    ratings = Rating.objects.filter(scale__team_id=article.team_id).order_by("position")
    membership = policy.Actor.of(request).membership(article.team_id)
    page_data = {
        "articleId": article.pk,
        "teamId": article.team_id,
        "revision": article.revision,
        "username": request.user.get_username(),
        "ratings": [{"id": r.pk, "label": r.label, "value": r.value, "color": r.color} for r in ratings],
        "statuses": [{"value": s.value, "label": s.label} for s in ClaimStatus],
        "stances": [{"value": s.value, "label": s.label} for s in Stance],
        "priorities": [{"value": p.value, "label": p.label} for p in Priority],
        "suggestions": article.team.suggestions_enabled,
        "canPlan": policy.refusal(action="claim.plan", membership=membership) is None,
    }
    return render(
        request,
        "annotations/article.html",
        {
            "article": article,
            "team": article.team,
            "reading_html": reading.html,
            "can_revise": policy.refusal(action="article.revise", membership=membership) is None,
            "page_data": page_data,
        },
    )


class ArticleTextForm(forms.Form):
    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**31 - 1)
    source_format = forms.ChoiceField(label="Format", choices=SourceFormat.choices)
    source = forms.CharField(label="Article text or Markdown", widget=forms.Textarea(attrs={"rows": 24}), strip=False)


@policy.performs(GET="article.revise", POST="article.revise")
def article_edit(request: HttpRequest, article_id: int) -> HttpResponse:
    """Replace the article's text (editors): a new revision, against which every claim re-anchors.

    The form carries the revision it was opened on; if a colleague saved another meanwhile, nothing
    is written and the form says who and when, keeping the text typed here.
    """
    article = policy.article_for(request, article_id)
    initial = {"source": article.source, "source_format": article.source_format, "revision": article.revision}
    form = ArticleTextForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        assert isinstance(request.user, User)
        try:
            article = article_revise(
                article=article,
                user=request.user,
                source=form.cleaned_data["source"],
                source_format=form.cleaned_data["source_format"],
                revision=form.cleaned_data["revision"],
            )
        except ArticleConflict as exc:
            # Keep the typed text; saving again now replaces the colleague's revision knowingly.
            article = exc.current
            form = ArticleTextForm({**request.POST.dict(), "revision": article.revision})
            form.is_valid()
            form.add_error(None, exc.message)
            context = {"article": article, "team": article.team, "form": form, "theirs": article.source}
            return render(request, "annotations/article_edit.html", context, status=409)
        except ServiceError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            outcomes = Counter(claims_for_article(article=article).values_list("anchor_outcome", flat=True))
            summary = ", ".join(f"{count} {outcome}" for outcome, count in sorted(outcomes.items()))
            messages.success(
                request, f"Saved revision {article.revision}." + (f" Claims re-anchored: {summary}." if summary else "")
            )
            return redirect("article", article_id=article.pk)
    return render(request, "annotations/article_edit.html", {"article": article, "team": article.team, "form": form})
