"""Alerts raised by the periodic checks."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("strongroom", "0003_hand_overs"),
    ]

    operations = [
        migrations.CreateModel(
            name="Alert",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[("hand_over_overdue", "hand over overdue")], max_length=32
                    ),
                ),
                ("subject", models.CharField(max_length=200)),
                ("message", models.CharField(max_length=500)),
                ("raised_at", models.DateTimeField()),
                ("cleared_at", models.DateTimeField(blank=True, null=True)),
                ("cleared_because", models.CharField(blank=True, default="", max_length=200)),
                (
                    "responsible",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="alerts",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "unit",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="strongroom.unit",
                    ),
                ),
            ],
            options={
                "ordering": ["-raised_at", "-id"],
                "constraints": [
                    models.UniqueConstraint(
                        condition=models.Q(("cleared_at__isnull", True)),
                        fields=("kind", "subject"),
                        name="alert_one_open_per_subject",
                    )
                ],
            },
        ),
    ]
