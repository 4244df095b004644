"""Destruction of copies by a destroyer and a witness; the awaiting_destruction state."""

import uuid

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("strongroom", "0008_checkout"),
    ]

    operations = [
        migrations.AlterField(
            model_name="copy",
            name="state",
            field=models.CharField(
                choices=[
                    ("in_registry", "in registry"),
                    ("held", "held"),
                    ("in_hand_over", "in hand-over"),
                    ("checked_out", "checked out"),
                    ("awaiting_destruction", "awaiting destruction"),
                    ("missing", "missing"),
                    ("destroyed", "destroyed"),
                ],
                max_length=20,
            ),
        ),
        migrations.CreateModel(
            name="Destruction",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("reference", models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                (
                    "method",
                    models.CharField(
                        choices=[
                            ("shredding", "shredding"),
                            ("pulping", "pulping"),
                            ("burning", "burning"),
                            ("disintegration", "disintegration"),
                            ("degaussing", "degaussing"),
                            ("secure_erase", "secure erase"),
                        ],
                        max_length=20,
                    ),
                ),
                ("destroyed_on", models.DateField()),
                ("marking", models.CharField(max_length=400)),
                ("note", models.CharField(blank=True, default="", max_length=500)),
                (
                    "state",
                    models.CharField(
                        choices=[
                            ("pending", "pending"),
                            ("witnessed", "witnessed"),
                            ("refused", "refused"),
                            ("withdrawn", "withdrawn"),
                        ],
                        default="pending",
                        max_length=16,
                    ),
                ),
                ("proposed_at", models.DateTimeField()),
                ("resolved_at", models.DateTimeField(blank=True, null=True)),
                ("reason", models.CharField(blank=True, default="", max_length=500)),
                ("kept_until", models.DateField(blank=True, null=True)),
                ("version", models.PositiveIntegerField(default=1)),
                (
                    "copy",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="strongroom.copy",
                    ),
                ),
                (
                    "destroyer",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "resolved_by",
                    models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "witness",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "ordering": ["-proposed_at", "-id"],
                "constraints": [
                    models.UniqueConstraint(
                        condition=models.Q(("state", "pending")),
                        fields=("copy",),
                        name="destruction_one_pending_per_copy",
                    ),
                    models.UniqueConstraint(
                        condition=models.Q(("state", "witnessed")),
                        fields=("copy",),
                        name="destruction_one_witnessed_per_copy",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("destroyer", models.F("witness")), _negated=True),
                        name="destruction_two_people",
                    ),
                ],
            },
        ),
    ]
