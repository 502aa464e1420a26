"""Brug: a self-hosted social intranet that gets knowledge across team boundaries."""

__version__ = "0.1.0"
