"""What the project installs: the package ``pipeline`` only (the click app is ``pipeline.cli``,
the ``vanban`` command), and the checkout's ``python cli.py`` still runs it."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from fnmatch import fnmatch
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_nothing_named_cli_is_installed_at_the_top_level() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    setuptools = config["tool"]["setuptools"]
    assert "py-modules" not in setuptools  # a root module such as cli.py would land in site-packages
    include = setuptools["packages"]["find"]["include"]
    folders = {
        path.name for path in ROOT.iterdir() if (path / "__init__.py").exists() or path.suffix == ".py"
    }
    installed = {name for name in folders if any(fnmatch(name, pattern) for pattern in include)}
    assert installed == {"pipeline"} and "cli.py" in folders
    assert config["project"]["scripts"] == {"vanban": "pipeline.cli:main"}


def test_python_cli_py_from_the_checkout_runs_the_packages_app() -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "cli.py"), "--version"], capture_output=True, text=True, cwd="/"
    )
    assert done.returncode == 0 and done.stdout.startswith("vanban, version ")
