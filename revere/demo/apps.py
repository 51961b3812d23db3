from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo company builder (`revere demo`): above every other app, imported by none."""

    name = "revere.demo"
    label = "demo"
