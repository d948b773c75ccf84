"""Packaging: environment.yml installs what pyproject.toml declares; .ci/run runs the README's command."""

from __future__ import annotations

import re
import tomllib

import yaml

from assessment.core.config import PROJECT_ROOT


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~\[ ;]", requirement.strip(), maxsplit=1)[0].lower().replace("_", "-")


#: extras that are no conda package: conda-forge's psycopg brings its own libpq
PIP_ONLY_EXTRAS = {"psycopg": {"binary"}}


def _conda_names(requirement: str) -> set[str]:
    """A pip requirement's conda packages: the name, plus its extras (dask[distributed])."""
    extras = re.search(r"\[([^\]]+)\]", requirement)
    name = _name(requirement)
    found = set(extras.group(1).split(",")) if extras else set()
    return {name} | (found - PIP_ONLY_EXTRAS.get(name, set()))


def test_environment_yml_matches_pyproject():
    """Every runtime and dev dependency of pyproject.toml is in environment.yml and vice versa."""
    project = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text(encoding="utf-8"))[
        "project"
    ]
    wanted = set().union(*(_conda_names(r) for r in project["dependencies"]))
    wanted |= set().union(*(_conda_names(r) for r in project["optional-dependencies"]["dev"]))
    env = yaml.safe_load((PROJECT_ROOT / "environment.yml").read_text(encoding="utf-8"))
    conda = {_name(d) for d in env["dependencies"] if isinstance(d, str)} - {"python", "pip"}
    pip = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    assert conda == wanted, (
        f"only in pyproject: {wanted - conda}; only in environment.yml: {conda - wanted}"
    )
    assert "-e ." in pip, "environment.yml must install the project itself"


def test_ci_runs_the_readme_test_command():
    """CI checks what a user runs: .ci/run calls `make test`, which the README documents."""
    assert "make test" in (PROJECT_ROOT / ".ci" / "run").read_text(encoding="utf-8")
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    assert "make test" in readme and "make demo" in readme
