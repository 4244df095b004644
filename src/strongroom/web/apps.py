from django.apps import AppConfig


class WebConfig(AppConfig):
    """Installed so Django finds the web templates, template tags and static files."""

    name = "strongroom.web"
    label = "strongroom_web"
    verbose_name = "strongroom web"
