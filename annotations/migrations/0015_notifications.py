import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

KINDS = [
    ("assigned", "A claim is assigned to me"),
    ("changes_requested", "Changes are requested on my claim"),
    ("approved", "My verdict is approved"),
    ("published", "My verdict is published"),
    ("due", "A claim of mine is due within a day or overdue"),
    ("mention", "Someone mentions me in a comment"),
    ("correction", "A correction is published on a claim I worked on"),
]
KIND_VALUES = [value for value, _ in KINDS]


class Migration(migrations.Migration):
    dependencies = [
        ("annotations", "0014_people"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="Notification",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("kind", models.CharField(choices=KINDS, max_length=20)),
                (
                    "due_at",
                    models.DateTimeField(blank=True, help_text="The due date a due notice is for.", null=True),
                ),
                ("summary", models.CharField(max_length=500)),
                (
                    "link",
                    models.CharField(help_text="The page it is about, as a path on this site.", max_length=2000),
                ),
                ("in_app", models.BooleanField(default=True)),
                ("email_wanted", models.BooleanField(default=False)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("read_at", models.DateTimeField(blank=True, null=True)),
                ("emailed_at", models.DateTimeField(blank=True, null=True)),
                (
                    "recipient",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="notifications",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "team",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="+", to="annotations.team"
                    ),
                ),
                (
                    "claim",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="annotations.claim",
                    ),
                ),
                (
                    "actor",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "event",
                    models.ForeignKey(
                        blank=True,
                        help_text="The audit event it tells of (none for a due date).",
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="annotations.auditevent",
                    ),
                ),
            ],
            options={
                "ordering": ["-created_at", "-id"],
                "indexes": [
                    models.Index(
                        condition=models.Q(("in_app", True)),
                        fields=["recipient", "-created_at", "-id"],
                        name="notification_inbox",
                    ),
                    models.Index(
                        condition=models.Q(("in_app", True), ("read_at__isnull", True)),
                        fields=["recipient"],
                        name="notification_unread",
                    ),
                    models.Index(
                        condition=models.Q(("email_wanted", True), ("emailed_at__isnull", True)),
                        fields=["created_at"],
                        name="notification_email_pending",
                    ),
                ],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("kind__in", KIND_VALUES)), name="notification_kind_valid"
                    ),
                    models.UniqueConstraint(
                        condition=models.Q(("event__isnull", False)),
                        fields=("event", "recipient"),
                        name="notification_once_per_event",
                    ),
                    models.UniqueConstraint(
                        condition=models.Q(("kind", "due")),
                        fields=("recipient", "claim", "due_at"),
                        name="notification_due_once",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            models.Q(("kind", "due"), _negated=True),
                            models.Q(("due_at__isnull", False), ("claim__isnull", False)),
                            _connector="OR",
                        ),
                        name="notification_due_has_date",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("in_app", True), ("email_wanted", True), _connector="OR"),
                        name="notification_goes_somewhere",
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="NotificationDispatch",
            fields=[
                (
                    "event",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="+",
                        serialize=False,
                        to="annotations.auditevent",
                    ),
                ),
                ("done_at", models.DateTimeField(auto_now_add=True)),
            ],
        ),
        migrations.CreateModel(
            name="NotificationPreference",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("kind", models.CharField(choices=KINDS, max_length=20)),
                ("in_app", models.BooleanField(default=True)),
                ("email", models.BooleanField(default=False)),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="notification_preferences",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "ordering": ["user", "kind"],
                "constraints": [
                    models.UniqueConstraint(fields=("user", "kind"), name="notification_preference_once"),
                    models.CheckConstraint(
                        condition=models.Q(("kind__in", KIND_VALUES)), name="notification_preference_kind_valid"
                    ),
                ],
            },
        ),
    ]
