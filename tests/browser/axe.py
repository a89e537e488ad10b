"""axe-core, the accessibility checker screen-reader users' advocates and browsers' own
tools use, run inside a page a selenium browser has open.

The checker is the npm package `axe-core`, pinned in `tests/browser/package.json` and its
lock file and installed by `make axe` (a step of `make test`) into `.local/node/`. It is
injected through WebDriver, which the pages' Content-Security-Policy does not govern, so
the pages themselves still load no script from anywhere."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from selenium import webdriver

ROOT = Path(__file__).resolve().parents[2]
AXE_JS = ROOT / ".local" / "node" / "node_modules" / "axe-core" / "axe.min.js"
#: What the test refuses: a person using a screen reader, the keyboard or a magnifier is
#: stopped or badly slowed. "moderate" and "minor" are printed, not refused.
BLOCKING = frozenset({"serious", "critical"})
# The rules of WCAG 2.1 A and AA, and axe's best practices (landmarks, one h1, ...).
RUN_ONLY = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]


class AxeMissing(RuntimeError):
    """axe-core is not installed where the tests look for it."""


@dataclass(frozen=True)
class Violation:
    rule: str
    impact: str
    help: str
    # A CSS selector of each element that breaks the rule, with what axe says about it.
    nodes: tuple[tuple[str, str], ...]

    @property
    def blocking(self) -> bool:
        return self.impact in BLOCKING

    def describe(self) -> str:
        where = "; ".join(f"{target} ({why})" for target, why in self.nodes[:4])
        more = f" and {len(self.nodes) - 4} more" if len(self.nodes) > 4 else ""
        return f"[{self.impact}] {self.rule}: {self.help} at {where}{more}"


@cache
def _source() -> str:
    if not AXE_JS.is_file():
        raise AxeMissing(f"{AXE_JS} is missing: `make axe` installs axe-core (npm ci)")
    return AXE_JS.read_text(encoding="utf-8")


def violations(browser: webdriver.Chrome) -> list[Violation]:
    """Every rule the page now open in `browser` breaks, as axe-core finds it."""
    if not browser.execute_script("return typeof window.axe === 'object'"):
        browser.execute_script(_source())
    browser.set_script_timeout(60)
    found: Any = browser.execute_async_script(
        """
        const done = arguments[arguments.length - 1];
        axe.run(document, {runOnly: {type: 'tag', values: arguments[0]}, resultTypes: ['violations']})
           .then(r => done(r.violations), e => done({error: String(e)}));
        """,
        RUN_ONLY,
    )
    if isinstance(found, dict) and "error" in found:
        raise RuntimeError(f"axe-core failed: {found['error']}")
    return [
        Violation(
            rule=v["id"],
            impact=v.get("impact") or "minor",
            help=v["help"],
            nodes=tuple(
                (" ".join(map(str, n["target"])), (n.get("failureSummary") or "").splitlines()[-1])
                for n in v["nodes"]
            ),
        )
        for v in found
    ]
