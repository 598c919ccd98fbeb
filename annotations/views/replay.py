"""A preserved source replayed inside the workbench, as it looked when it was fetched.

ReplayWeb.page (npm `replaywebpage`; `make install` copies its ui.js and sw.js to
frontend/replay/, served under STATIC_URL like the rest of the front end) reads the snapshot's
WARC in the browser and shows the page from it. Opened from a claim (`?claim=<id>`, as the claim
panel links it), it reads the claim's WACZ instead: the whole fact-check's preserved sources, in
which the page is one, so that links between them replay too. It never falls through to the live web: it
answers only from the archive, and the replayed page gets `REPLAYED_PAGE_POLICY`, a sandbox with
no scripts, forms or pop-ups that may load nothing but what the archive holds.
"""

from __future__ import annotations

import json

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from annotations import policy

# The Content-Security-Policy ReplayWeb.page's service worker gives every replayed response
# (its `csp` setting). Same origin is kept so that the worker still answers the page's images
# and style sheets from the archive; scripts are off, so the page cannot act as the workbench.
REPLAYED_PAGE_POLICY = "; ".join(
    (
        "sandbox allow-same-origin",
        "default-src 'self' data: blob:",
        "style-src 'self' 'unsafe-inline' data: blob:",
        "script-src 'none'",
        "object-src 'none'",
        "form-action 'none'",
        "base-uri 'self'",
    )
)


@policy.performs(GET="snapshot.read")
def snapshot_replay(request: HttpRequest, snapshot_id: int) -> HttpResponse:
    snapshot = policy.snapshot_for(request, snapshot_id)
    fetched_at = snapshot.fetched_at
    archive_url = reverse("snapshot_warc", args=[snapshot.pk]) if snapshot.warc.name else None
    claim_id = request.GET.get("claim", "")
    if archive_url and claim_id.isdigit():
        claim = policy.claim_for(request, int(claim_id), action="snapshot.read")
        if claim.sources.filter(snapshot=snapshot).exists():
            archive_url = reverse("claim_wacz", args=[claim.pk])
    return render(
        request,
        "annotations/snapshot_replay.html",
        {
            "snapshot": snapshot,
            "team": snapshot.team,
            "archive_url": archive_url,
            "page_url": snapshot.final_url or snapshot.url,
            "timestamp": fetched_at.strftime("%Y%m%d%H%M%S") if fetched_at else "",
            "replay_base": f"{settings.STATIC_URL}replay/",
            "replay_config": json.dumps({"csp": REPLAYED_PAGE_POLICY}),
        },
    )
