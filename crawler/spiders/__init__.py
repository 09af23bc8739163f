"""The spiders: `links.py` checks the listed links (with each host's probe), `worker.py` is its twin fed by a
distributed run's Redis frontier, `report.py` fetches a report's pages for `linkkeeper import`, and
`start_requests.py` yields their first requests without holding the whole list in memory.

May import: Scrapy, `crawler` and its `rules` and `downloader`, and `linkkeeper` (its config, health and the
importer's reader of a page).
"""
