"""Drop the (actor, seq) index: no query used it, and every append wrote a page of it."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("ledger", "0006_cosignatures")]

    operations = [
        migrations.RemoveIndex(model_name="ledgerentry", name="ledger_actor_seq"),
    ]
