from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache

from annotations import policy
from annotations.health import health_report


@never_cache
@policy.performs(GET="site.health")
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when the database, the broker and a worker all answer; 503 naming the one that did not."""
    report = health_report()
    return JsonResponse(report, status=200 if report["ok"] else 503)
