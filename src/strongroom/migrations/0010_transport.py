"""Transport: courier authorisations, transits, and the registry unit of each copy."""

import uuid
from typing import Any

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def _copies_answer_to_their_documents_unit(apps: Any, schema_editor: Any) -> None:
    """Until now every copy answered to the registry of its document's unit."""
    schema_editor.execute(
        "UPDATE strongroom_copy SET unit_id = (SELECT d.unit_id FROM strongroom_document d "
        "WHERE d.id = strongroom_copy.document_id)"
    )
    if schema_editor.connection.vendor == "postgresql":
        # Check the new foreign keys now: PostgreSQL will not alter a table with checks pending.
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        schema_editor.execute("SET CONSTRAINTS ALL DEFERRED")


class Migration(migrations.Migration):
    dependencies = [
        ("strongroom", "0009_destruction"),
    ]

    operations = [
        migrations.AddField(
            model_name="copy",
            name="unit",
            field=models.ForeignKey(
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="strongroom.unit",
            ),
        ),
        migrations.RunPython(_copies_answer_to_their_documents_unit, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="copy",
            name="unit",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="strongroom.unit",
            ),
        ),
        migrations.AlterField(
            model_name="alert",
            name="kind",
            field=models.CharField(
                choices=[
                    ("check_out_overdue", "check out overdue"),
                    ("hand_over_overdue", "hand over overdue"),
                    ("transit_late", "transit late"),
                    ("transit_receipt_overdue", "transit receipt overdue"),
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
                    ("awaiting_destruction", "awaiting destruction"),
                    ("in_transit", "in transit"),
                    ("missing", "missing"),
                    ("destroyed", "destroyed"),
                ],
                max_length=20,
            ),
        ),
        migrations.CreateModel(
            name="CourierAuthorisation",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("level", models.PositiveSmallIntegerField()),
                ("valid_from", models.DateField()),
                ("valid_until", models.DateField()),
                ("note", models.CharField(blank=True, default="", max_length=500)),
                ("granted_at", models.DateTimeField()),
                ("revoked_at", models.DateTimeField(blank=True, null=True)),
                ("revoked_because", models.CharField(blank=True, default="", max_length=500)),
                ("version", models.PositiveIntegerField(default=1)),
                (
                    "courier",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="courier_authorisations",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "granted_by",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "revoked_by",
                    models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "ordering": ["-granted_at", "-id"],
            },
        ),
        migrations.CreateModel(
            name="Transit",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("reference", models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                ("dispatched_at", models.DateTimeField()),
                ("expected_by", models.DateTimeField()),
                ("inner_wrapping", models.CharField(max_length=300)),
                ("outer_wrapping", models.CharField(max_length=300)),
                (
                    "state",
                    models.CharField(
                        choices=[
                            ("in_transit", "in transit"),
                            ("received", "received"),
                            ("receipt_returned", "receipt returned"),
                        ],
                        default="in_transit",
                        max_length=20,
                    ),
                ),
                ("received_at", models.DateTimeField(blank=True, null=True)),
                ("receipt_returned_at", models.DateTimeField(blank=True, null=True)),
                ("version", models.PositiveIntegerField(default=1)),
                (
                    "copy",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="strongroom.copy",
                    ),
                ),
                (
                    "courier",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "dispatched_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "from_unit",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="strongroom.unit",
                    ),
                ),
                (
                    "receipt_confirmed_by",
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
                    "received_by",
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
                    "to_unit",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="strongroom.unit",
                    ),
                ),
            ],
            options={
                "ordering": ["-dispatched_at", "-id"],
                "indexes": [
                    models.Index(
                        condition=models.Q(("state", "in_transit")),
                        fields=["expected_by"],
                        name="transit_expected",
                    ),
                    models.Index(
                        condition=models.Q(("state", "received")),
                        fields=["received_at"],
                        name="transit_receipt_due",
                    ),
                ],
                "constraints": [
                    models.UniqueConstraint(
                        condition=models.Q(("state", "in_transit")),
                        fields=("copy",),
                        name="transit_one_open_per_copy",
                    )
                ],
            },
        ),
    ]
