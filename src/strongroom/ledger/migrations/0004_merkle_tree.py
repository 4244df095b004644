"""The Merkle tree over the ledger (RFC 6962): the hashes of its perfect subtrees and its heads.

Like the entries, they are only ever appended: the database refuses to change or remove them,
whoever asks (the triggers of 0002, for these tables).
"""

from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

TABLES = ("ledger_treenode", "ledger_treehead")
MESSAGE = "the ledger tree is append-only"  # no quote: it goes into SQL text


def _sqlite(table: str) -> list[str]:
    return [
        f"""CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table}
            BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END""",
        f"""CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table}
            BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END""",
    ]


def _postgresql(table: str) -> list[str]:
    return [
        f"""CREATE TRIGGER {table}_no_change BEFORE UPDATE OR DELETE ON {table}
            FOR EACH ROW EXECUTE FUNCTION ledger_tree_refuse()""",
        f"""CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table}
            FOR EACH STATEMENT EXECUTE FUNCTION ledger_tree_refuse()""",
    ]


def append_only(schema_editor: BaseDatabaseSchemaEditor, tables: tuple[str, ...]) -> None:
    """Install the triggers that refuse to change or remove rows of ``tables``."""
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        statements = [s for table in tables for s in _sqlite(table)]
    elif vendor == "postgresql":
        statements = [
            f"""CREATE OR REPLACE FUNCTION ledger_tree_refuse() RETURNS trigger AS $$
                BEGIN RAISE EXCEPTION '{MESSAGE}'; END; $$ LANGUAGE plpgsql""",
            *(s for table in tables for s in _postgresql(table)),
        ]
    else:
        raise RuntimeError(f"strongroom has no append-only triggers for {vendor}")
    for statement in statements:
        schema_editor.execute(statement)


def install(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    append_only(schema_editor, TABLES)


class Migration(migrations.Migration):
    dependencies = [("ledger", "0003_seq_is_rowid")]

    operations = [
        migrations.CreateModel(
            name="TreeHead",
            fields=[
                ("size", models.BigIntegerField(primary_key=True, serialize=False)),
                ("root", models.BinaryField(max_length=32)),
                ("integrated_at", models.DateTimeField()),
            ],
            options={"ordering": ["size"]},
        ),
        migrations.CreateModel(
            name="TreeNode",
            fields=[
                (
                    "pk",
                    models.CompositePrimaryKey(
                        "level",
                        "position",
                        blank=True,
                        editable=False,
                        primary_key=True,
                        serialize=False,
                    ),
                ),
                ("level", models.PositiveSmallIntegerField()),
                ("position", models.BigIntegerField()),
                ("hash", models.BinaryField(max_length=32)),
            ],
        ),
        # Irreversible on purpose, as 0002: there is no way back to a tree that can be rewritten.
        migrations.RunPython(install, migrations.RunPython.noop, elidable=False),
    ]
