"""Helper-assisted sessions, one file per idea."""
