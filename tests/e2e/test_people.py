"""People in the browser: an admin invites by email, the worker mails the link, the invitee opens
it in another browser, sets a password and lands in the team with the role; axe-core finds no
serious or critical violation on the new pages."""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from annotations.models import Membership, Role
from tests.conftest import WorkerProcess
from tests.e2e.helpers import serious_violations
from tests.factories import MembershipFactory, UserFactory


@pytest.fixture
def mailbox(tmp_path: Path) -> Path:
    path = tmp_path / "mail"
    path.mkdir()
    return path


@pytest.fixture
def mailing_worker(worker_env: dict[str, str], mailbox: Path, tmp_path: Path) -> Iterator[WorkerProcess]:
    """A real worker whose email backend writes each message to a file in `mailbox`."""
    worker = WorkerProcess({**worker_env, "EMAIL_URL": f"filemail:///{mailbox}"}, tmp_path / "worker.log")
    worker.start()
    yield worker
    worker.stop()


def _wait_for_link(mailbox: Path, timeout: float = 20) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for message in mailbox.glob("*.log"):
            found = re.search(r"https?://\S+/invitations/[\w-]+/", message.read_text())
            if found:
                return found.group(0)
        time.sleep(0.1)
    raise AssertionError("No invitation email arrived.")


def test_an_invitation_from_the_settings_page_to_the_team(
    team: Any,
    login_page: Callable[[Any], Page],
    new_context: Callable[..., BrowserContext],
    mailing_worker: WorkerProcess,
    mailbox: Path,
) -> None:
    admin = MembershipFactory(team=team, user=UserFactory(username="ada"), role=Role.ADMIN).user
    page = login_page(admin)
    page.goto(f"/t/{team.slug}/settings/")
    assert serious_violations(page) == []
    page.get_by_label("Email address").fill("nina@example.org")
    page.locator("#invitations-heading + form").get_by_label("Role").select_option("editor")
    page.get_by_role("button", name="Send invitation").click()
    expect(page.get_by_role("status")).to_contain_text("Invited nina@example.org as editor")
    expect(page.locator("#invitations")).to_contain_text("nina@example.org")

    link = _wait_for_link(mailbox)
    invitee = new_context().new_page()
    invitee.goto(link)
    expect(invitee.get_by_role("heading", level=1)).to_have_text(f"Join {team.name}")
    assert serious_violations(invitee) == []
    invitee.get_by_label("Username").fill("nina")
    invitee.get_by_label("First name").fill("Nina")
    invitee.get_by_label("Password", exact=True).fill("a long new passphrase")
    invitee.get_by_label("Password again").fill("a long new passphrase")
    invitee.get_by_role("button", name="Create account and join").click()
    expect(invitee).to_have_url(re.compile(rf"/t/{team.slug}/$"))
    expect(invitee.get_by_role("status")).to_contain_text("you are editor")
    assert Membership.objects.get(team=team, user__username="nina").role == Role.EDITOR

    # The used link now says so, plainly.
    used = new_context().new_page()
    response = used.goto(link)
    assert response is not None and response.status == 410
    expect(used.get_by_role("alert")).to_contain_text("already been used")
    assert serious_violations(used) == []

    # The new member's profile and password pages.
    invitee.get_by_role("link", name="Profile").click()
    expect(invitee.get_by_role("heading", level=1)).to_have_text("Your profile")
    assert serious_violations(invitee) == []
    invitee.get_by_role("link", name="Change your password").click()
    expect(invitee.get_by_role("heading", level=1)).to_have_text("Change your password")
    assert serious_violations(invitee) == []
