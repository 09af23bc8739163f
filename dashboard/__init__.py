"""The Datasette dashboard: a landing page of what needs attention, canned queries, charts, descriptions."""
