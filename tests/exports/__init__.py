"""Exports, one file per idea."""
