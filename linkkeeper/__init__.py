"""linkkeeper: keeps a curated list of links alive (checks, health history, archive)."""

__version__ = "0.1.0"
