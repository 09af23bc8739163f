"""Internet Archive keys for authenticated Save Page Now, from the environment or the `ia` tool's `ia.ini`.

The keys never leave this object except in the Authorization header: its repr hides them, and
`scrub` removes them from any text (an error message, say) before it is printed or stored.
"""

from __future__ import annotations

import configparser
import os
from dataclasses import dataclass
from pathlib import Path

# Where the `internetarchive` tool writes its configuration, in the order it reads them.
IA_CONFIG_PLACES = ("~/.config/internetarchive/ia.ini", "~/.config/ia.ini", "~/.ia")


@dataclass(frozen=True)
class Keys:
    access: str
    secret: str

    def __repr__(self) -> str:
        return "Keys(access=***, secret=***)"

    __str__ = __repr__

    @property
    def authorization(self) -> str:
        return f"LOW {self.access}:{self.secret}"

    def scrub(self, text: str) -> str:
        for value in (self.secret, self.access):
            text = text.replace(value, "***")
        return text


def find_keys(ia_config: str = "") -> Keys | None:
    """`IA_ACCESS_KEY` and `IA_SECRET_KEY`, else the `[s3]` section of ia.ini; None means anonymous."""
    access, secret = os.environ.get("IA_ACCESS_KEY"), os.environ.get("IA_SECRET_KEY")
    if access and secret:
        return Keys(access, secret)
    places = [ia_config] if ia_config else [os.environ.get("IA_CONFIG_FILE", ""), *IA_CONFIG_PLACES]
    for place in filter(None, places):
        path = Path(place).expanduser()
        if path.is_file():
            parser = configparser.ConfigParser()
            parser.read(path, encoding="utf-8")
            access, secret = parser.get("s3", "access", fallback=""), parser.get("s3", "secret", fallback="")
            if access and secret:
                return Keys(access, secret)
    return None
