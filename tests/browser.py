"""Debian's Chromium, headless, driven by Playwright: pages are checked as a person's browser shows them."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

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

    page: Any
    console_errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)

    def screenshot(self, name: str) -> Path:
        ARTIFACTS.mkdir(exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path

    def listeners(self) -> dict[str, Callable]:
        return {
            "console": lambda message: message.type == "error" and self.console_errors.append(message.text),
            "pageerror": lambda error: self.console_errors.append(str(error)),
            "request": lambda request: self.requests.append(request.url),
        }


@dataclass
class Browser:
    """Chromium, and the tabs that no visit is using. A visit takes an idle tab when there is one: opening
    a tab costs Chromium a renderer process, about a third of a second of CPU and most of what a visit
    costs, while going to another page in an open tab costs little."""

    chromium: Any
    idle: list = field(default_factory=list)

    @contextmanager
    def visit(self, url: str, wait_for: str | None = None, width: int = 1280, height: int = 900) -> Iterator[Visit]:
        """The page once it has loaded (its scripts run, its styles and images in), and `wait_for` is drawn:
        what a page draws later (a chart from its query's JSON) is waited for by its selector, not by half a
        second of network silence after every page. Each tab has a browser context of its own; when the
        visit ends its tab goes to about:blank, so nothing of the page runs on into the next visit."""
        page = self.idle.pop() if self.idle else self.chromium.new_page()
        page.set_viewport_size({"width": width, "height": height})
        visit = Visit(page)
        listeners = visit.listeners()
        for event, listener in listeners.items():
            page.on(event, listener)
        try:
            page.goto(url, wait_until="load", timeout=20000)
            if wait_for:
                page.wait_for_selector(wait_for, timeout=15000)
            yield visit
        finally:
            for event, listener in listeners.items():
                page.remove_listener(event, listener)
            page.goto("about:blank")
            self.idle.append(page)


def marks_filled(page, chart: str, colour: str) -> int:
    """Marks of one colour in a chart's SVG: proof that it drew its data, not just its axes."""
    return page.locator(f'{chart} svg [fill="{colour}"]').count()
