"""The downloader's middlewares, Scrapy components with one job each: bounded response headers
(`http_client.py`), redirects on the web only (`redirects.py`), retries with their tail held (`retry.py`),
the body limit (`body_limit.py`), cookies kept offline (`cookies.py`), `mailto:` checks (`mailto.py`), and
the time each answer took (`timing.py`).

May import: Scrapy, `crawler.rules` and `linkkeeper`.
"""
