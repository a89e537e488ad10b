"""Docs tell the truth about where things are: every repository path or module that a
docstring, comment or Markdown page names between backticks exists.

A file that moves takes its citations with it or this test names each one left behind.
Names with placeholders (angle brackets, braces, an asterisk, an ellipsis) are patterns,
not paths, and are left alone.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
TOPS = ("services", "shared", "tests", "deploy", "bench")
_SKIP_DIRS = {"__pycache__", "node_modules"}
_PLACEHOLDER = re.compile(r"[<>{}*]|\.\.\.|…")
# a file, a folder (trailing slash) or a test (path::name), between backticks
_PATH = re.compile(rf"`((?:{'|'.join(TOPS)})/[^`\s]*)`")
# a module or a name in it, perhaps followed by arguments, between backticks
_MODULE = re.compile(rf"`((?:{'|'.join(TOPS)})\.[A-Za-z_][\w.]*)[^`]*`")


def _documents() -> Iterator[Path]:
    # Hidden and skipped directories are pruned before they are entered: `.local` holds
    # the running Kafka's data, whose directories vanish while a test walks them.
    found: list[Path] = []
    for top, dirs, files in os.walk(REPO):
        dirs[:] = [d for d in dirs if not d.startswith(".") and d not in _SKIP_DIRS]
        found += [Path(top, f) for f in files if Path(f).suffix in {".py", ".md"}]
    yield from sorted(found)


def _path_exists(cited: str) -> bool:
    target = cited.split("::", 1)[0].split(":", 1)[0].rstrip(".,;")
    return (REPO / target).exists()


def _module_exists(cited: str) -> bool:
    """The longest dotted prefix that is a module or package, and the first name after it
    (a class, function or constant) spelled in that module's source."""
    parts = cited.rstrip(".").split(".")
    for n in range(len(parts), 1, -1):
        base = REPO.joinpath(*parts[:n])
        source = base.with_suffix(".py")
        if not source.is_file():
            source = base / "__init__.py"
        if not source.is_file() and not (n == len(parts) and base.is_dir()):
            continue
        if n == len(parts):
            return True
        text = source.read_text(encoding="utf-8") if source.is_file() else ""
        return re.search(rf"\b{re.escape(parts[n])}\b", text) is not None
    return False


def _broken() -> list[str]:
    found = []
    for doc in _documents():
        text = doc.read_text(encoding="utf-8", errors="replace")
        where = doc.relative_to(REPO).as_posix()
        for number, line in enumerate(text.splitlines(), 1):
            for cited in _PATH.findall(line):
                if not _PLACEHOLDER.search(cited) and not _path_exists(cited):
                    found.append(f"{where}:{number}: {cited}")
            for cited in _MODULE.findall(line):
                if not _PLACEHOLDER.search(cited) and not _module_exists(cited):
                    found.append(f"{where}:{number}: {cited}")
    return found


def test_every_cited_path_and_module_exists() -> None:
    broken = _broken()
    assert not broken, "cited but missing (moved or renamed?):\n" + "\n".join(broken)


@pytest.mark.parametrize(
    ("cited", "exists"),
    [
        ("shared/contract/events.py", True),
        ("deploy/config/", True),
        ("tests/unit/deploy/test_readme.py::test_the_two_commands_open_the_readme", True),
        ("shared/contract/no_such_module.py", False),
    ],
)
def test_paths_are_resolved_from_the_repository(cited: str, exists: bool) -> None:
    assert _path_exists(cited) is exists


@pytest.mark.parametrize(
    ("cited", "exists"),
    [
        ("shared.contract", True),
        ("shared.contract.events", True),
        ("shared.infra.kafka.ensure_topics", True),
        ("shared.contract.events.NoSuchModel", False),
        ("shared.contract.no_such_module", False),
    ],
)
def test_modules_are_resolved_from_the_repository(cited: str, exists: bool) -> None:
    assert _module_exists(cited) is exists
