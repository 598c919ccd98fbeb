"""docker-compose.yml is how users deploy; no Docker engine runs here, so these tests read it."""

from __future__ import annotations

import importlib
import json
import re
import shlex
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import PROJECT_ROOT

COMPOSE = yaml.safe_load((PROJECT_ROOT / "docker-compose.yml").read_text())
SERVICES: dict[str, Any] = COMPOSE["services"]
APP_SERVICES = ("web", "worker", "beat")
SETTINGS_SOURCE = (PROJECT_ROOT / "workbench" / "settings.py").read_text()


def command_words(service: str) -> list[str]:
    command = SERVICES[service]["command"]
    return command if isinstance(command, list) else shlex.split(command)


def test_services_are_web_worker_beat_db_and_redis():
    assert set(SERVICES) == {"web", "worker", "beat", "db", "redis"}


def test_app_services_share_one_image_and_one_environment():
    images = {SERVICES[name]["image"] for name in APP_SERVICES}
    builds = {str(SERVICES[name]["build"]) for name in APP_SERVICES}
    assert len(images) == 1 and len(builds) == 1
    environments = [SERVICES[name]["environment"] for name in APP_SERVICES]
    assert all(env is environments[0] or env == environments[0] for env in environments)
    dockerfile = PROJECT_ROOT / SERVICES["web"]["build"]["context"] / SERVICES["web"]["build"]["dockerfile"]
    assert dockerfile.is_file()


def test_every_service_but_beat_has_a_healthcheck_and_state_is_in_named_volumes():
    for name in ("web", "worker", "db", "redis"):
        assert "healthcheck" in SERVICES[name], name
    named = set(COMPOSE["volumes"])
    for name in ("db", "redis"):
        for volume in SERVICES[name]["volumes"]:
            assert volume.split(":")[0] in named


def test_app_services_wait_for_healthy_db_and_redis():
    for name in APP_SERVICES:
        depends = SERVICES[name]["depends_on"]
        assert depends["db"]["condition"] == "service_healthy"
        assert depends["redis"]["condition"] == "service_healthy"


def test_the_database_password_comes_from_the_environment():
    env = SERVICES["web"]["environment"]
    assert "${POSTGRES_PASSWORD:?" in env["DATABASE_URL"]
    assert SERVICES["db"]["environment"]["POSTGRES_PASSWORD"].startswith("${POSTGRES_PASSWORD:?")
    assert env["DJANGO_SECRET_KEY"].startswith("${DJANGO_SECRET_KEY:?")


def asgi_application(words: list[str]) -> Any:
    """The application a daphne command serves (its last word, module:attribute)."""
    assert words[0] == "daphne", words
    module, attribute = words[-1].split(":")
    return getattr(importlib.import_module(module), attribute)


def test_commands_name_modules_that_exist():
    web = " ".join(command_words("web"))
    assert "manage.py migrate" in web and (PROJECT_ROOT / "manage.py").is_file()
    serve = shlex.split(web.split("&&")[-1].strip().rstrip('"'))
    assert asgi_application(serve) is not None
    assert serve[serve.index("--port") : serve.index("--port") + 2] == ["--port", "8000"]
    assert serve[serve.index("--bind") + 1] == "0.0.0.0"
    for name in ("worker", "beat"):
        words = command_words(name)
        assert words[:3] == ["celery", "-A", "workbench"]
        assert hasattr(importlib.import_module("workbench"), "celery_app")
    queues = command_words("worker")[command_words("worker").index("-Q") + 1].split(",")
    from django.conf import settings

    assert settings.CELERY_TASK_DEFAULT_QUEUE in queues


def test_the_database_has_pgvector_and_the_worker_embeds():
    assert SERVICES["db"]["image"].startswith("pgvector/pgvector:pg")
    queues = command_words("worker")[command_words("worker").index("-Q") + 1].split(",")
    from annotations import outbox

    assert {outbox.queue_of(task) for task in (outbox.EMBED_CLAIM, outbox.EMBED_REVIEW)} <= set(queues)


def test_every_variable_given_to_the_app_is_read_by_the_settings():
    for variable in SERVICES["web"]["environment"]:
        assert f'"{variable}"' in SETTINGS_SOURCE, f"{variable} is set in compose but never read"


def test_every_variable_the_settings_require_is_provided():
    required = set(re.findall(r'env\.(?:str|db)\("(\w+)"\)', SETTINGS_SOURCE))
    assert required, "expected the settings to require some variables"
    provided = set(SERVICES["web"]["environment"])
    assert required <= provided, required - provided


@pytest.mark.parametrize("variable", sorted(set(re.findall(r'env\.\w+\("(\w+)"', SETTINGS_SOURCE))))
def test_every_setting_variable_is_documented(variable):
    documented = (PROJECT_ROOT / ".env.example").read_text() + (PROJECT_ROOT / "README.md").read_text()
    assert re.search(rf"^{variable}=", documented, re.MULTILINE), f"{variable} is missing from .env.example"


def test_dockerfile_is_slim_non_root_with_dependencies_in_their_own_layer():
    text = (PROJECT_ROOT / "docker" / "Dockerfile").read_text()
    assert re.search(r"^FROM python:3\.1\d-slim", text, re.MULTILINE)
    assert re.search(r"^USER app$", text, re.MULTILINE)
    lock_copy = text.index("COPY constraints.txt")
    assert lock_copy < text.index("pip install -r") < text.index("COPY --chown=app:app . /app")
    assert Path(PROJECT_ROOT / "constraints.txt").is_file()


def test_the_web_service_serves_asgi_with_websockets():
    """HTTP and the live-update WebSockets from one daphne process, as `make run` serves them."""
    from channels.routing import ProtocolTypeRouter  # type: ignore[import-untyped]

    web = " ".join(command_words("web"))
    application = asgi_application(shlex.split(web.split("&&")[-1].strip().rstrip('"')))
    assert isinstance(application, ProtocolTypeRouter)
    assert {"http", "websocket"} <= set(application.application_mapping)
    assert "gunicorn" not in web and "wsgi" not in web
    from django.conf import settings

    assert settings.INSTALLED_APPS[0] == "daphne" and settings.ASGI_APPLICATION == "workbench.asgi.application"


def test_the_image_serves_as_compose_does():
    text = (PROJECT_ROOT / "docker" / "Dockerfile").read_text()
    cmd = re.search(r"^CMD (\[.*\])$", text, re.MULTILINE)
    assert cmd is not None
    words = json.loads(cmd.group(1))
    web = " ".join(command_words("web"))
    assert words[0] == "daphne" and " ".join(words) in web
    assert asgi_application(words) is not None
