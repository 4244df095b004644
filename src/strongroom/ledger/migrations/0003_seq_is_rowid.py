"""On SQLite, make ``seq`` the rowid (see ``SequenceField``); a no-op on PostgreSQL.

SQLite cannot change a column's type in place, so Django rebuilds the table: it copies every
entry unchanged into a new table, drops the old one and renames the new one. Dropping a table
drops its triggers, so the append-only triggers are installed again in the same transaction:
there is no moment at which a committed ledger can be rewritten.
"""

from importlib import import_module

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

import strongroom.ledger.models

# The very statements 0002 ran (a module name starting with a digit needs import_module).
SQLITE: list[str] = import_module("strongroom.ledger.migrations.0002_append_only").SQLITE


def reinstall_triggers(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor != "sqlite":
        return
    for statement in SQLITE:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("ledger", "0002_append_only")]

    operations = [
        migrations.AlterField(
            model_name="ledgerentry",
            name="seq",
            field=strongroom.ledger.models.SequenceField(primary_key=True, serialize=False),
        ),
        # Irreversible on purpose, like 0002.
        migrations.RunPython(reinstall_triggers, migrations.RunPython.noop, elidable=False),
    ]
