#!/usr/bin/env python3
"""Set up and run Huiju with nothing but Python 3.11+.

    python3 dev.py demo    install into .venv, migrate, load demo data, serve on http://127.0.0.1:8000
    python3 dev.py test    install into .venv with test extras, run the whole test suite (args go to pytest)

Both commands are idempotent: a second run reuses .venv and only installs what changed.
Real services are picked up from the environment (DATABASE_URL, REDIS_URL, ELASTICSEARCH_URL).
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import time
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = Path(os.environ.get("HUIJU_VENV", ROOT / ".venv"))
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")
HOST = os.environ.get("HUIJU_HOST", "127.0.0.1")
PORT = os.environ.get("HUIJU_PORT", "8000")


def say(message: str) -> None:
    print(f"\033[1;34m==>\033[0m {message}", flush=True)


def run(*args: str | Path, env: dict | None = None) -> None:
    subprocess.run([str(a) for a in args], cwd=ROOT, env=env, check=True)


def ensure_venv(extras: str) -> None:
    """Create .venv and install the project (editable) with ``extras``; skip if unchanged."""
    if sys.version_info < (3, 11):  # noqa: UP036 - dev.py may be run by an older python3
        sys.exit("Huiju needs Python 3.11 or newer.")
    if not PYTHON.exists():
        say(f"Creating virtual environment in {VENV}")
        venv.create(VENV, with_pip=True)
    fingerprint = hashlib.sha256(
        (ROOT / "pyproject.toml").read_bytes() + extras.encode()
    ).hexdigest()
    stamp = VENV / f".huiju-installed-{extras or 'base'}"
    if stamp.exists() and stamp.read_text() == fingerprint:
        return
    say(f"Installing Huiju{'[' + extras + ']' if extras else ''} (first run takes a minute)")
    run(PYTHON, "-m", "pip", "install", "--quiet", "--upgrade", "pip")
    target = f".[{extras}]" if extras else "."
    run(PYTHON, "-m", "pip", "install", "--quiet", "-e", target)
    stamp.write_text(fingerprint)


def demo(args: list[str]) -> None:
    ensure_venv("")
    env = {
        **os.environ,
        "DEBUG": os.environ.get("DEBUG", "1"),
        "HTTPS": os.environ.get("HTTPS", "0"),
        "SITE_URL": os.environ.get("SITE_URL", f"http://{HOST}:{PORT}"),
    }
    env.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    manage = [PYTHON, "manage.py"]
    say("Applying database migrations")
    run(*manage, "migrate", "--no-input", env=env)
    say("Loading demo data")
    run(*manage, "load_demo", env=env)
    say(f"Starting Huiju on http://{HOST}:{PORT}  (Ctrl+C to stop)")
    run(*manage, "runserver", f"{HOST}:{PORT}", *args, env=env)


def test(args: list[str]) -> int:
    ensure_venv("dev")
    env = {**os.environ}
    env.pop("DJANGO_SETTINGS_MODULE", None)  # pyproject.toml picks config.test_settings
    started = time.monotonic()
    code = subprocess.run([str(PYTHON), "-m", "pytest", *args], cwd=ROOT, env=env).returncode
    say(f"Tests finished in {time.monotonic() - started:.0f}s with exit code {code}")
    return code


def main() -> int:
    if len(sys.argv) < 2 or sys.argv[1] not in {"demo", "test"}:
        print(__doc__)
        return 2
    command, args = sys.argv[1], sys.argv[2:]
    try:
        if command == "demo":
            demo(args)
            return 0
        return test(args)
    except subprocess.CalledProcessError as error:
        return error.returncode
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
