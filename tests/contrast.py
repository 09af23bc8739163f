"""WCAG 2 contrast, computed as the guidelines define it: text must reach 4.5:1 on its background (AA)."""

from __future__ import annotations

import re

AA = 4.5


def channels(colour: str) -> tuple[int, int, int]:
    """`#rrggbb` or the `rgb(r, g, b)` / `rgba(...)` a browser's computed style gives."""
    if colour.startswith("#"):
        return tuple(int(colour[i : i + 2], 16) for i in (1, 3, 5))
    red, green, blue = (int(float(part)) for part in re.findall(r"[\d.]+", colour)[:3])
    return red, green, blue


def luminance(colour: str) -> float:
    linear = [c / 255 / 12.92 if c / 255 <= 0.03928 else ((c / 255 + 0.055) / 1.055) ** 2.4 for c in channels(colour)]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def ratio(foreground: str, background: str) -> float:
    light, dark = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (light + 0.05) / (dark + 0.05)
