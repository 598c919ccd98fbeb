"""Signing out clears what the browser kept for the workbench, replayed archives included."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_signing_out_ends_the_session_and_clears_the_browsers_storage(client, reviewer):
    client.force_login(reviewer)
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert response["Clear-Site-Data"] == '"cache", "storage"'
    assert "_auth_user_id" not in client.session
