from django.apps import AppConfig


class LedgerConfig(AppConfig):
    name = "strongroom.ledger"
    label = "ledger"
    verbose_name = "ledger"
