"""The pure rules that judge one response: the verdict (`verdict.py`), walls (`walls.py`), error, parked and
for-sale pages (`error_pages.py`), soft 404s (`soft404.py`) and absence (`absence.py`), with the words and
markers they look for (`cues.py`), the page as read (`page.py`), the response as facts (`fetched.py`) and
the probe's address (`probes.py`).

May import: `linkkeeper` only; never Scrapy or Twisted (tests/test_layers.py holds it), so that the archive
step judges an archived copy with the same rules as a live page.
"""
