"""Check-outs: copies lent for reading until a due time, and their overdue alerts."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("strongroom", "0007_reproduction"),
    ]

    operations = [
        migrations.AlterField(
            model_name="alert",
            name="kind",
            field=models.CharField(
                choices=[
                    ("check_out_overdue", "check out overdue"),
                    ("hand_over_overdue", "hand over overdue"),
                ],
                max_length=32,
            ),
        ),
        migrations.AlterField(
            model_name="copy",
            name="state",
            field=models.CharField(
                choices=[
                    ("in_registry", "in registry"),
                    ("held", "held"),
                    ("in_hand_over", "in hand-over"),
                    ("checked_out", "checked out"),
                    ("missing", "missing"),
                    ("destroyed", "destroyed"),
                ],
                max_length=20,
            ),
        ),
        migrations.CreateModel(
            name="CheckOut",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("checked_out_at", models.DateTimeField()),
                ("due_back", models.DateTimeField()),
                ("place", models.CharField(default="reading room", max_length=100)),
                ("checked_in_at", models.DateTimeField(blank=True, null=True)),
                ("version", models.PositiveIntegerField(default=1)),
                (
                    "checked_in_by",
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
                    "copy",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="strongroom.copy",
                    ),
                ),
                (
                    "lent_by",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "reader",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "ordering": ["-checked_out_at", "-id"],
                "indexes": [
                    models.Index(
                        condition=models.Q(("checked_in_at__isnull", True)),
                        fields=["due_back"],
                        name="check_out_due",
                    )
                ],
                "constraints": [
                    models.UniqueConstraint(
                        condition=models.Q(("checked_in_at__isnull", True)),
                        fields=("copy",),
                        name="check_out_one_open_per_copy",
                    )
                ],
            },
        ),
    ]
