import socket

from celery import shared_task


@shared_task(name="annotations.health_ping", acks_late=True, soft_time_limit=5, time_limit=10, ignore_result=False)
def health_ping(nonce: str) -> dict[str, str]:
    """The round trip behind /healthz: proves a worker takes tasks from the broker and answers."""
    return {"nonce": nonce, "worker": socket.gethostname()}
