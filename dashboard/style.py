"""The dashboard's own stylesheet, served at STYLESHEET on every page: badges drawn from the vocabulary
(its colours, with text at WCAG AA contrast), times kept on one line, long URLs wrapped instead of
widening the page, tables read as labelled cards on a phone, the column descriptions out of the way (each
column's menu still shows its own), buttons and focus rings that meet WCAG 2.2 AA, chart text legible on a
phone, and the charts' export menu (which opens an outside editor) left out."""

from __future__ import annotations

from linkkeeper.health.vocabulary import ARCHIVE_STATUSES, LOST, STATES

STYLESHEET = "/-/linkkeeper.css"
PHONE = "576px"  # where Datasette's own stylesheet turns table rows into cards
# Buttons: white on Datasette's blue (#007bff) is 4.0:1, under WCAG AA's 4.5:1; this blue gives 6.9:1.
ACTION = "#1558b0"
FOCUS = "#111111"  # the focus ring, on a white halo: 3:1 and more on white and on Datasette's blue header
LOST_COLOUR = ARCHIVE_STATUSES[LOST].colour

LAYOUT = f"""
.state {{ border-radius: 0.3em; padding: 0 0.4em; white-space: nowrap; }}
time {{ white-space: nowrap; border-bottom: 1px dotted #767676; }}
a.external {{ margin-left: 0.2em; }}
table a:link, table a:visited {{ text-decoration: underline; }}
.facet-info a.cross {{ font-weight: bold; border: 1px solid currentColor; border-radius: 3px; padding: 0 0.25em; }}
a:visited {{ color: #5b3a8c; }}
a:hover, a:focus, a:active {{ color: #1a4a6b; }}
.rows-and-columns td, .rows-and-columns td a {{ overflow-wrap: anywhere; }}
.tally {{ display: flex; flex-wrap: wrap; gap: 0.3em 1em; align-items: baseline; }}
dl.column-descriptions {{ display: none; }}
.facts {{ display: grid; grid-template-columns: max-content 1fr; gap: 0.3em 1em; }}
.facts dt {{ font-weight: bold; }}
.facts dd {{ margin: 0; }}
.strip {{ display: flex; flex-wrap: wrap; gap: 2px; list-style: none; margin: 0; padding: 0; }}
.strip li {{ width: 0.8em; height: 1.6em; display: inline-block; border-radius: 2px; }}
svg.chart text {{ font-size: 11px; fill: #333; }}
.exact {{ white-space: nowrap; color: #555; }}
.address {{ font-size: 0.85em; color: #555; overflow-wrap: anywhere; }}
a.title {{ font-weight: bold; }}
.lost {{ color: {LOST_COLOUR}; font-weight: bold; }}
.links td {{ vertical-align: top; }}
.links td:first-child {{ min-width: 14em; }}
.visually-hidden {{ position: absolute; width: 1px; height: 1px; margin: -1px; padding: 0; overflow: hidden;
  clip: rect(0 0 0 0); white-space: nowrap; border: 0; }}
form.find, form.ask {{ margin: 1em 0; }}
form.find label, form.ask label {{ display: block; width: auto; font-weight: bold; margin-bottom: 0.3em; }}
form.find input, form.ask input {{ width: 100%; max-width: 36em; box-sizing: border-box; font-size: 1rem;
  padding: 0.3em; }}
form.find button, form.ask button {{ margin-top: 0.4em; font-size: 1rem; padding: 0.3em 0.9em; border-radius: 0.25rem;
  cursor: pointer; color: #fff; background: {ACTION}; border: 1px solid {ACTION}; }}
form input[type=submit] {{ background-color: {ACTION}; border-color: {ACTION}; }}
form button[type=button] {{ color: {ACTION}; border-color: {ACTION}; }}
footer p.zone {{ margin-bottom: 0.3em; }}
:focus-visible {{ outline: 3px solid {FOCUS}; outline-offset: 2px; box-shadow: 0 0 0 2px #fff; }}
.vega-embed details {{ display: none; }}
@media only screen and (max-width: {PHONE}) {{
  svg.chart text {{ font-size: 20px; }}
  .links td:first-child {{ min-width: 0; }}
  .links td:not(:first-child):before {{ display: inline; margin-right: 0.5em; }}
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
