"""The README keeps its promises: the two commands first, every setting documented."""

from __future__ import annotations

from pathlib import Path

from deploy.config_doc import rows

README = (Path(__file__).resolve().parents[3] / "README.md").read_text(encoding="utf-8")


def test_the_two_commands_open_the_readme() -> None:
    head = "\n".join(README.splitlines()[:8])
    assert "make dev" in head and "make test" in head


def test_every_environment_variable_is_documented() -> None:
    missing = [name for name, _ in rows() if f"`{name}`" not in README]
    assert not missing, f"run `python -m deploy.config_doc` and update the README: {missing}"
