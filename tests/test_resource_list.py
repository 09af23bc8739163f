"""The shipped resources.yml: every link of the report, as printed, and every lost one explained."""

from __future__ import annotations

import re
from pathlib import Path

from linkkeeper.config.resources import load_config

ROOT = Path(__file__).parent.parent
REPORT = (ROOT / "examples" / "egm-digital-government-2019.txt").read_text()
CONFIG = load_config(ROOT / "resources.yml")


def test_every_address_printed_in_the_report_is_listed_as_printed():
    printed = {url.rstrip(".,") for url in re.findall(r"https?://[^\s)>\"]+", REPORT)}
    cited = {resource.cited_as for resource in CONFIG.resources}
    assert printed and printed <= cited


def test_every_mail_address_of_the_report_is_a_mailto_contact():
    addresses = set(re.findall(r"[\w.]+@[\w.]+\.\w+", REPORT))
    contacts = {r.url.removeprefix("mailto:") for r in CONFIG.resources if r.kind == "contact"}
    assert addresses and addresses == contacts


def test_every_lost_link_of_the_report_is_listed_with_a_note():
    lost = re.findall(r"\[([^\]]+)\]\(#\)", REPORT)
    for text in lost:
        words = set(re.findall(r"[a-z0-9]{3,}", text.lower())) - {"for", "the"}
        matches = [r for r in CONFIG.resources if r.cited_as == "#" and words & set(r.title.lower().split())]
        assert matches, text
        assert all(r.note for r in matches)
