"""The log's signed checkpoints, kept for good: append-only like the tree they sign."""

from importlib import import_module

from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps


def install(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    # A module name starting with a digit needs import_module.
    tree = import_module("strongroom.ledger.migrations.0004_merkle_tree")
    tree.append_only(schema_editor, ("ledger_checkpoint",))


class Migration(migrations.Migration):
    dependencies = [("ledger", "0004_merkle_tree")]

    operations = [
        migrations.CreateModel(
            name="Checkpoint",
            fields=[
                ("size", models.BigIntegerField(primary_key=True, serialize=False)),
                ("root", models.BinaryField(max_length=32)),
                ("note", models.BinaryField()),
                ("signed_at", models.DateTimeField()),
            ],
            options={"ordering": ["size"]},
        ),
        migrations.RunPython(install, migrations.RunPython.noop, elidable=False),
    ]
