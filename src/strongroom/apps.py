from django.apps import AppConfig


class StrongroomConfig(AppConfig):
    name = "strongroom"
    label = "strongroom"
    verbose_name = "strongroom"
