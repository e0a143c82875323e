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
