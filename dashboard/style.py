"""The dashboard's own stylesheet, served at STYLESHEET on every page: badges drawn from the vocabulary
(its colours, with text at WCAG AA contrast), times kept on one line, long URLs wrapped instead of
widening the page, tables read as labelled cards on a phone, and the column descriptions out of the
way (each column's menu still shows its own)."""

from __future__ import annotations

from linkkeeper.health.vocabulary import STATES

STYLESHEET = "/-/linkkeeper.css"
PHONE = "576px"  # where Datasette's own stylesheet turns table rows into cards

LAYOUT = f"""
.state {{ border-radius: 0.3em; padding: 0 0.4em; white-space: nowrap; }}
time {{ white-space: nowrap; border-bottom: 1px dotted #767676; }}
a.external {{ text-decoration: none; margin-left: 0.2em; }}
.rows-and-columns td, .rows-and-columns td a {{ overflow-wrap: anywhere; }}
.tally {{ display: flex; flex-wrap: wrap; gap: 0.3em 1em; align-items: baseline; }}
dl.column-descriptions {{ display: none; }}
.facts {{ display: grid; grid-template-columns: max-content 1fr; gap: 0.3em 1em; }}
.facts dt {{ font-weight: bold; }}
.facts dd {{ margin: 0; }}
.strip {{ display: flex; flex-wrap: wrap; gap: 2px; }}
.strip span {{ width: 0.8em; height: 1.6em; display: inline-block; border-radius: 2px; }}
svg.chart text {{ font-size: 11px; fill: #333; }}
@media only screen and (max-width: {PHONE}) {{
  .facts {{ grid-template-columns: 1fr; }}
  .facts dd {{ margin-bottom: 0.5em; }}
  .rows-and-columns td[data-label]:before {{ content: attr(data-label); font-weight: bold; }}
  .rows-and-columns td {{ padding-left: 0.4em; }}
  .rows-and-columns td:before {{ margin-left: 0; }}
  body, .bd, .hd, .ft {{ overflow-wrap: anywhere; }}
  pre, textarea {{ max-width: 100%; }}
  .query form.sql textarea, form.sql textarea {{ width: 100%; box-sizing: border-box; }}
}}
"""


def stylesheet() -> str:
    badges = "".join(
        f".state-{term.name} {{ background: {term.colour}; color: {term.ink}; }}\n" for term in STATES.values()
    )
    return badges + LAYOUT
