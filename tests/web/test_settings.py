"""Prod settings refuse to start without a secret and pass Django's deployment checklist."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent


def run_revere(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    base = {
        k: v
        for k, v in os.environ.items()
        if k not in ("SECRET_KEY", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE")
    }
    return subprocess.run(
        [sys.executable, "-m", "revere.cli", *args],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_prod_settings_refuse_to_start_without_a_secret_key():
    result = run_revere("check", env={"DJANGO_SETTINGS_MODULE": "config.settings.prod"})
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_check_deploy_under_prod_settings_reports_nothing():
    result = run_revere(
        "check",
        "--deploy",
        "--fail-level",
        "DEBUG",
        env={
            "DJANGO_SETTINGS_MODULE": "config.settings.prod",
            "SECRET_KEY": "k" * 20 + "Zq8#x!vB2@pL9$mN4^rT7&wY1*eH6(uJ3)sA5",
            "ALLOWED_HOSTS": "revere.example.com",
        },
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
