from django.db import DatabaseError
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache

from annotations import policy
from annotations.health import health_report, public_report


@never_cache
@policy.performs(GET="site.health")
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when the database, the broker and a worker all answer; 503 naming the one that did not.

    Only staff see the details (hosts, error texts, the worker's name); others see ok / not ok.
    """
    report = health_report()
    status = 200 if report["ok"] else 503
    return JsonResponse(report if _is_staff(request) else public_report(report), status=status)


def _is_staff(request: HttpRequest) -> bool:
    """Whether the caller is staff; with the database down nobody can be told, so: no."""
    try:
        return bool(request.user.is_staff)
    except DatabaseError:
        return False
