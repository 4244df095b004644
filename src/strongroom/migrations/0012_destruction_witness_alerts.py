"""Alerts for destructions the witness has not countersigned in time, and the index their check
reads."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("strongroom", "0011_campaigns"),
    ]

    operations = [
        migrations.AlterField(
            model_name="alert",
            name="kind",
            field=models.CharField(
                choices=[
                    ("campaign_overdue_holder", "campaign overdue holder"),
                    ("campaign_overdue_supervisor", "campaign overdue supervisor"),
                    ("campaign_overdue_security_officer", "campaign overdue security officer"),
                    ("check_out_overdue", "check out overdue"),
                    ("destruction_unwitnessed", "destruction unwitnessed"),
                    ("hand_over_overdue", "hand over overdue"),
                    ("transit_late", "transit late"),
                    ("transit_receipt_overdue", "transit receipt overdue"),
                ],
                max_length=40,
            ),
        ),
        migrations.AddIndex(
            model_name="destruction",
            index=models.Index(
                condition=models.Q(("state", "pending")),
                fields=["proposed_at"],
                name="destruction_awaiting_witness",
            ),
        ),
    ]
