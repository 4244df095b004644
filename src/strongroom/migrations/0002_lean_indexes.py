"""Fewer index pages written on every registration and custody change (see the model comments)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("strongroom", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="copy",
            name="holder",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="copies_held",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AlterField(
            model_name="copy",
            name="state",
            field=models.CharField(
                choices=[
                    ("in_registry", "in registry"),
                    ("held", "held"),
                    ("missing", "missing"),
                    ("destroyed", "destroyed"),
                ],
                max_length=20,
            ),
        ),
        migrations.AlterField(
            model_name="document",
            name="level",
            field=models.PositiveSmallIntegerField(),
        ),
        migrations.AlterField(
            model_name="document",
            name="registered_by",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddIndex(
            model_name="copy",
            index=models.Index(
                condition=models.Q(("holder__isnull", False)), fields=["holder"], name="copy_holder"
            ),
        ),
    ]
