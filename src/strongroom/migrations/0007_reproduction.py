"""Reproduction requests and their decisions: the reproduction records."""

import uuid

import django.db.models.deletion
import django.db.models.expressions
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('strongroom', '0006_delegations'),
    ]

    operations = [
        migrations.CreateModel(
            name='Reproduction',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('reference', models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                ('count', models.PositiveIntegerField()),
                ('reason', models.CharField(max_length=500)),
                ('requested_at', models.DateTimeField()),
                ('state', models.CharField(choices=[('pending', 'pending'), ('approved', 'approved'), ('refused', 'refused'), ('withdrawn', 'withdrawn')], default='pending', max_length=16)),
                ('decided_at', models.DateTimeField(blank=True, null=True)),
                ('decision_note', models.CharField(blank=True, default='', max_length=500)),
                ('first_number', models.PositiveIntegerField(blank=True, null=True)),
                ('last_number', models.PositiveIntegerField(blank=True, null=True)),
                ('version', models.PositiveIntegerField(default=1)),
                ('decided_by', models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('document', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='reproductions', to='strongroom.document')),
                ('requested_by', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['-requested_at', '-id'],
                'constraints': [models.CheckConstraint(condition=models.Q(('count__gte', 1)), name='reproduction_count'), models.CheckConstraint(condition=models.Q(models.Q(('first_number__isnull', False), ('last_number', django.db.models.expressions.CombinedExpression(django.db.models.expressions.CombinedExpression(models.F('first_number'), '+', models.F('count')), '-', models.Value(1))), ('state', 'approved')), models.Q(models.Q(('state', 'approved'), _negated=True), ('first_number__isnull', True), ('last_number__isnull', True)), _connector='OR'), name='reproduction_numbers')],
            },
        ),
    ]
