"""The database itself refuses to change or remove ledger entries, whoever asks."""

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

MESSAGE = "ledger entries are append-only"

SQLITE = [
    f"""CREATE TRIGGER ledger_entry_no_update BEFORE UPDATE ON ledger_ledgerentry
        BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END""",
    f"""CREATE TRIGGER ledger_entry_no_delete BEFORE DELETE ON ledger_ledgerentry
        BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END""",
]
POSTGRESQL = [
    f"""CREATE OR REPLACE FUNCTION ledger_entry_refuse() RETURNS trigger AS $$
        BEGIN RAISE EXCEPTION '{MESSAGE}'; END; $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER ledger_entry_no_change BEFORE UPDATE OR DELETE ON ledger_ledgerentry
        FOR EACH ROW EXECUTE FUNCTION ledger_entry_refuse()""",
    """CREATE TRIGGER ledger_entry_no_truncate BEFORE TRUNCATE ON ledger_ledgerentry
        FOR EACH STATEMENT EXECUTE FUNCTION ledger_entry_refuse()""",
]


def install(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    vendor = schema_editor.connection.vendor
    statements = {"sqlite": SQLITE, "postgresql": POSTGRESQL}.get(vendor)
    if statements is None:
        raise RuntimeError(f"strongroom has no append-only triggers for {vendor}")
    for statement in statements:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("ledger", "0001_initial")]
    # Irreversible on purpose: there is no way back to a ledger that can be rewritten.
    operations = [migrations.RunPython(install, migrations.RunPython.noop, elidable=False)]
