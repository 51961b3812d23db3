#!/usr/bin/env python
"""Django's manage.py; the `revere` console script does the same with a shorter name."""

from revere.cli import main

if __name__ == "__main__":
    main()
