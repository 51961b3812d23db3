"""Local development: debug on, a fixed throwaway secret, localhost (plus ALLOWED_HOSTS) only."""

import os

from .base import *  # noqa: F403
from .base import SECRET_KEY as _SECRET_KEY

DEBUG = True
SECRET_KEY = _SECRET_KEY or "dev-only-insecure-key-do-not-use-in-production"
# `make run HOST=0.0.0.0` reached by another name: ALLOWED_HOSTS=name,other adds to these.
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"] + [
    h.strip() for h in os.environ.get("ALLOWED_HOSTS", "").split(",") if h.strip()
]
# The task worker runs beside the web server in `make run`; the dev server serves node_modules.
