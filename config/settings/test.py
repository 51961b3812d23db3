"""The test suite: fast hashing, tasks run at once in the test's own transaction."""

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-insecure-key"
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Graph snapshots of this test process only (test databases, and so organization ids, are per
# process under pytest-xdist); removed when the process ends.
_GRAPH_DIR = __import__("tempfile").TemporaryDirectory(prefix="revere-graphs-")
REVERE_GRAPH_DIR = __import__("pathlib").Path(_GRAPH_DIR.name)
# Django's test client signs in without a request, which django-axes refuses: the lockout is off
# here and tests/security/test_lockout.py turns it on.
AXES_ENABLED = False
