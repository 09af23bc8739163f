"""Wayback Machine work: getting at-risk pages archived and finding archived copies of dead ones."""
