import pytest
from django.test import Client


@pytest.mark.django_db
def test_favicon_ico_leads_to_the_svg_icon() -> None:
    response = Client().get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith("favicon.svg")
    assert Client().post("/favicon.ico").status_code == 405
