"""The `revere` command: Django's management commands with Revere's settings.

`revere demo`, `revere migrate`, `revere runserver`, `revere import ...`: everything
`manage.py` does, without having to name the settings module. DJANGO_SETTINGS_MODULE
still wins when set (prod uses config.settings.prod).
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    from django.core.management import execute_from_command_line

    args = list(sys.argv if argv is None else argv)
    args[0] = "revere"
    if len(args) > 1 and not args[1].startswith("-"):
        args[1] = args[1].replace("-", "_")  # `revere graph-metrics` runs the graph_metrics command
    execute_from_command_line(args)


if __name__ == "__main__":
    main()
