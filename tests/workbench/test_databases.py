"""The replica takes only the reads that ask for it; writes and migrations stay on the primary."""

from django.conf import settings

from annotations.models import Claim
from workbench.databases import REPLICA, PrimaryReplicaRouter, reading_database


def test_without_a_replica_everything_reads_from_the_primary():
    assert REPLICA not in settings.DATABASES
    assert reading_database() == "default"


def test_with_a_replica_the_searches_read_there(monkeypatch):
    monkeypatch.setitem(settings.DATABASES, REPLICA, {**settings.DATABASES["default"], "TEST": {"MIRROR": "default"}})
    assert reading_database() == REPLICA


def test_the_router_keeps_writes_relations_and_migrations_on_the_primary():
    router = PrimaryReplicaRouter()
    assert router.db_for_read(Claim) is None  # the default, unless a query asks for reading_database()
    assert router.db_for_write(Claim) == "default"
    assert router.allow_relation(Claim(), Claim())
    assert router.allow_migrate("default", "annotations") and not router.allow_migrate(REPLICA, "annotations")
    assert "workbench.databases.PrimaryReplicaRouter" in settings.DATABASE_ROUTERS
