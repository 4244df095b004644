"""Witnesses' cosignatures of the checkpoints, kept for good: append-only like what they sign."""

from importlib import import_module

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps


def install(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    # A module name starting with a digit needs import_module.
    tree = import_module("strongroom.ledger.migrations.0004_merkle_tree")
    tree.append_only(schema_editor, ("ledger_cosignature",))


class Migration(migrations.Migration):
    dependencies = [
        ("ledger", "0005_checkpoints"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="Cosignature",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("witness", models.CharField(max_length=200)),
                ("key_id", models.BigIntegerField()),
                ("timestamp", models.BigIntegerField()),
                ("signature", models.BinaryField(max_length=64)),
                ("received_at", models.DateTimeField()),
                (
                    "checkpoint",
                    models.ForeignKey(
                        db_column="size",
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="cosignatures",
                        to="ledger.checkpoint",
                    ),
                ),
                (
                    "submitted_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "ordering": ["checkpoint", "id"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("checkpoint", "witness", "key_id"),
                        name="ledger_cosignature_once_per_key",
                    )
                ],
            },
        ),
        # Irreversible on purpose, as 0004 and 0005.
        migrations.RunPython(install, migrations.RunPython.noop, elidable=False),
    ]
