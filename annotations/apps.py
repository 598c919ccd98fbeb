from django.apps import AppConfig


class AnnotationsConfig(AppConfig):
    name = "annotations"
    verbose_name = "Fact-check annotations"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from annotations.live import broadcast

        broadcast.connect()
        from annotations import notifying
        from annotations.tasks import notifications as notification_tasks  # noqa: F401  (registers the tasks)

        notifying.connect()
        from annotations.tasks import people as people_tasks  # noqa: F401  (registers the invitation email task)
