"""Importing learners, one file per idea."""
