"""Debian's Chromium, headless, driven by Playwright: pages are checked as a person's browser shows them."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).parent.parent / "test-artifacts"


@dataclass
class Visit:
    """A page opened in the browser, with what went wrong on the way."""

    page: object
    console_errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)

    def screenshot(self, name: str) -> Path:
        ARTIFACTS.mkdir(exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path


def open_page(browser, url: str, wait_for: str | None = None, width: int = 1280, height: int = 900) -> Visit:
    """The page once it has loaded (its scripts run, its styles and images in), and `wait_for` is drawn: what a
    page draws later (a chart from its query's JSON) is waited for by its selector, not by half a second of
    network silence after every page."""
    page = browser.new_page(viewport={"width": width, "height": height})
    visit = Visit(page)
    page.on("console", lambda message: message.type == "error" and visit.console_errors.append(message.text))
    page.on("pageerror", lambda error: visit.console_errors.append(str(error)))
    page.on("request", lambda request: visit.requests.append(request.url))
    page.goto(url, wait_until="load", timeout=20000)
    if wait_for:
        page.wait_for_selector(wait_for, timeout=15000)
    return visit


def marks_filled(page, chart: str, colour: str) -> int:
    """Marks of one colour in a chart's SVG: proof that it drew its data, not just its axes."""
    return page.locator(f'{chart} svg [fill="{colour}"]').count()
