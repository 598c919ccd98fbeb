"""The Integrations page in a browser: register a webhook, ping it through a real worker, redeliver."""

from __future__ import annotations

import re
import time
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from annotations.models import Role, WebhookDelivery
from annotations.services.webhooks import PING_EVENT, signature
from tests.annotations.webhook_server import HookServer, serving
from tests.factories import MembershipFactory, UserFactory


def _wait_for_status(page: Page, row: str, status: str, timeout: float = 30) -> None:
    """Reload the delivery log until the row shows the status (the page does not poll)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        page.reload()
        if page.locator(f"{row} .delivery-status").inner_text().startswith(status):
            return
        time.sleep(0.3)
    raise AssertionError(f"{row} never became {status}: {page.locator(row).inner_text()}")


def _signed(hooks: HookServer, index: int, secret: str) -> bool:
    received = hooks.received[index]
    header = received["headers"]["X-Workbench-Signature"]
    timestamp = int(re.match(r"t=(\d+),", header).group(1))
    return header == signature(secret=secret, timestamp=timestamp, body=received["body"])


@pytest.mark.browser
@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_an_admin_registers_pings_and_redelivers_a_webhook(
    tmp_path: Path, worker_env: dict[str, str], request: Any, settings: Any, team: Any, login_page: Any
) -> None:
    with serving(tmp_path) as hooks:
        worker_env.update(
            FETCH_ALLOW_PRIVATE_HOSTS="localhost", FETCH_EXTRA_PORTS=str(hooks.port), WEBHOOK_CA_CERTS=hooks.ca_file
        )
        settings.FETCH_ALLOW_PRIVATE_HOSTS = ["localhost"]
        settings.FETCH_EXTRA_PORTS = [hooks.port]
        request.getfixturevalue("celery_worker")
        admin = MembershipFactory(team=team, user=UserFactory(username="ada"), role=Role.ADMIN).user
        page = login_page(admin)

        page.goto(f"/t/{team.slug}/settings/")
        page.get_by_role("link", name="Integrations (webhooks)").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("integrations")

        # A private address is refused with the reason, as in the API.
        page.get_by_label("Endpoint address").fill("https://10.0.0.8/hook")
        page.get_by_role("button", name="Register webhook").click()
        expect(page.get_by_role("alert")).to_contain_text("Webhooks cannot be sent there")

        page.get_by_label("Endpoint address").fill(hooks.url())
        page.get_by_label("Verdict corrected").check()
        page.get_by_role("button", name="Register webhook").click()
        secret = page.get_by_role("textbox", name="Signing secret").input_value()
        assert len(secret) == 64
        page.get_by_role("link", name=f"Deliveries to {hooks.url()}").click()

        page.get_by_role("button", name="Send a test ping").click()
        expect(page.get_by_role("status")).to_contain_text("Queued a test ping")
        ping = WebhookDelivery.objects.get(event=PING_EVENT)
        _wait_for_status(page, f"tr[data-delivery='{ping.pk}']", "Delivered")
        row = page.locator(f"tr[data-delivery='{ping.pk}']")
        expect(row.locator(".delivery-response")).to_have_text("204")
        assert hooks.received[0]["json"]["event"] == PING_EVENT and _signed(hooks, 0, secret)

        hooks.statuses = [500]
        row.get_by_role("button", name=f"Redeliver delivery {ping.pk}").click()
        again = WebhookDelivery.objects.exclude(pk=ping.pk).get()
        expect(page.locator("tbody tr").first).to_have_attribute("data-delivery", str(again.pk))
        # The endpoint answers 500 the first time: the delivery waits for its retry, with the code shown.
        deadline = time.monotonic() + 30
        while (
            time.monotonic() < deadline
            and not WebhookDelivery.objects.filter(pk=again.pk, attempts=1).exclude(status="sending").exists()
        ):
            time.sleep(0.2)
        page.reload()
        expect(page.locator(f"tr[data-delivery='{again.pk}'] .delivery-response")).to_have_text("500")
        assert hooks.received[1]["json"]["redelivery_of"] == ping.pk and _signed(hooks, 1, secret)

        page.get_by_role("button", name="Pause this endpoint").click()
        expect(page.get_by_role("button", name="Send a test ping")).to_be_disabled()
        assert page.js_errors == []
