"""WCAG 2.2 A and AA, checked by axe-core (bundled in axe-playwright-python: nothing is fetched) in the page
as the browser drew it. Only serious and critical violations fail a test: the rest are axe's advice."""

from __future__ import annotations

from typing import Any

from axe_playwright_python.sync_playwright import Axe

WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
FAILING = ("serious", "critical")
_AXE = Axe()


def violations(page: Any) -> list[str]:
    """Each serious or critical violation on the page, with the elements at fault, in words a failure can show."""
    results = _AXE.run(page, options={"runOnly": {"type": "tag", "values": WCAG_AA}, "resultTypes": ["violations"]})
    return [
        f"{found['id']} ({found['impact']}): {found['help']}: "
        + "; ".join(" ".join(node["target"]) for node in found["nodes"][:5])
        for found in results.response["violations"]
        if found["impact"] in FAILING
    ]
