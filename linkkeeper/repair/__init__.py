"""Repairing a report in place: each cited link that died leads to its verified archived copy, each moved
one to its new address, each lost `#` link a person identified is filled in; nothing else changes.

`plan` decides what each listed link becomes, from the list and its health history; one editor per format
(`markdown`, `html`, `docx`) applies it to the document's own bytes, and `pdf` writes an errata sheet,
since a PDF cannot be edited in place. `changes` holds the change log every editor returns.

May import: `config`, `health`, `importer` (the lost-link rule), `output`, `store` (the plan reads the
history through its queries) and the top-level modules of `linkkeeper`.
"""
