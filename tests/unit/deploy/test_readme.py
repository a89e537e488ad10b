"""The README keeps its promises: the two commands first, every setting documented with
the default it really has."""

from __future__ import annotations

from pathlib import Path

from deploy.config_doc import rows, table

REPO = Path(__file__).resolve().parents[3]
README = (REPO / "README.md").read_text(encoding="utf-8")


def test_the_two_commands_open_the_readme() -> None:
    head = "\n".join(README.splitlines()[:8])
    assert "make dev" in head and "make test" in head


def test_every_environment_variable_is_documented() -> None:
    missing = [name for name, _ in rows() if f"`{name}`" not in README]
    assert not missing, f"run `python -m deploy.config_doc` and update the README: {missing}"


def test_the_configuration_table_shows_todays_defaults() -> None:
    """Row by row, so a changed default, a renamed or a dropped variable all show."""
    documented = set(README.splitlines())
    stale = [line for line in table().splitlines() if line not in documented]
    assert not stale, f"run `python -m deploy.config_doc` and update the README: {stale}"


def test_no_default_names_a_path_of_the_machine_that_generated_it() -> None:
    # Defaults under the checkout print relative to it; an absolute path would make the
    # README differ from one machine to the next.
    absolute = [
        (name, default)
        for name, default in rows()
        if default.startswith("/") or str(REPO) in default or str(Path.home()) in default
    ]
    assert not absolute, absolute
