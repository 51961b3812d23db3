from django.apps import AppConfig


class LeversConfig(AppConfig):
    name = "revere.levers"
    label = "levers"
    default_auto_field = "django.db.models.BigAutoField"
