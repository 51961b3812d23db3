from django.apps import AppConfig


class PlaybookConfig(AppConfig):
    name = "revere.playbook"
    label = "playbook"
    default_auto_field = "django.db.models.BigAutoField"
