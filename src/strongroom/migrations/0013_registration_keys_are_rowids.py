"""Documents, their compartment rows and copies keyed by the plain SQLite rowid, without
AUTOINCREMENT (see ``RowidKey``): a registration no longer rewrites ``sqlite_sequence``.

SQLite rebuilds each table (Django copies every row, keys included, into a new table); on
PostgreSQL nothing changes.
"""

from django.db import migrations

import strongroom.models.documents


class Migration(migrations.Migration):
    dependencies = [
        ("strongroom", "0012_destruction_witness_alerts"),
    ]

    operations = [
        migrations.AlterField(
            model_name="copy",
            name="id",
            field=strongroom.models.documents.RowidKey(primary_key=True, serialize=False),
        ),
        migrations.AlterField(
            model_name="document",
            name="id",
            field=strongroom.models.documents.RowidKey(primary_key=True, serialize=False),
        ),
        migrations.AlterField(
            model_name="documentcompartment",
            name="id",
            field=strongroom.models.documents.RowidKey(primary_key=True, serialize=False),
        ),
    ]
