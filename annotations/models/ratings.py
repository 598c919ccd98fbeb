from django.db import models
from django.db.models import Q

from annotations.models.teams import Team


class RatingScale(models.Model):
    """The verdict labels a team uses, one scale per team."""

    team = models.OneToOneField(Team, on_delete=models.CASCADE, related_name="rating_scale")
    name = models.CharField(max_length=100, default="Default")

    def __str__(self) -> str:
        return f"{self.team}: {self.name}"


class Rating(models.Model):
    """One label on a scale. `value` orders the scored labels; unscored ones (Unproven) have none."""

    scale = models.ForeignKey(RatingScale, on_delete=models.CASCADE, related_name="ratings")
    label = models.CharField(max_length=60)
    value = models.SmallIntegerField(null=True, blank=True, help_text="Ordinal; higher is more accurate.")
    position = models.PositiveSmallIntegerField(help_text="Display order.")
    color = models.CharField(max_length=7, default="#777777")

    class Meta:
        ordering = ["scale", "position"]
        constraints = [
            models.UniqueConstraint(fields=["scale", "label"], name="rating_label_unique_per_scale"),
            models.UniqueConstraint(fields=["scale", "value"], name="rating_value_unique_per_scale"),
            models.UniqueConstraint(
                fields=["scale", "position"],
                name="rating_position_unique_per_scale",
                deferrable=models.Deferrable.DEFERRED,
            ),
            models.CheckConstraint(condition=Q(color__regex=r"^#[0-9a-fA-F]{6}$"), name="rating_color_hex"),
        ]

    def __str__(self) -> str:
        return self.label
