"""A real PostgreSQL server for the norm store's tests, and a store target of each backend.

The server runs from a temporary folder on a Unix socket (no TCP port) for the test session
and is stopped afterwards. PostgreSQL refuses to run as root, so when the tests run as root
(as in CI) initdb and the server run as the ``postgres`` user that Debian's package creates,
with the folder handed to that user. Needs Debian's ``postgresql`` (``make test`` installs it).
"""

from __future__ import annotations

import glob
import itertools
import os
import pwd
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest


def _bin_dir() -> Path | None:
    """The newest PostgreSQL's programs (Debian keeps them outside PATH)."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"),
                   key=lambda p: int(Path(p).parts[-3]) if Path(p).parts[-3].isdigit() else 0)
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


@pytest.fixture(scope="session")
def postgres_server():
    """Start PostgreSQL in a temporary folder; yield its socket folder; stop and remove it."""
    bindir = _bin_dir()
    if bindir is None:
        pytest.skip("needs Debian's postgresql, which `make test` installs")
    root = Path(tempfile.mkdtemp(prefix="pg-"))  # short: a socket path has at most 107 bytes
    prefix: list[str] = []
    if os.geteuid() == 0:
        user = pwd.getpwnam("postgres")  # created by the postgresql package
        os.chown(root, user.pw_uid, user.pw_gid)
        prefix = ["runuser", "-u", "postgres", "--"]
    data, log = root / "data", root / "server.log"

    def run(*args: str) -> None:
        subprocess.run([*prefix, *args], check=True, cwd=root, capture_output=True)

    try:
        run(str(bindir / "initdb"), "-D", str(data), "-U", "postgres", "-A", "trust",
            "-E", "UTF8", "--locale=C", "--no-sync")
        run(str(bindir / "pg_ctl"), "-D", str(data), "-l", str(log), "-w", "-o",
            f"-k {root} -c listen_addresses='' -F", "start")
    except subprocess.CalledProcessError as exc:
        shutil.rmtree(root, ignore_errors=True)
        raise RuntimeError(f"PostgreSQL did not start: {exc.stderr.decode()}") from exc
    try:
        yield str(root)
    finally:
        subprocess.run([*prefix, str(bindir / "pg_ctl"), "-D", str(data), "-m", "fast", "-w",
                        "stop"], cwd=root, capture_output=True)
        shutil.rmtree(root, ignore_errors=True)


_numbers = itertools.count()


@pytest.fixture(autouse=True)
def config_folder(tmp_path, monkeypatch):
    """Each test its own config folder (the stores' key files), no salt from the environment."""
    folder = tmp_path / "config"
    monkeypatch.setenv("XDG_CONFIG_HOME", str(folder))
    monkeypatch.delenv("ASSESS_NORMS_SALT", raising=False)
    return folder / "assessment"


@pytest.fixture
def postgres_url(postgres_server):
    """A new, empty database on the test server, as a ``postgresql://`` URL."""
    import psycopg

    name = f"norms_{os.getpid()}_{next(_numbers)}"
    admin = f"postgresql:///postgres?host={postgres_server}&user=postgres"
    with psycopg.connect(admin, autocommit=True) as con:
        con.execute(f"CREATE DATABASE {name}")
    return f"postgresql:///{name}?host={postgres_server}&user=postgres"


@pytest.fixture(params=["duckdb", "postgresql"])
def target(request, tmp_path):
    """A store target of each backend: a DuckDB file, then a PostgreSQL database."""
    if request.param == "duckdb":
        return str(tmp_path / "norms.duckdb")
    return request.getfixturevalue("postgres_url")
