"""`linkkeeper import`: links read from a report (HTML `html.py`, which Markdown and text `markdown.py`, PDF
`pdf.py` and Word `docx.py` render to; printed addresses `bare.py`), what was found (`found.py`), the reader
chosen for a file (`source.py`) or a page fetched (`fetch.py`, `read.py`), merged into the list (`merge.py`)
and reported (`report.py`); which entry a person identified for a lost link (`lost_links.py`).

May import: `config`, `runs` (a report on the web is fetched by the crawler) and the top-level modules of
`linkkeeper`; never `store`: an import changes the list, not the history.
"""
