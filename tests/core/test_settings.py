"""Production settings pass Django's deployment checks; secrets never come from the repo."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def run_check(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "waypoint.settings",
        "WAYPOINT_VAR_DIR": str(tmp_path),
        "WAYPOINT_DEBUG": "0",
        "WAYPOINT_HTTPS": "1",
        "WAYPOINT_ALLOWED_HOSTS": "waypoint.customs.example",
        **env,
    }
    environment.pop("PYTEST_VERSION", None)
    environment.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set for the browser tests only
    return subprocess.run(
        [sys.executable, "-m", "waypoint.cli", "check", "--deploy", "--fail-level", "WARNING"],
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_settings_pass_check_deploy(tmp_path: Path) -> None:
    result = run_check(tmp_path, WAYPOINT_SECRET_KEY="k" * 20 + "-production-secret-from-the-environment-0123456789")
    assert result.returncode == 0, result.stdout + result.stderr


def test_without_a_key_in_the_environment_one_is_generated_outside_the_repository(tmp_path: Path) -> None:
    result = run_check(tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    key_file = tmp_path / "secret_key"
    assert key_file.exists() and len(key_file.read_text()) >= 50
    assert oct(key_file.stat().st_mode & 0o777) == "0o600"


def header_of(tmp_path: Path, **env: str) -> str:
    """The Strict-Transport-Security header a fresh process sends with these settings."""
    code = (
        "import django; django.setup();"
        "from django.test import Client;"
        "print(Client().get('/accounts/login/', secure=True).headers.get('Strict-Transport-Security', ''))"
    )
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "waypoint.settings",
        "WAYPOINT_VAR_DIR": str(tmp_path),
        "WAYPOINT_HTTPS": "1",
        "WAYPOINT_ALLOWED_HOSTS": "testserver",
        "WAYPOINT_STATIC_STORAGE": "django.contrib.staticfiles.storage.StaticFilesStorage",
        **env,
    }
    environment.pop("PYTEST_VERSION", None)
    result = subprocess.run([sys.executable, "-c", code], env=environment, capture_output=True, text=True, check=True)
    return result.stdout.strip()


def test_hsts_preload_is_opt_in_and_include_subdomains_can_be_turned_off(tmp_path: Path) -> None:
    assert header_of(tmp_path) == "max-age=31536000; includeSubDomains"
    assert header_of(tmp_path, WAYPOINT_HSTS_PRELOAD="1") == "max-age=31536000; includeSubDomains; preload"
    assert header_of(tmp_path, WAYPOINT_HSTS_INCLUDE_SUBDOMAINS="0", WAYPOINT_HSTS_SECONDS="600") == "max-age=600"


def test_production_settings_with_preload_pass_check_deploy_too(tmp_path: Path) -> None:
    result = run_check(
        tmp_path,
        WAYPOINT_SECRET_KEY="k" * 20 + "-production-secret-from-the-environment-0123456789",
        WAYPOINT_HSTS_PRELOAD="1",
    )
    assert result.returncode == 0, result.stdout + result.stderr
