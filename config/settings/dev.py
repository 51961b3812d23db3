"""Local development: debug on, a fixed throwaway secret, localhost only."""

from .base import *  # noqa: F403
from .base import SECRET_KEY as _SECRET_KEY

DEBUG = True
SECRET_KEY = _SECRET_KEY or "dev-only-insecure-key-do-not-use-in-production"
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]
# The task worker runs beside the web server in `make run`; the dev server serves node_modules.
