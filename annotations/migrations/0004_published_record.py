"""The published record changes only through recorded steps.

New claim statuses for corrections under review and retractions; a withdrawn correction draft and
a retraction on the verdict; the `verdict.retracted` webhook event. The triggers keep a published
verdict on the record whatever code runs: it stays current until a published correction replaces
it or it is retracted (checked at commit, so a correction can be published in any order within its
transaction), and its publication time, content and retraction cannot be changed or undone.
"""

from typing import Any

import django.contrib.postgres.fields
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

RECORD_STATUSES = ("published", "correction_in_review", "correction_approved")

KEEP_RECORD = """
CREATE FUNCTION annotations_verdict_keep_record() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.published_at IS NOT NULL AND (
        NEW.published_at IS DISTINCT FROM OLD.published_at
        OR NEW.rating_id IS DISTINCT FROM OLD.rating_id
        OR NEW.summary IS DISTINCT FROM OLD.summary
        OR NEW.rationale IS DISTINCT FROM OLD.rationale
        OR NEW.corrects_id IS DISTINCT FROM OLD.corrects_id
        OR NEW.correction_note IS DISTINCT FROM OLD.correction_note
        OR NEW.claim_id IS DISTINCT FROM OLD.claim_id
        OR NEW.team_id IS DISTINCT FROM OLD.team_id
    ) THEN
        RAISE EXCEPTION 'Verdict % is published: it cannot be changed, only corrected or retracted.', OLD.id
            USING ERRCODE = 'check_violation', CONSTRAINT = 'verdict_keep_record';
    END IF;
    IF OLD.retracted_at IS NOT NULL AND (
        NEW.retracted_at IS DISTINCT FROM OLD.retracted_at OR NEW.retraction_note IS DISTINCT FROM OLD.retraction_note
    ) THEN
        RAISE EXCEPTION 'Verdict % was retracted: the retraction cannot be undone or rewritten.', OLD.id
            USING ERRCODE = 'check_violation', CONSTRAINT = 'verdict_keep_record';
    END IF;
    IF OLD.withdrawn_at IS NOT NULL AND NEW.withdrawn_at IS DISTINCT FROM OLD.withdrawn_at THEN
        RAISE EXCEPTION 'Verdict % is a withdrawn correction: it stays withdrawn.', OLD.id
            USING ERRCODE = 'check_violation', CONSTRAINT = 'verdict_keep_record';
    END IF;
    RETURN NEW;
END $$;

CREATE TRIGGER verdict_keep_record BEFORE UPDATE ON annotations_verdict
    FOR EACH ROW EXECUTE FUNCTION annotations_verdict_keep_record();

CREATE FUNCTION annotations_verdict_stays_current() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- Deferred: the rows as they are at commit (or at SET CONSTRAINTS ... IMMEDIATE).
    IF EXISTS (
        SELECT 1 FROM annotations_verdict v WHERE v.id = OLD.id AND NOT v.is_current AND v.retracted_at IS NULL
    ) AND NOT EXISTS (
        SELECT 1 FROM annotations_verdict c WHERE c.corrects_id = OLD.id AND c.published_at IS NOT NULL
    ) THEN
        RAISE EXCEPTION 'Verdict % is published: it stays current until a published correction replaces it or it is retracted.', OLD.id
            USING ERRCODE = 'check_violation', CONSTRAINT = 'verdict_published_stays_current';
    END IF;
    RETURN NULL;
END $$;

CREATE CONSTRAINT TRIGGER verdict_published_stays_current AFTER UPDATE ON annotations_verdict
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW
    WHEN (OLD.published_at IS NOT NULL AND OLD.is_current AND NOT NEW.is_current)
    EXECUTE FUNCTION annotations_verdict_stays_current();
"""

DROP_KEEP_RECORD = """
DROP TRIGGER IF EXISTS verdict_published_stays_current ON annotations_verdict;
DROP FUNCTION IF EXISTS annotations_verdict_stays_current();
DROP TRIGGER IF EXISTS verdict_keep_record ON annotations_verdict;
DROP FUNCTION IF EXISTS annotations_verdict_keep_record();
"""


def restore_published(apps: Any, schema_editor: Any) -> None:
    """Claims set aside or reopened while their published verdict stayed current (and public) are published again.

    Until now "not check-worthy" was allowed from published without taking the verdict down; the
    claim's status then disagreed with its public record. Each restored claim gets an audit event.
    """
    Claim = apps.get_model("annotations", "Claim")
    AuditEvent = apps.get_model("annotations", "AuditEvent")
    Verdict = apps.get_model("annotations", "Verdict")
    public = Verdict.objects.filter(is_current=True, published_at__isnull=False).values("claim_id")
    for claim in Claim.objects.exclude(status__in=RECORD_STATUSES).filter(pk__in=public).order_by("pk"):
        before = {"status": claim.status, "not_check_worthy_reason": claim.not_check_worthy_reason}
        claim.status = "published"
        claim.not_check_worthy_reason = ""
        claim.version += 1
        claim.save(update_fields=["status", "not_check_worthy_reason", "version", "updated_at"])
        AuditEvent.objects.create(
            team_id=claim.team_id,
            actor=None,
            action="claim.restore_published",
            target_type="claim",
            target_id=claim.pk,
            claim=claim,
            before=before,
            after={"status": "published", "not_check_worthy_reason": ""},
        )


class Migration(migrations.Migration):
    dependencies = [
        ("annotations", "0003_flow_queue_search"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="claim",
            name="claim_status_valid",
        ),
        migrations.AddField(
            model_name="verdict",
            name="retracted_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="verdict",
            name="retracted_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="verdict",
            name="retraction_note",
            field=models.TextField(blank=True, db_default="", default="", help_text="Public: why it was retracted."),
        ),
        migrations.AddField(
            model_name="verdict",
            name="withdrawn_at",
            field=models.DateTimeField(
                blank=True, help_text="A correction draft withdrawn before publication; kept in the history.", null=True
            ),
        ),
        migrations.AlterField(
            model_name="claim",
            name="status",
            field=models.CharField(
                choices=[
                    ("new", "New"),
                    ("in_research", "In research"),
                    ("in_review", "In review"),
                    ("changes_requested", "Changes requested"),
                    ("approved", "Approved"),
                    ("published", "Published"),
                    ("correction_in_review", "Correction in review"),
                    ("correction_approved", "Correction approved"),
                    ("retracted", "Retracted"),
                    ("not_check_worthy", "Not check-worthy"),
                ],
                default="new",
                max_length=20,
            ),
        ),
        migrations.AlterField(
            model_name="webhookdelivery",
            name="event",
            field=models.CharField(
                choices=[
                    ("verdict.published", "Verdict published"),
                    ("verdict.corrected", "Verdict corrected"),
                    ("verdict.retracted", "Verdict retracted"),
                ],
                max_length=32,
            ),
        ),
        migrations.AlterField(
            model_name="webhookendpoint",
            name="events",
            field=django.contrib.postgres.fields.ArrayField(
                base_field=models.CharField(
                    choices=[
                        ("verdict.published", "Verdict published"),
                        ("verdict.corrected", "Verdict corrected"),
                        ("verdict.retracted", "Verdict retracted"),
                    ],
                    max_length=32,
                ),
                size=None,
            ),
        ),
        migrations.AddConstraint(
            model_name="claim",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    (
                        "status__in",
                        [
                            "new",
                            "in_research",
                            "in_review",
                            "changes_requested",
                            "approved",
                            "published",
                            "correction_in_review",
                            "correction_approved",
                            "retracted",
                            "not_check_worthy",
                        ],
                    )
                ),
                name="claim_status_valid",
            ),
        ),
        migrations.AddConstraint(
            model_name="verdict",
            constraint=models.UniqueConstraint(
                condition=models.Q(
                    ("corrects__isnull", False), ("published_at__isnull", True), ("withdrawn_at__isnull", True)
                ),
                fields=("claim",),
                name="verdict_one_pending_correction_per_claim",
            ),
        ),
        migrations.AddConstraint(
            model_name="verdict",
            constraint=models.UniqueConstraint(
                condition=models.Q(("published_at__isnull", False)), fields=("corrects",), name="verdict_corrected_once"
            ),
        ),
        migrations.AddConstraint(
            model_name="verdict",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("retracted_at__isnull", True),
                    models.Q(
                        ("published_at__isnull", False),
                        ("is_current", False),
                        models.Q(("retraction_note", ""), _negated=True),
                    ),
                    _connector="OR",
                ),
                name="verdict_retraction_published_with_note",
            ),
        ),
        migrations.AddConstraint(
            model_name="verdict",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("withdrawn_at__isnull", True),
                    models.Q(("published_at__isnull", True), ("is_current", False)),
                    _connector="OR",
                ),
                name="verdict_withdrawn_unpublished",
            ),
        ),
        migrations.RunPython(restore_published, migrations.RunPython.noop),
        migrations.RunSQL(KEEP_RECORD, DROP_KEEP_RECORD),
    ]
